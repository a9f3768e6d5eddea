"""One man with a row in every table that can hold something about him, and sentinels in every
``partner`` and ``clinical-therapeutic`` text field (``alliance.data_classes``), and an identity
in the vault made of the identity sentinels (``tests/identity_fixture.py``).

``fill_every_table`` writes through the services wherever one exists (kiosk, links, PIN,
reminders, practice, accountability, plan goals, outreach, partner record and partner reports,
a safety incident, documents, the access log), so the rows are the ones the application writes.
``plant_sentinels`` then overwrites every free-text field of the two protected classes, in
live and historical rows alike, with ``CLINICAL_SENTINEL`` or ``PARTNER_SENTINEL``
(tests/conftest.py also fails any test whose log output carries them). Adding a model with a
path to a man without adding it here fails ``tests/rights/test_complete_export.py``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

from django.db import models
from django.test import Client
from django.utils import timezone

from alliance.core.outcomes import OutcomeKind, Source
from alliance.core.vocabulary import Departure
from alliance.court import services as court
from alliance.data_classes import DataClass, class_of, field_classes
from alliance.engagement.services import record_outreach_action, start_outreach
from alliance.fees import services as fees
from alliance.fees.models import ChargeKind, PaymentMethod
from alliance.incidents import services as incidents
from alliance.incidents.offences import record_new_offence
from alliance.intake import agreements
from alliance.intake import services as intake
from alliance.intake.documents import upload_document
from alliance.measures.administration.services import submit_administration
from alliance.measures.administration.tokens import (
    create_participant_link,
    issue_kiosk_pin,
    kiosk_sign_in,
    open_kiosk,
)
from alliance.measures.models import CHECKOUT, Alert, Release
from alliance.measures.registry import definition_for
from alliance.organizations.models import Agency, Membership, Role
from alliance.outcomes.models import FollowUp, OutcomeEvent
from alliance.participants.competencies import (
    approve_competency,
    record_leave,
    return_competency,
    sign_off_competency,
)
from alliance.participants.models import Enrollment, Participant
from alliance.portal.models import Channel
from alliance.portal.services import acknowledge, deliver, invite_officer
from alliance.practice import services as practice
from alliance.practice.models import Practice, Via
from alliance.practice.pins import set_practice_pin, sign_in_with_code
from alliance.practice.reminders import set_reminders
from alliance.practice.tokens import create_practice_link
from alliance.programs.models import Competency, Session
from alliance.programs.session_facts import record_attendance_details
from alliance.reports.documents import Recipient
from alliance.reports.services import send_enrollment_document
from alliance.rights.holdings import collect_holdings
from alliance.rights.services import export_participant
from alliance.safety import partner_reports as safety_reports
from alliance.safety import services as safety
from alliance.sms.models import TextMessage
from alliance.sms.services import record_agreement, record_delivery
from alliance.training import services as training
from tests.conftest import CLINICAL_SENTINEL, PARTNER_SENTINEL
from tests.factories import P, World, mark
from tests.identity_fixture import give_identity

#: The partner's e-mail and the man's own reminder address, to search exports for.
HIS_EMAIL = "man-private@example.org"
SENTINEL_OF = {DataClass.THERAPEUTIC: CLINICAL_SENTINEL, DataClass.PARTNER: PARTNER_SENTINEL}
_TEXT = (models.CharField, models.TextField)
#: Keys, identifiers and labels the scoring engine derives (a score's band travels with its
#: score, which a release may allow), not text anyone wrote.
NOT_WRITTEN = frozenset(
    {"idempotency_key", "submission_key", "instrument_id", "item_id", "history_change_reason"}
    | {"band"}
)


def fill_every_table(world: World, as_user: Callable[[object], Client]) -> Enrollment:
    """Rows about ``world.good`` (RIV-101) in every table reachable from his record."""
    enrollment = world.good
    now = timezone.now()
    today = world.today
    session = world.todays_session_a

    # The probation office that referred him.
    enrollment.agency = Agency.objects.create(
        organization=world.riverside, name="Riverside County Probation", kind="probation"
    )
    enrollment.save(update_fields=["agency"])
    # Its reporting clock, the court's order (amended once: two versions) and a breach.
    court.save_clock(
        actor=world.olga,
        organization=world.riverside,
        agency=enrollment.agency,
        details=court.ClockDetails(noncompliance_days=7, progress_every_weeks=4),
    )
    for sessions in (26, 52):
        court.save_court_order(
            actor=world.ines,
            enrollment=enrollment,
            details=court.OrderDetails(
                sessions_ordered=sessions,
                complete_by=today + dt.timedelta(days=300),
                other_conditions="No alcohol; no contact with the protected person.",
            ),
        )
    court.open_breach(enrollment=enrollment, found_on=today)

    # His identity (the vault), in sentinel strings (tests/conftest.py), corrected once so
    # that its history holds two versions.
    identity = give_identity(enrollment.participant, actor=world.ines, today=today)
    identity.court = "Riverside Superior Court, Department 12"
    identity.save()

    # Today's attendance (through the service, which keeps its history), with his times,
    # an early departure and its reason.
    attendance = mark(session, enrollment, P, actor=world.alice)
    record_attendance_details(
        actor=world.alice,
        attendance=attendance,
        arrived_at=dt.time(9, 30),
        left_at=dt.time(10, 30),
        departure=Departure.LEFT_EARLY,
        departure_reason="r",
        by_video=False,
        identity_confirmed=False,
        expected_revision=attendance.revision,
    )
    # A competency signed off with evidence, returned, signed off again and approved; a leave.
    competency = Competency.objects.create(program=enrollment.program, name="Uses time-out")
    sign_off = sign_off_competency(
        actor=world.alice, enrollment=enrollment, competency=competency, evidence_note="e"
    )
    return_competency(actor=world.bob, sign_off=sign_off, reason="r")
    sign_off = sign_off_competency(
        actor=world.alice, enrollment=enrollment, competency=competency, evidence_note="e"
    )
    approve_competency(actor=world.bob, sign_off=sign_off)
    record_leave(
        actor=world.bob,
        enrollment=enrollment,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today - dt.timedelta(days=1),
        reason="r",
    )

    # Measures: a phone link with a submitted check-out, a kiosk attempt, a PIN, a release.
    checkout = definition_for(CHECKOUT)
    link, _ = create_participant_link(
        actor=world.alice, enrollment=enrollment, definition=checkout, administered_on=today
    )
    answers: dict[str, float | str] = {
        item.id: ("a" if item.response.kind == "text" else 2.0) for item in checkout.items
    }
    submit_administration(
        actor=None, administration=link.administration, answers=answers, submission_key="k-101"
    )
    Alert.objects.create(enrollment=enrollment, kind="low_checkout", detail="low", created_at=now)
    kiosk, _ = open_kiosk(actor=world.alice, session=session)
    pin = issue_kiosk_pin(actor=world.alice, enrollment=enrollment)
    kiosk_sign_in(kiosk=kiosk, enrollment=enrollment, pin=pin)
    Release.objects.create(
        enrollment=enrollment,
        recipient_kind="probation",
        recipient_name="The probation",
        instrument_ids=["scs_sf"],
        signed_on=today - dt.timedelta(days=20),
        expires_on=today + dt.timedelta(days=200),
        recorded_by=world.bob,
    )

    # Practice: homework, a phone link, a log, an accountability log with feedback, a plan
    # goal whose status changed, and his reminder address.
    tool = Practice.objects.create(
        organization=world.riverside,
        slug="breath",
        title="Breathing",
        purpose="p",
        steps="s",
        minutes=5,
    )
    assignment = practice.assign_practice(
        actor=world.alice, practice=tool, due_on=today, enrollment=enrollment
    )
    create_practice_link(actor=world.alice, enrollment=enrollment, now=now)
    # His practice code and PIN, and a session signed in with them.
    _, code, pin = set_practice_pin(actor=world.alice, enrollment=enrollment, now=now)
    sign_in_with_code(code=code, pin=pin, client="127.0.0.1", now=now)
    practice.log_practice(
        enrollment=enrollment,
        practice=tool,
        assignment=assignment,
        logged_on=today,
        done=True,
        minutes=10,
        ratings={},
        note="n",
        via=Via.STAFF,
        idempotency_key="pl-101",
    )
    log, _ = practice.write_accountability_log(
        enrollment=enrollment,
        written_on=today,
        texts={"situation": "s", "what_he_did": "d"},
        minimising=False,
        denying=False,
        blaming=False,
        via=Via.STAFF,
        idempotency_key="al-101",
    )
    practice.add_feedback(actor=world.alice, log=log, body="b", now=now)
    goal = practice.add_plan_goal(
        actor=world.alice, enrollment=enrollment, goal="g", review_on=today, now=now
    )
    practice.change_goal_status(actor=world.alice, goal=goal, status="met", note="n")
    set_reminders(enrollment=enrollment, email=HIS_EMAIL, opted_out=False)

    # Engagement: outreach with an action.
    alert = start_outreach(enrollment=enrollment, actor=world.alice, today=today)
    record_outreach_action(
        alert=alert, actor=world.alice, kind="phone_call", done_on=today, note="n"
    )

    # Outcomes: an official-record search and a partner interview that found abuse.
    man = enrollment.participant
    for source, kind in (
        (Source.OFFICIAL_RECORD, OutcomeKind.IPV_CHARGE),
        (Source.PARTNER_REPORT, OutcomeKind.PARTNER_PHYSICAL_ABUSE),
    ):
        FollowUp.objects.create(
            participant=man,
            source=source,
            window_start=today - dt.timedelta(days=180),
            window_end=today - dt.timedelta(days=1),
            checkpoint_months=6,
            recorded_by=world.eve,
        )
        OutcomeEvent.objects.create(
            participant=man,
            kind=kind,
            source=source,
            occurred_on=today - dt.timedelta(days=30),
            recorded_by=world.eve,
        )

    # Partner compartment: her record, a release, a concern, a contact, a break-glass opening.
    record = safety.create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=man,
        name="Her Name",
        email="her@example.org",
    )
    safety.record_release(
        actor=world.petra, record=record, kind="termination", signed_on=today, today=today
    )
    safety.raise_concern(
        actor=world.petra,
        record=record,
        level="high",
        raised_on=today,
        narrative="n",
        today=today,
    )
    safety.log_contact(
        actor=world.petra,
        record=record,
        contacted_on=today,
        method="phone",
        message="m",
        today=today,
    )
    safety.open_break_glass(
        actor=world.olga, record=record, reason="Court ordered disclosure today", now=now
    )
    # Her partner reports: her consent, one report, her release of the discrepancy flag.
    safety_reports.record_report_consent(
        actor=world.petra,
        record=record,
        decision="given",
        decided_on=today,
        how="phone",
        note="n",
        today=today,
    )
    safety_reports.record_partner_report(
        actor=world.petra,
        record=record,
        reported_on=today,
        mode="phone",
        answers={"felt_safety": 2, "controlling": 2, "respectful": 2, "change": 1},
        worker_note="w",
        today=today,
    )
    safety_reports.record_flag_release(
        actor=world.petra,
        record=record,
        recipient="court",
        given_on=today,
        how="phone",
        today=today,
    )

    # A safety incident Alice flagged, an action, a new offence on record, and Bob's close as
    # reportable (its kind and date may reach a court document; nothing else of it).
    incident = incidents.flag_incident(
        actor=world.alice,
        enrollment=enrollment,
        session=session,
        kind="order_violation",
        occurred_at=now,
        account="a",
        immediate_risk=True,
        now=now,
        link_base="http://testserver/",
    )
    incidents.record_action(
        actor=world.petra,
        incident=incident,
        kind="partner_contacted",
        taken_at=now,
        note="n",
        now=now,
    )
    record_new_offence(
        actor=world.petra,
        incident=incident,
        kind="ipv_police_report",
        occurred_on=today,
        today=today,
    )
    incidents.close_incident(
        actor=world.bob, incident=incident, note="c", court_reportable=True, now=now
    )
    # Intake: an appointment, the assessment with a collateral contact, a risk score, his
    # placement, a treatment plan with a goal, the agreement signed on the tablet (and a phone
    # link), and an uploaded document.
    fill_intake(world, enrollment, now=now)

    # Texts: he agreed at the number in his identity (a confirmation text went) and a
    # reminder's delivery receipt came back.
    record_agreement(actor=world.ines, participant=man, now=now)
    for row in TextMessage.objects.filter(participant=man):
        record_delivery(provider_id=row.provider_id, status="delivered", error_code="", now=now)
    # Fees: his band on the program's scale, a charge, a payment, a reversed charge, and a
    # hardship waiver asked for by Ines and approved by Mona.
    fill_fees(world, enrollment, today=today)
    # Staff training (alliance/training): his facilitator's register, a credential about to
    # expire with its alert, and the program's requirement. Staff records, not about him; the
    # observation of his group's session is written by plant_sentinels (its comments may
    # describe the group).
    fill_training(world, now=now)
    # The connection map: two people in his network (one reviewed twice), an alumni mentor
    # matched with him, a logged contact and the match ended cleanly; he is himself a mentor
    # (an earlier completed enrollment) of RIV-102; a partner-safety mentoring hold, lifted.
    fill_connection(world, enrollment, today=today)

    # A sent document, staff opening his record (the access log), and his status history.
    Enrollment.objects.filter(pk=enrollment.pk).update(agency=world.agency_a)
    enrollment.refresh_from_db()
    sent = send_enrollment_document(
        actor=world.mona,
        enrollment=enrollment,
        kind="compliance_report",
        recipient=Recipient(kind="probation", name="Officer", organization="Probation"),
        today=today,
    )
    # Delivered by e-mail and through the agency portal, where Otto acknowledged it.
    deliver(actor=world.mona, document=sent, channel=Channel.EMAIL, email="po@example.org")
    on_portal = deliver(actor=world.mona, document=sent, channel=Channel.PORTAL)
    acknowledge(officer=world.otto, delivery=on_portal)  # type: ignore[arg-type]
    invite_officer(
        actor=world.olga,  # type: ignore[arg-type]
        agency=world.agency_a,
        email="another-officer@example.org",
        base_url="http://testserver/",
    )
    as_user(world.alice).get(f"/participants/{man.pk}/")
    export_participant(actor=world.olga, participant=man)
    return Enrollment.objects.get(pk=enrollment.pk)


def fill_connection(world: World, enrollment: Enrollment, *, today: dt.date) -> None:
    from alliance.connection import services as connection
    from tests.connection.fixtures import alumnus_mentor, completed, matched, network_of

    man = enrollment.participant
    network_of(world, man)
    match = matched(world, alumnus_mentor(world), enrollment)
    connection.log_mentor_contact(
        actor=world.bob,
        mentorship=match,
        contact_on=today,
        mode="phone",
        minutes=20,
        note="Coffee after group.",
        today=today,
        now=timezone.now(),
    )
    connection.end_mentorship(
        actor=world.bob,
        mentorship=match,
        ended_on=today,
        reason="not_working",
        note="Schedules clashed.",
        mentor_told_on=today,
        mentee_told_on=today,
        today=today,
    )
    earlier = completed(man, world.program_b, today=today)
    him = connection.vet_mentor(
        actor=world.bob,
        enrollment=earlier,
        vetted_on=today - dt.timedelta(days=20),
        consented_on=today - dt.timedelta(days=20),
        capacity=2,
        notes="Vetted.",
        today=today,
        now=timezone.now(),
    )
    matched(world, him, world.at_limit)
    hold = connection.place_mentoring_hold(
        actor=world.petra, participant=man, placed_on=today, today=today
    )
    connection.lift_mentoring_hold(actor=world.petra, hold=hold, lifted_on=today, today=today)


def fill_intake(world: World, enrollment: Enrollment, *, now: dt.datetime) -> None:
    today = world.today
    intake.schedule_appointment(
        actor=world.mona,
        enrollment=enrollment,
        starts_at=now - dt.timedelta(days=60),
        site=world.north,
        with_whom=world.bob,
    )
    intake.save_assessment(
        actor=world.bob,
        enrollment=enrollment,
        values={"violence_history": "v", "threats": "yes", "summary": "s"},
        now=now,
    )
    intake.add_collateral_contact(
        actor=world.bob,
        enrollment=enrollment,
        source="probation",
        contacted_on=today,
        what_they_said="w",
        now=now,
    )
    intake.record_risk_score(
        actor=world.bob,
        enrollment=enrollment,
        instrument="ODARA",
        instrument_version="2",
        score=Decimal("4"),
        band="moderate",
        assessor="A. Assessor",
        assessed_on=today,
        now=now,
    )
    intake.place_enrollment(
        actor=world.bob,
        enrollment=enrollment,
        level="level_2",
        reason="r",
        decided_on=today,
        now=now,
    )
    plan = intake.save_treatment_plan(
        actor=world.bob,
        enrollment=enrollment,
        focus="f",
        written_on=today,
        review_on=today + dt.timedelta(days=90),
    )
    intake.add_treatment_goal(
        actor=world.bob, plan=plan, goal="g", review_on=today + dt.timedelta(days=28), now=now
    )
    version = agreements.save_agreement_text(
        actor=world.mona, program=enrollment.program, text="Rules.", now=now
    )
    agreements.sign_agreement(
        enrollment=enrollment,
        version=version,
        signature=agreements.Signature(
            typed_name="His Name", drawing=signature_data_url(), agreed=False
        ),
        channel="tablet",
        opened_by=world.bob,
        link=None,
        now=now,
    )
    agreements.create_agreement_link(actor=world.bob, enrollment=enrollment, now=now)
    upload_document(
        actor=world.mona,
        participant=enrollment.participant,
        kind="court_order",
        title="t",
        content=scan_png(),
        now=now,
    )


def signature_data_url() -> str:
    """A drawn signature as the pad sends it: a PNG data URL with one stroke."""
    return "data:image/png;base64," + base64.b64encode(_png(transparent=True)).decode("ascii")


def scan_png() -> bytes:
    """A small, clean PNG, as a scanned page would be."""
    return _png(transparent=False)


def _png(*, transparent: bool) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA" if transparent else "RGB", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(20, 70), (120, 30), (280, 60)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def protected_text_fields(model: type[models.Model]) -> dict[str, str]:
    """Free-text fields of ``model`` in the partner or therapeutic class, with their sentinel."""
    base = class_of(model)
    overrides = field_classes(model)
    keyed = {
        name
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        for name in constraint.fields
    }
    out = {}
    for f in model._meta.concrete_fields:
        if f.unique or f.name in keyed:
            continue  # a key, not text anyone wrote
        cls = overrides.get(f.name, base)
        if cls not in SENTINEL_OF or not isinstance(f, _TEXT) or f.choices:
            continue
        if getattr(f, "max_length", None) and f.max_length < len(SENTINEL_OF[cls]):
            continue
        if f.name in NOT_WRITTEN or f.name.endswith("_version"):
            continue  # keys, identifiers and versions, not text anyone wrote
        out[f.name] = SENTINEL_OF[cls]
    return out


def plant_sentinels(participant: Participant, *, group_sessions: bool = True) -> list[str]:
    """Overwrite every protected text field of every row held about him; returns the fields.

    ``group_sessions`` also fills the notes of the sessions he attended (the group's rows,
    which outlive him: a purge test leaves them out).
    """
    planted = []
    holdings = collect_holdings(participant, owned_only=False)
    for model, queryset in holdings.querysets():
        fields = protected_text_fields(model)
        if not fields:
            continue
        for row in queryset:  # row by row, so encrypted fields go through their field code
            for name, value in fields.items():
                setattr(row, name, value)
            row.save(update_fields=list(fields))
        planted += [f"{model._meta.label_lower}.{name}" for name in fields]
    if not group_sessions:
        return planted
    # The notes of the sessions he attended are about the group, and therapeutic.
    for session in Session.objects.filter(attendance__enrollment__participant=participant):
        session.notes = CLINICAL_SENTINEL
        session.save(update_fields=["notes"])
        # A supervisor's fidelity observation of that session: its comments are therapeutic
        # (they may describe the men) and, like the notes, stay with the group.
        observe_session(session)
    return planted


def observe_session(session: Session) -> None:
    facilitator = session.group.facilitators.order_by("pk").first()
    organization = session.group.program.organization
    observer = (
        Membership.objects.filter(organization=organization, role=Role.SUPERVISOR)
        .exclude(user=facilitator)
        .order_by("pk")
        .first()
    )
    if facilitator is None or observer is None:
        return
    training.record_observation(
        actor=observer.user,
        organization=organization,
        facilitator=facilitator,
        session=session,
        observed_on=session.held_on,
        scores={"accountability_without_shaming": 1},
        strengths=CLINICAL_SENTINEL,
        feedback=CLINICAL_SENTINEL,
        follow_up=CLINICAL_SENTINEL,
        now=timezone.now(),
    )


def fill_training(world: World, *, now: dt.datetime) -> None:
    alice = Membership.objects.get(user=world.alice)
    training.set_training_requirement(
        actor=world.mona, program=world.program, preset="california", now=now
    )
    training.record_training_entry(
        actor=world.alice,
        person=alice,
        kind="core",
        topic="Intake and assessment",
        provider="County shelter",
        completed_on=world.today,
        hours=Decimal(4),
        evidence_note="Certificate on file.",
        now=now,
    )
    training.record_credential(
        actor=world.alice,
        person=alice,
        name="LCSW licence",
        issuer="State board",
        issued_on=world.today - dt.timedelta(days=700),
        expires_on=world.today + dt.timedelta(days=10),
        now=now,
    )
    training.raise_credential_alerts(now=now)


def fill_fees(world: World, enrollment: Enrollment, *, today: dt.date) -> None:
    from alliance.core.fees import AbsenceCharge

    fees.save_schedule(
        actor=world.mona,
        program=enrollment.program,
        intake_fee=5000,
        session_fee=2500,
        materials_fee=1500,
        absences_charged=AbsenceCharge.NONE,
        charge_makeups=False,
    )
    fees.load_scale(
        actor=world.mona,
        program=enrollment.program,
        text="band,household_size,max_income,fee_percent\nLow,1,20000,20\nFull,1,,100\n",
    )
    fees.assess_ability_to_pay(
        actor=world.ines, enrollment=enrollment, household_income=1_500_000, household_size=1
    )
    day = today - dt.timedelta(days=2)
    fees.post_charge(actor=world.mona, enrollment=enrollment, charge_kind=ChargeKind.INTAKE, on=day)
    wrong = fees.post_charge(
        actor=world.mona, enrollment=enrollment, charge_kind=ChargeKind.OTHER, amount=900, on=day
    )
    fees.reverse_entry(actor=world.mona, entry=wrong, reason="m")
    fees.record_payment(
        actor=world.ines,
        enrollment=enrollment,
        amount=300,
        method=PaymentMethod.VOUCHER,
        reference="V-1",
        payer="p",
        on=day,
        memo="m",
    )
    waiver = fees.request_waiver(actor=world.ines, enrollment=enrollment, amount=500, reason="r")
    fees.decide_waiver(actor=world.mona, waiver=waiver, approve=True, note="n")

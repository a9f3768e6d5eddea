"""Every URL × every persona × GET and POST gets the answer its access rule says.

The URLs come from the URL configuration itself (every named pattern, walked recursively);
the expected answers come from one line per URL name in ``tests/security/access_rules.py``
(see its docstring for how to add one). A URL name without a line fails
``test_every_url_has_an_access_rule``, so a new view cannot ship without a decided rule.

One test per persona: it builds the Riverside world once, then requests every URL with GET and
POST (empty body), each inside a transaction rolled back afterwards so that an allowed POST
cannot change what the next request sees, and reports every mismatch at once, naming URL,
method and persona. A refused POST must not change any row (counted per table before and
after), apart from the tables whose very purpose is to record refusals (``REFUSAL_RECORDS``).
A page a persona may open must not show the text in her ``never_sees`` (codes of men outside
her scope; any code at all for the evaluator and the partner-safety worker).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alliance.api.models import IntegrationKey
from alliance.api.services import create_integration_key
from alliance.connection import services as connection
from alliance.core.enrollment import EnrollmentStatus
from alliance.core.outcomes.research import DateMode
from alliance.court.models import Breach, ReportingClock
from alliance.engagement.services import start_outreach
from alliance.fees import services as fee_services
from alliance.fees.models import ChargeKind, PaymentMethod
from alliance.incidents.services import flag_incident
from alliance.intake import agreements
from alliance.intake import services as intake
from alliance.intake.documents import upload_document
from alliance.measures.administration.services import submit_administration
from alliance.measures.administration.tokens import (
    create_participant_link,
    issue_kiosk_pin,
    open_kiosk,
)
from alliance.measures.configuration.services import add_to_schedule
from alliance.measures.models import (
    CHECKOUT,
    Alert,
    AlertKind,
    RecipientKind,
    When,
)
from alliance.measures.registry import definition_for
from alliance.measures.releases.services import record_score_release
from alliance.organizations.models import Membership, Role
from alliance.organizations.staff import invite_staff
from alliance.outcomes.export_jobs import produce_research_export, request_research_export
from alliance.outcomes.research_export import FileFormat
from alliance.participants.models import CompetencySignOff, SignOffStatus
from alliance.portal.models import Channel
from alliance.portal.services import deliver, invite_officer
from alliance.practice.models import Via
from alliance.practice.pins import set_practice_pin
from alliance.practice.services import (
    add_plan_goal,
    assign_practice,
    save_practice,
    write_accountability_log,
)
from alliance.practice.tokens import create_practice_link
from alliance.programs.models import Attendance, Competency, Holiday
from alliance.reports.documents import Recipient
from alliance.reports.models import DocumentKind
from alliance.reports.services import send_enrollment_document
from alliance.safety import services as safety
from alliance.safety.models import NotificationKind
from alliance.safety.notifications import prepare_partner_notifications
from alliance.safety.partner_reports import (
    record_flag_release,
    record_partner_report,
    record_report_consent,
)
from alliance.training.services import record_observation
from tests.connection.fixtures import alumnus_mentor, matched, network_of
from tests.every_table import scan_png
from tests.factories import P, World, mark
from tests.identity_fixture import give_identity
from tests.security.access_rules import (
    ACCESS,
    ALLOWED,
    BAD_TOKEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    PERSONAS,
    Access,
    Persona,
    expected,
    hidden_from,
)

#: Tables a refused request may legitimately write to: the access log records refusals, and
#: failed token attempts are counted to stop guessing (per link, per kiosk, and per client
#: address for a token that matched nothing).
REFUSAL_RECORDS = {
    "audit.accessevent",
    "practice.linkattempt",
    "measures.kioskattempt",
    "organizations.tokenguess",
}
SIGNS_OUT = {"logout", "practice-sign-out"}
FORGED_TOKEN = "forged-" + "x" * 36


def url_names() -> list[tuple[str, URLPattern]]:
    """Every named pattern of the URL configuration, in order, walking includes."""
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                found.append((namespace + pattern.name, pattern))

    walk(get_resolver().url_patterns, "")
    # Signing out ends the persona's session: it goes last so every other URL sees her.
    return sorted(found, key=lambda item: item[0] in SIGNS_OUT)


def url_keywords(name: str, pattern: URLPattern) -> list[str]:
    """The keywords ``reverse(name)`` needs, including those of enclosing ``include()``s (a
    namespaced name is not in the root's reverse index: its own pattern's keywords then)."""
    entries = get_resolver().reverse_dict.getlist(name)
    if not entries:
        # path() patterns know their converters; a router's regex patterns name their groups.
        return list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    possibilities = entries[0][0]
    return list(possibilities[0][1])


def test_every_url_has_an_access_rule():
    missing = [name for name, _ in url_names() if name not in ACCESS]
    assert not missing, (
        f"No access rule for {', '.join(missing)}. Add one line per URL name to ACCESS in "
        "tests/security/access_rules.py saying which methods it accepts and who may use it."
    )


def test_every_access_rule_names_a_url():
    known = {name for name, _ in url_names()}
    assert sorted(set(ACCESS) - known) == []


@dataclass
class Objects:
    """The test world's object for each URL keyword (``kwargs`` of a row may pick another)."""

    by_name: dict[str, object]

    def kwargs_for(self, name: str, pattern: URLPattern, access: Access, persona: Persona) -> dict:
        kwargs = {}
        for keyword in url_keywords(name, pattern):
            source = access.kwargs.get(keyword, keyword)
            assert source in self.by_name, (
                f"no test object for URL keyword {keyword!r}: add one to objects() in {__file__}"
            )
            value = self.by_name[source]
            if keyword == "token" and persona.name != "participant":
                value = FORGED_TOKEN  # only the man holds his link; others can only guess
            kwargs[keyword] = value
        return kwargs


@pytest.fixture
def objects(world: World) -> Objects:
    """One of everything a URL can name, all in group A at Riverside North (RIV-101)."""
    now = timezone.now()
    man = world.good
    session = world.todays_session_a
    mark(session, man, P, actor=world.alice)  # present today, so he may sign in at the kiosk
    kiosk_pin = issue_kiosk_pin(actor=world.alice, enrollment=man)  # type: ignore[arg-type]
    kiosk, kiosk_token = open_kiosk(actor=world.alice, session=session, now=now)
    _, link_token = create_participant_link(
        actor=world.alice,
        enrollment=man,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
        session=session,
        now=now,
    )
    _, practice_token = create_practice_link(actor=world.alice, enrollment=man, now=now)
    # A completed questionnaire (the API's FHIR Bundle exports completed ones only).
    scs = definition_for("scs_sf")
    scs_link, _ = create_participant_link(
        actor=world.alice, enrollment=man, definition=scs, administered_on=world.today, now=now
    )
    submit_administration(
        actor=None,
        administration=scs_link.administration,
        answers={item.id: 3.0 for item in scs.items},
        submission_key="matrix-scs",
    )
    _, practice_code, practice_pin = set_practice_pin(actor=world.alice, enrollment=man, now=now)
    practice = save_practice(
        organization=world.riverside,
        practice=None,
        fields={
            "slug": "breathing-space",
            "title": "Breathing space",
            "purpose": "Slow down before answering.",
            "steps": "Breathe in\nBreathe out",
            "script": "Notice your breath.",
            "minutes": 3,
        },
    )
    assignment = assign_practice(
        actor=world.alice, practice=practice, due_on=world.today, enrollment=man
    )
    log, _ = write_accountability_log(
        enrollment=man,
        written_on=world.today,
        texts={"situation": "An argument at home.", "what_he_did": "I walked out."},
        minimising=False,
        denying=False,
        blaming=False,
        via=Via.LINK,
        idempotency_key="matrix-log",
    )
    release = record_score_release(
        actor=world.bob,
        enrollment=man,
        recipient_kind=RecipientKind.PROBATION,
        recipient_name="Riverside Probation",
        signed_on=world.today,
        expires_on=world.today + dt.timedelta(days=180),
        all_therapeutic=True,
        instrument_ids=[],
        today=world.today,
    )
    alert = Alert.objects.create(
        enrollment=man, kind=AlertKind.LOW_CHECKOUT, detail="Low check-out.", created_at=now
    )
    outreach = start_outreach(enrollment=man, actor=world.alice, today=world.today)
    goal = add_plan_goal(
        actor=world.alice,
        enrollment=man,
        goal="Take a time-out before raising his voice.",
        review_on=world.today + dt.timedelta(days=28),
        now=now,
    )
    sent = send_enrollment_document(
        actor=world.bob,
        enrollment=man,
        kind=DocumentKind.ENROLLMENT_NOTICE,
        recipient=Recipient(kind="probation", name="", organization="Riverside Probation"),
        today=world.today,
    )
    partner = safety.create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=man.participant,
        name="Sam Example",
    )
    safety_release = safety.record_release(
        actor=world.petra,
        record=partner,
        kind=NotificationKind.ENROLLMENT,
        signed_on=world.today,
        today=world.today,
    )
    concern = safety.raise_concern(
        actor=world.petra,
        record=partner,
        level="elevated",
        raised_on=world.today,
        narrative="Worried about the weekend.",
        today=world.today,
    )
    report_consent = record_report_consent(
        actor=world.petra,
        record=partner,
        decision="given",
        decided_on=world.today,
        how="phone",
        today=world.today,
    )
    record_partner_report(
        actor=world.petra,
        record=partner,
        reported_on=world.today,
        mode="phone",
        answers={"felt_safety": 3, "controlling": 1, "respectful": 3, "change": 2},
        today=world.today,
    )
    flag_release = record_flag_release(
        actor=world.petra,
        record=partner,
        recipient="probation",
        given_on=world.today,
        how="phone",
        today=world.today,
    )
    (notification,) = prepare_partner_notifications(
        enrollment=man, target=EnrollmentStatus.ACTIVE, effective_on=world.today
    )
    incident = flag_incident(
        actor=world.alice,
        enrollment=man,
        kind="threat",
        occurred_at=now,
        account="He said he would wait outside her work.",
        immediate_risk=False,
        now=now,
        link_base="http://testserver/",
    )
    invited = invite_staff(
        actor=world.olga,
        organization=world.riverside,
        email="newcomer@example.org",
        role=Role.FACILITATOR,
        sites=[world.north],
        base_url="http://testserver/",
    )
    invite_token = invited.link.rstrip("/").rsplit("/", 1)[1]
    delivery = deliver(actor=world.bob, document=sent, channel=Channel.PORTAL)
    portal_invited = invite_officer(
        actor=world.olga,
        agency=world.agency_a,
        email="new-officer@example.org",
        base_url="http://testserver/",
    )
    portal_token = portal_invited.link.rstrip("/").rsplit("/", 1)[1]
    appointment = intake.schedule_appointment(
        actor=world.ian,
        enrollment=man,
        starts_at=now + dt.timedelta(days=2),
        site=world.north,
        with_whom=world.ian,
    )
    version = agreements.save_agreement_text(
        actor=world.mona, program=world.program, text="Program rules.", now=now
    )
    signed = agreements.sign_agreement(
        enrollment=man,
        version=version,
        signature=agreements.Signature(typed_name="His Name", drawing="", agreed=True),
        channel="tablet",
        opened_by=world.ian,
        link=None,
        now=now,
    )
    _, agreement_token = agreements.create_agreement_link(actor=world.ian, enrollment=man, now=now)
    document = upload_document(
        actor=world.ian,
        participant=man.participant,
        kind="court_order",
        title="Order",
        content=scan_png(),
        now=now,
    )
    holiday = Holiday.objects.create(
        organization=world.riverside, day=world.today + dt.timedelta(days=60), name="Closure"
    )
    # His identity, in sentinel strings that a facilitator (beyond his first name and last
    # initial), an evaluator, a partner-safety worker and another organization never see.
    give_identity(man.participant, actor=world.ines, today=world.today)
    entry = add_to_schedule(
        program=world.program, instrument_id=CHECKOUT, when=When.EVERY_SESSION, session_number=None
    )
    create_integration_key(
        actor=world.olga,
        organization=world.riverside,
        name="Matrix CMS",
        role=Role.FACILITATOR,
        sites=[world.north],
    )
    competency = Competency.objects.create(program=world.program, name="Uses time-out")
    sign_off = CompetencySignOff.objects.create(
        enrollment=man,
        competency=competency,
        status=SignOffStatus.SIGNED_OFF,
        evidence_note="Used it twice.",
        signed_off_by=world.alice,
        signed_off_on=world.today,
    )
    # A fee account: a charge, a payment (its receipt and reversal) and a waiver to decide.
    fee_services.post_charge(
        actor=world.mona,
        enrollment=man,
        charge_kind=ChargeKind.OTHER,
        amount=5000,
        on=dt.date(2025, 3, 9),
    )
    fee_payment = fee_services.record_payment(
        actor=world.ines,
        enrollment=man,
        amount=2000,
        method=PaymentMethod.CASH,
        on=dt.date(2025, 3, 9),
    )
    fee_waiver = fee_services.request_waiver(
        actor=world.ines, enrollment=man, amount=1000, reason="Hardship"
    )
    agency = world.agency_a  # the agency that referred him (portal, fee policy, clocks)
    ReportingClock.objects.create(
        organization=world.riverside, agency=agency, noncompliance_days=7, progress_every_weeks=4
    )
    Breach.objects.create(enrollment=man, found_on=world.today, reasons=["3 unexcused absences"])
    # A research export of Riverside North's program, produced (tasks run at once in tests).
    research = request_research_export(
        membership=world.eve.membership,
        program_ids=[world.program.pk],
        fmt=FileFormat.CSV,
        date_mode=DateMode.SHIFT,
        today=world.today,
    )
    produce_research_export(research.pk)
    # A fidelity observation of Alice by her supervisor Bob (alliance/training).
    observation = record_observation(
        actor=world.bob,
        organization=world.riverside,
        facilitator=world.alice,
        session=None,
        observed_on=world.today - dt.timedelta(days=1),
        scores={"accountability_without_shaming": 2},
        strengths="Warm welcome.",
        feedback="Stay with the silence.",
        follow_up="Discuss in supervision.",
        now=now,
    )
    # The connection map: his network, an alumni mentor matched with him, a mentoring hold.
    person = network_of(world, man.participant)
    mentor = alumnus_mentor(world)
    mentorship = matched(world, mentor, man)
    hold = connection.place_mentoring_hold(
        actor=world.petra, participant=man.participant, placed_on=world.today, today=world.today
    )
    return Objects(
        {
            "person_id": person.pk,
            "mentor_id": mentor.pk,
            "match_id": mentorship.pk,
            "hold_id": hold.pk,
            "fee_entry": fee_payment.pk,
            "waiver_id": fee_waiver.pk,
            "export_id": research.pk,
            "key_id": IntegrationKey.objects.get(name="Matrix CMS").pk,
            "instrument_id": "scs_sf",
            "attendance_id": Attendance.objects.get(session=session, enrollment=man).pk,
            "administration_id": scs_link.administration.pk,
            "competency_id": competency.pk,
            "sign_off_id": sign_off.pk,
            "participant_id": man.participant_id,
            "enrollment_id": man.pk,
            "group_id": world.group_a.pk,
            "session_id": session.pk,
            "program_id": world.program.pk,
            "item_id": world.program.curriculum.get(number=1).pk,
            "holiday_id": holiday.pk,
            "kiosk_id": kiosk.pk,
            "release_id": release.pk,
            "alert_id": alert.pk,
            "outreach_alert": outreach.pk,
            "entry_id": entry.pk,
            "practice_id": practice.pk,
            "assignment_id": assignment.pk,
            "log_id": log.pk,
            "goal_id": goal.pk,
            "document_id": sent.pk,
            "report_kind": DocumentKind.COMPLIANCE_REPORT,
            "partner_id": partner.pk,
            "safety_release": safety_release.pk,
            "concern_id": concern.pk,
            "notification_id": notification.pk,
            "consent_id": report_consent.pk,
            "flag_release_id": flag_release.pk,
            "incident_id": incident.pk,
            "action": "discharge",
            "token": link_token,
            "kiosk_token": kiosk_token,
            "practice_token": practice_token,
            "invite_token": invite_token,
            "portal_token": portal_token,
            "delivery_id": delivery.pk,
            "agency_id": world.agency_a.pk,
            "site_id": world.north.pk,
            "membership_id": Membership.objects.get(user=world.alice).pk,
            "invitation_id": invited.invitation.pk,
            "kiosk_pin": kiosk_pin,
            "practice_code": practice_code,
            "practice_pin": practice_pin,
            "appointment_id": appointment.pk,
            "agreement_id": signed.pk,
            "agreement_token": agreement_token,
            "intake_document": document.pk,
            "observation_id": observation.pk,
        }
    )


def row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in REFUSAL_RECORDS
    }


def answer(response: HttpResponse) -> str:
    status = response.status_code
    if status == 302 and response["Location"].startswith("/login/"):
        return LOGIN
    if status == 401:
        return LOGIN  # the REST API's "authenticate first" (it has no login page to send to)
    if status == 405:
        return NOT_ALLOWED
    if status in (403, 404):
        return NOT_FOUND
    if status in (410, 429):
        return f"{status}"
    if status >= 500:
        return f"{status}"
    return ALLOWED


def matches(got: str, want: str, response: HttpResponse, rule: str) -> bool:
    if rule == "public" and want == ALLOWED:
        return response.status_code < 400  # signing out sends you to the login page
    if want == ALLOWED and response.request["REQUEST_METHOD"] == "GET":
        # A page is shown (200) or, for an action not open to her now, she is sent back to
        # it (302); an empty POST may also be refused as invalid (400) or conflicting (409).
        return got == ALLOWED and response.status_code in (200, 302)
    if want == BAD_TOKEN:
        return response.status_code in (404, 410, 429)
    return got == want


def request_rolled_back(
    client: Client, method: str, path: str, *, count_rows: bool
) -> tuple[HttpResponse, dict[str, tuple[int, int]]]:
    """The request inside a transaction that is always rolled back, so an allowed POST leaves
    the world as it was for the next request. With ``count_rows``, also the tables whose row
    count the request changed (counted before the rollback, or the check would see nothing)."""
    with transaction.atomic():
        before = row_counts() if count_rows else {}
        response = client.generic(method, path)
        after = row_counts() if count_rows else {}
        transaction.set_rollback(True)
    return response, {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def client_for(persona: Persona, world: World, as_user, objects: Objects) -> Client:
    if persona.role is not None or persona.agency:
        return as_user(getattr(world, "outsider" if persona.name == "oscar" else persona.name))
    # Anonymous, or the man with his phone (and his group room's kiosk): never signed in. Each
    # browser has its own address, so one's failed token guesses never throttle another's.
    if persona.name != "participant":
        return Client(REMOTE_ADDR="10.0.0.3")
    man = Client(REMOTE_ADDR="10.0.0.2")
    signed_in = man.post(
        reverse(
            "kiosk-pin",
            kwargs={"token": objects.by_name["kiosk_token"], "enrollment_id": world.good.pk},
        ),
        {"pin": objects.by_name["kiosk_pin"]},
    )
    assert signed_in.status_code == 302, "he signs in at the group room's kiosk"
    signed_in = man.post(
        reverse("practice-sign-in"),
        {"code": objects.by_name["practice_code"], "pin": objects.by_name["practice_pin"]},
    )
    assert signed_in.status_code == 302, "he signs in to his practice with his code and PIN"
    return man


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
def test_every_url_answers_this_persona_as_its_rule_says(world, as_user, objects, persona):
    client = client_for(persona, world, as_user, objects)
    mismatches: list[str] = []
    checked = 0
    for name, pattern in url_names():
        access = ACCESS.get(name)
        if access is None:
            continue  # test_every_url_has_an_access_rule names it
        path = reverse(name, kwargs=objects.kwargs_for(name, pattern, access, persona))
        if access.query:
            path = f"{path}?{access.query}"
        for method in ("GET", "POST"):
            want = expected(access, persona, method)
            refused = want not in (ALLOWED, NOT_ALLOWED)
            try:
                response, changed = request_rolled_back(
                    client, method, path, count_rows=method == "POST" and refused
                )
            except Exception as exc:  # a crash is one more mismatch to report
                mismatches.append(f"{method} {name} ({path}) as {persona.name}: raised {exc!r}")
                continue
            checked += 1
            got = answer(response)
            if not matches(got, want, response, access.rule_for(method)):
                mismatches.append(
                    f"{method} {name} ({path}) as {persona.name}: expected {want}, "
                    f"got {response.status_code} ({got}) under rule "
                    f"{access.rule_for(method)!r}"
                )
            never_sees = hidden_from(persona, access, method)
            if got == ALLOWED and never_sees:
                body = response.content.decode(errors="replace")
                leaked = [text for text in never_sees if text in body]
                if leaked:
                    mismatches.append(f"{method} {name} ({path}) as {persona.name}: shows {leaked}")
            if changed:
                mismatches.append(
                    f"POST {name} as {persona.name} was refused but changed {changed}"
                )
    assert checked >= 2 * len(ACCESS) - 1
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)

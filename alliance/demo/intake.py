"""Synthetic intake for the demo: agreement texts, appointments, assessments, placements,
treatment plans, signed agreements and a scanned court order.

Called by the demo builder (``DEMO_STEPS``) after practice. Everything goes through the intake
services, so the rows are the ones the application writes. The risk score recorded for each
assessed man is his synthetic cohort score (``alliance.demo.cohorts``), under the same made-up
instrument name: no licensed instrument is imitated. Each program's agreement text gets a
second version after some men signed the first, so the "must re-sign" list is not empty.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.contrib.auth.models import User
from django.utils import timezone

from alliance.core.enrollment import EnrollmentStatus
from alliance.intake import agreements
from alliance.intake import services as intake
from alliance.intake.documents import upload_document
from alliance.intake.models import AgreementVersion, Answer, SubstanceUse
from alliance.participants.models import Enrollment
from alliance.programs.models import Program

AGREEMENT = """Program rules
Come to every group session on time and sober. Tell us in advance when you cannot come.
No violence, threats or intimidation, in the group or outside it.

Limits of confidentiality
What you say in the group stays in the group, except: a threat to harm someone, a risk to a
child, and what the court or your probation officer is entitled to know.

Reporting to the court
We report your enrollment, attendance, absences, completion or discharge to the agency that
referred you, on the schedule it sets.

Fees
The weekly fee follows the program's sliding scale; ask us to review it at any time."""
ADDITION = "\n\nVideo sessions\nOn video, be alone in a private room with the camera on."


@dataclass(frozen=True)
class DemoIntake:
    appointments: int
    assessments: int
    signed: int
    documents: int
    treatment_goals: int


def _scan() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "SYNTHETIC DEMO - ORDER TO ATTEND A PROGRAM", fill="black")
    for y in range(100, 800, 24):
        draw.line([(40, y), (580, y)], fill=(180, 180, 180), width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def add_intake(seed: int, today: dt.date) -> DemoIntake:
    if AgreementVersion.objects.exists():
        raise RuntimeError("The demo already has intake records.")
    manager = User.objects.get(username="manager")
    supervisor = User.objects.get(username="supervisor")
    rng = np.random.default_rng(seed + 11)
    now = timezone.now()
    answers = [Answer.YES, Answer.NO, Answer.NO, Answer.UNKNOWN]
    counts = {"appointments": 0, "assessments": 0, "signed": 0, "documents": 0}
    counts["treatment_goals"] = 0
    for program in Program.objects.order_by("pk"):
        version = agreements.save_agreement_text(
            actor=manager, program=program, text=AGREEMENT, now=now - dt.timedelta(days=120)
        )
        enrollments = list(
            Enrollment.objects.filter(program=program)
            .select_related("participant", "program__site")
            .order_by("pk")
        )
        waiting = [e for e in enrollments if e.status in (EnrollmentStatus.REFERRED, "intake")]
        for k, enrollment in enumerate(waiting):
            local = dt.datetime.combine(
                today + dt.timedelta(days=1 + k % 10), dt.time(9 + k % 7, 0)
            )
            intake.schedule_appointment(
                actor=supervisor,
                enrollment=enrollment,
                starts_at=timezone.make_aware(local, program.tzinfo),
                site=program.site,
                with_whom=supervisor,
            )
            counts["appointments"] += 1
        active = [e for e in enrollments if e.status == EnrollmentStatus.ACTIVE][:12]
        for k, enrollment in enumerate(active):
            _assess(enrollment, actor=supervisor, rng=rng, answers=answers, today=today, now=now)
            counts["assessments"] += 1
            counts["treatment_goals"] += 1  # one goal per plan (_assess)
            if k < 8:
                agreements.sign_agreement(
                    enrollment=enrollment,
                    version=version,
                    signature=agreements.Signature(
                        typed_name=f"Participant {enrollment.participant.code}",
                        drawing="",
                        agreed=True,
                    ),
                    channel="tablet",
                    opened_by=supervisor,
                    link=None,
                    now=now - dt.timedelta(days=90 - k),
                )
                counts["signed"] += 1
            if k < 2:
                upload_document(
                    actor=supervisor,
                    participant=enrollment.participant,
                    kind="court_order",
                    title="Order to attend (synthetic)",
                    content=_scan(),
                    now=now,
                )
                counts["documents"] += 1
        agreements.save_agreement_text(
            actor=manager, program=program, text=AGREEMENT + ADDITION, now=now
        )
    return DemoIntake(**counts)


def _assess(
    enrollment: Enrollment,
    *,
    actor: User,
    rng: np.random.Generator,
    answers: list[Answer],
    today: dt.date,
    now: dt.datetime,
) -> None:

    def pick() -> str:
        return str(answers[int(rng.integers(len(answers)))])

    started = enrollment.started_on or today
    intake.save_assessment(
        actor=actor,
        enrollment=enrollment,
        values={
            "violence_history": "Synthetic demo history: pushing and shouting over two years.",
            "threats": pick(),
            "weapons_access": pick(),
            "strangulation": pick(),
            "stalking": pick(),
            "substance_use": str(
                [SubstanceUse.NONE, SubstanceUse.SOME, SubstanceUse.CONCERN][int(rng.integers(3))]
            ),
            "children_in_home": pick(),
            "protective_order": "active" if rng.random() < 0.4 else "none",
            "summary": "Synthetic demo summary.",
            "completed_on": started,
        },
        now=now,
    )
    man = enrollment.participant
    if man.risk_score is not None:
        intake.record_risk_score(
            actor=actor,
            enrollment=enrollment,
            instrument=man.risk_tool,
            instrument_version=man.risk_tool_version,
            score=Decimal(man.risk_score),
            band=man.risk_band,
            assessor="Demo assessor",
            assessed_on=man.risk_assessed_on or started,
            now=now,
        )
    band = man.risk_band or "moderate"
    level = {"low": "level_1", "moderate": "level_2", "high": "level_3"}.get(band, "level_2")
    intake.place_enrollment(
        actor=actor,
        enrollment=enrollment,
        level=level,
        reason=f"Synthetic demo: {band} score, needs as assessed.",
        decided_on=started,
        now=now,
    )
    plan = intake.save_treatment_plan(
        actor=actor,
        enrollment=enrollment,
        focus="Controlling behaviour and time-outs.",
        written_on=started,
        review_on=started + dt.timedelta(days=90),
    )
    intake.add_treatment_goal(
        actor=actor,
        plan=plan,
        goal="Names his controlling behaviours in group.",
        review_on=started + dt.timedelta(days=42),
        now=now,
    )

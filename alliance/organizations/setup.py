"""The organization admin's set-up checklist: what to do, in order, from an empty database to
the first session, each step with what it is for and where it is done.

Program steps are computed by ``alliance.programs.selectors.setup_progress``; a step with
nothing to count (reminders, and measures or retention left at their defaults) is done once an
admin confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from alliance.measures.models import MeasureSchedule
from alliance.organizations.models import Membership, Organization, Site
from alliance.participants.models import Participant
from alliance.programs.models import Program
from alliance.programs.selectors import setup_progress
from alliance.rights.models import RetentionPolicy


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    purpose: str
    done: bool
    #: Where the step is done ("" if that page is not available in this installation).
    url: str
    link_text: str
    #: The admin may mark this step done by hand (nothing to count).
    confirmable: bool = False


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)


def _url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs=kwargs or None)


def setup_checklist(organization: Organization) -> Checklist:
    confirmed = set(organization.setup_confirmed or [])
    progress = setup_progress(organization)
    org_done = bool(
        organization.address.strip()
        and organization.phone.strip()
        and organization.signature_block.strip()
    )
    sites_done = Site.objects.filter(organization=organization, is_active=True).exists()
    staff_done = (
        Membership.objects.filter(organization=organization, user__is_active=True)
        .exclude(role="org_admin")
        .exists()
    )
    programs = Program.objects.filter(organization=organization)
    unscheduled = programs.exclude(pk__in=MeasureSchedule.objects.values("program_id")).first()
    measures_done = progress["programs"] and (unscheduled is None or "measures" in confirmed)
    first_program = unscheduled or programs.first()
    retention_done = (
        RetentionPolicy.objects.filter(organization=organization).exists()
        or "retention" in confirmed
    )
    caseload_done = (
        Participant.objects.filter(organization=organization).exists() or "caseload" in confirmed
    )
    program_list = _url("programs:program_list")
    steps = (
        Step(
            "organization",
            "Your organization",
            "Name, time zone, address, phone, logo and signature block. They head and sign "
            "every letter and court report, and dates are shown in this time zone.",
            org_done,
            reverse("settings-organization"),
            "Edit the organization",
        ),
        Step(
            "sites",
            "Sites",
            "The places where groups meet. Staff are given access site by site.",
            sites_done,
            reverse("settings-sites"),
            "Add a site",
        ),
        Step(
            "programs",
            "Programs",
            "Each program's attendance policy and completion criteria, which decide every "
            "man's standing and what the court is told.",
            progress["programs"],
            _url("programs:program_create") or program_list,
            "Create a program",
        ),
        Step(
            "curriculum",
            "Curriculum",
            "The numbered sessions of each program, with the core sessions a man must attend.",
            progress["curriculum"],
            program_list,
            "Write the curriculum",
        ),
        Step(
            "groups",
            "Groups",
            "Who meets when, where, and with which facilitators.",
            progress["groups"],
            _url("programs:group_create") or program_list,
            "Create a group",
        ),
        Step(
            "sessions",
            "Session schedule",
            "The dated sessions of each group, where attendance is taken.",
            progress["sessions"],
            program_list,
            "Schedule sessions",
        ),
        Step(
            "caseload",
            "Caseload",
            "The men you already work with, moved in from a spreadsheet (CSV or Excel): "
            "referral, group and past attendance, checked as a whole before anything is "
            "written. Confirm if you start with no men.",
            caseload_done,
            reverse("caseload-import"),
            "Import your caseload",
            confirmable=True,
        ),
        Step(
            "staff",
            "Staff",
            "Invite facilitators, supervisors and partner-safety workers by e-mail, with the "
            "sites and groups each may see.",
            staff_done,
            reverse("settings-staff"),
            "Invite staff",
        ),
        Step(
            "measures",
            "Measure schedules",
            "Which questionnaires men answer and when (check-outs each session, measures at "
            "intake and exit). Confirm if a program deliberately uses none.",
            measures_done,
            reverse("program-measures", kwargs={"program_id": first_program.pk})
            if first_program
            else "",
            "Set the measure schedule",
            confirmable=progress["programs"],
        ),
        Step(
            "reminders",
            "Reminders",
            "Men get e-mail reminders of due homework and unfinished check-outs from the daily "
            "`alliance send-reminders` job (see the admin guide); each man can opt out. "
            "Confirm once the job is scheduled and e-mail is configured.",
            "reminders" in confirmed,
            "",
            "",
            confirmable=True,
        ),
        Step(
            "retention",
            "Retention",
            "How many years a man's records are kept after his last enrollment ends. Set it, "
            "or confirm that the default applies.",
            retention_done,
            reverse("data-rights"),
            "Set retention",
            confirmable=True,
        ),
    )
    return Checklist(steps)

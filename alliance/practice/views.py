"""Staff pages: the library, assigning homework, a man's practice page, self-practice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance import audit
from alliance.formtools import form_errors
from alliance.http import actor
from alliance.organizations.permissions import (
    CLINICAL_ROLES,
    DASHBOARD_ROLES,
    require_membership,
)
from alliance.participants.models import Enrollment
from alliance.participants.permissions import access_participant
from alliance.practice import analysis, selectors
from alliance.practice.forms import (
    AssignForm,
    FacilitatorStateForm,
    FeedbackForm,
    GoalForm,
    GoalStatusForm,
    PracticeForm,
    ReminderForm,
    SelfPracticeForm,
)
from alliance.practice.models import Assignment, PlanGoal, SelfPractice, StateMoment
from alliance.practice.permissions import (
    LIBRARY_EDITORS,
    access_accountability_log,
    access_enrollment,
    access_group_for_homework,
    access_plan_goal,
    access_practice,
    access_practice_for_edit,
    supervised_facilitator_ids,
    visible_practices,
)
from alliance.practice.pins import disable_code_sign_in, set_practice_pin
from alliance.practice.reminders import set_reminders
from alliance.practice.services import (
    PracticeError,
    add_feedback,
    add_plan_goal,
    assign_practice,
    change_goal_status,
    log_self_practice,
    save_practice,
)
from alliance.practice.states import record_facilitator_state, sessions_he_runs, state_rows
from alliance.practice.tokens import create_practice_link
from alliance.programs.models import Session
from alliance.programs.permissions import access_program_dashboard, access_session, visible_programs


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request.user, CLINICAL_ROLES)
    return render(
        request,
        "practice/library.html",
        {
            "practices": visible_practices(membership),
            "may_edit": membership.role in LIBRARY_EDITORS,
            "programs": visible_programs(membership) if membership.role in DASHBOARD_ROLES else [],
        },
    )


@login_required
@require_GET
def practice_page(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = access_practice(request.user, practice_id)
    return render(
        request,
        "practice/practice.html",
        {"practice": practice, "versions": practice.history.all()[:20]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_practice(request: HttpRequest, practice_id: int | None = None) -> HttpResponse:
    membership = require_membership(request.user, LIBRARY_EDITORS)
    practice = access_practice_for_edit(request.user, practice_id) if practice_id else None
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_practice(
                organization=membership.organization,
                practice=practice,
                fields=form.cleaned_data,
            )
        except PracticeError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("practice", practice_id=saved.pk)
    return render(request, "practice/edit.html", {"form": form, "practice": practice})


def _assign(
    request: HttpRequest, *, group_id: int | None, enrollment: Enrollment | None
) -> Assignment:
    group = access_group_for_homework(request.user, group_id) if group_id else None
    membership = require_membership(request.user, CLINICAL_ROLES)
    form = AssignForm(request.POST)
    if not form.is_valid():
        raise PracticeError(form_errors(form))
    practice = visible_practices(membership).filter(pk=form.cleaned_data["practice"]).first()
    if practice is None:
        raise PracticeError("No such practice.")
    session = None
    if form.cleaned_data["session"]:
        owner = group.pk if group else enrollment.group_id if enrollment else None
        session = (
            Session.objects.filter(pk=form.cleaned_data["session"], group_id=owner).first()
            if owner is not None
            else None
        )
        if session is None:
            raise PracticeError("No such session for this group.")
    return assign_practice(
        actor=actor(request),
        practice=practice,
        due_on=form.cleaned_data["due_on"],
        group=group,
        enrollment=enrollment,
        session=session,
    )


@login_required
@require_POST
def assign_to_group(request: HttpRequest, group_id: int) -> HttpResponse:
    try:
        _assign(request, group_id=group_id, enrollment=None)
        messages.success(request, "Homework assigned to the group.")
    except PracticeError as exc:
        messages.error(request, str(exc))
    return redirect("group", group_id=group_id)


@login_required
@require_POST
def assign_to_man(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    try:
        _assign(request, group_id=None, enrollment=enrollment)
        messages.success(request, "Homework assigned.")
    except PracticeError as exc:
        messages.error(request, str(exc))
    return redirect("participant-practice", participant_id=enrollment.participant_id)


@never_cache  # the page shows his phone link: no browser or proxy may keep it
@login_required
@require_POST
def create_link(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    link, token = create_practice_link(
        actor=actor(request),
        enrollment=enrollment,
        now=timezone.now(),
    )
    url = request.build_absolute_uri(reverse("practice-phone", kwargs={"token": token}))
    return render(
        request, "practice/link_created.html", {"enrollment": enrollment, "link": link, "url": url}
    )


@never_cache  # the page shows his code and PIN: no browser or proxy may keep it
@login_required
@require_POST
def practice_pin(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Set (or reset) his practice code and PIN, shown once; or turn code sign-in off."""
    enrollment = access_enrollment(request.user, enrollment_id)
    now = timezone.now()
    if request.POST.get("action") == "disable":
        disable_code_sign_in(enrollment=enrollment, now=now)
        messages.success(request, "Code sign-in is off for him. His phone link still works.")
        return redirect("participant-practice", participant_id=enrollment.participant_id)
    _, code, pin = set_practice_pin(actor=actor(request), enrollment=enrollment, now=now)
    return render(
        request,
        "practice/pin_created.html",
        {
            "enrollment": enrollment,
            "code": code,
            "pin": pin,
            "sign_in_url": request.build_absolute_uri(reverse("practice-sign-in")),
        },
    )


@login_required
@require_GET
def participant_practice(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = access_participant(request.user, participant_id)
    membership = require_membership(request.user, CLINICAL_ROLES)
    enrollments = list(participant.enrollments.select_related("program").order_by("-referred_on"))
    ids = [e.pk for e in enrollments]
    accounts = list(selectors.accountability_logs(ids))
    total, months = selectors.self_check_tallies(accounts)
    logs = list(selectors.practice_logs(ids))
    from alliance.practice.charts import practice_calendar_svg

    return render(
        request,
        "practice/participant.html",
        {
            "participant": participant,
            "enrollments": enrollments,
            "logs": logs,
            "accounts": accounts,
            "tally": total,
            "months": months,
            "goals": selectors.plan_goals(ids),
            "goal_statuses": PlanGoal.Status.choices,
            "practices": visible_practices(membership).filter(is_active=True),
            "calendar_svg": practice_calendar_svg(logs) if logs else "",
        },
    )


@login_required
@require_POST
def feedback(request: HttpRequest, log_id: int) -> HttpResponse:
    log = access_accountability_log(request.user, log_id)
    audit.record(request, enrollment_id=log.enrollment_id)
    form = FeedbackForm(request.POST)
    try:
        if not form.is_valid():
            raise PracticeError(form_errors(form))
        add_feedback(
            actor=actor(request),
            log=log,
            body=form.cleaned_data["body"],
            now=timezone.now(),
        )
    except PracticeError as exc:
        messages.error(request, str(exc))
    return redirect("participant-practice", participant_id=log.enrollment.participant_id)


@login_required
@require_POST
def plan_goal(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    form = GoalForm(request.POST)
    try:
        if not form.is_valid():
            raise PracticeError(form_errors(form))
        add_plan_goal(
            actor=actor(request),
            enrollment=enrollment,
            goal=form.cleaned_data["goal"],
            review_on=form.cleaned_data["review_on"],
        )
    except PracticeError as exc:
        messages.error(request, str(exc))
    return redirect("participant-practice", participant_id=enrollment.participant_id)


@login_required
@require_POST
def plan_goal_status(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = access_plan_goal(request.user, goal_id)
    form = GoalStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise PracticeError(form_errors(form))
        change_goal_status(
            actor=actor(request),
            goal=goal,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            review_on=form.cleaned_data["review_on"],
            now=timezone.now(),
        )
    except PracticeError as exc:
        messages.error(request, str(exc))
    return redirect("participant-practice", participant_id=goal.enrollment.participant_id)


@login_required
@require_http_methods(["GET", "POST"])
def self_practice(request: HttpRequest) -> HttpResponse:
    """His own practice log, and the logs of the facilitators he supervises."""
    membership = require_membership(request.user, CLINICAL_ROLES)
    if request.method == "POST":
        form = SelfPracticeForm(request.POST)
        try:
            if not form.is_valid():
                raise PracticeError(form_errors(form))
            practice = None
            if form.cleaned_data["practice"]:
                practice = (
                    visible_practices(membership).filter(pk=form.cleaned_data["practice"]).first()
                )
                if practice is None:
                    raise Http404("No such practice.")
            log_self_practice(
                facilitator=actor(request),
                practice=practice,
                practised_on=form.cleaned_data["practised_on"],
                minutes=form.cleaned_data["minutes"],
                reflection=form.cleaned_data["reflection"],
            )
            messages.success(request, "Practice logged.")
        except PracticeError as exc:
            messages.error(request, str(exc))
        return redirect("self-practice")
    ids = supervised_facilitator_ids(membership)
    entries = SelfPractice.objects.filter(facilitator_id__in=ids).select_related(
        "facilitator", "practice"
    )[:200]
    return render(
        request,
        "practice/self_practice.html",
        {
            "entries": entries,
            "figures": selectors.facilitator_figures(ids, today=timezone.localdate()),
            "practices": visible_practices(membership).filter(is_active=True),
            "today": timezone.localdate(),
            "my_sessions": sessions_he_runs(request.user, today=timezone.localdate()),  # type: ignore[arg-type]
            "moments": StateMoment.choices,
            "states": state_rows(ids),
        },
    )


@login_required
@require_POST
def facilitator_state(request: HttpRequest) -> HttpResponse:
    """He rates his own calm, threat and connection before or after one of his sessions."""
    require_membership(request.user, CLINICAL_ROLES)
    form = FacilitatorStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("self-practice")
    session = access_session(request.user, form.cleaned_data["session"])
    try:
        record_facilitator_state(
            facilitator=actor(request),
            session=session,
            moment=StateMoment(form.cleaned_data["moment"]),
            calm=form.cleaned_data["calm"],
            threat=form.cleaned_data["threat"],
            connection=form.cleaned_data["connection"],
            now=timezone.now(),
        )
        messages.success(request, "Your before/after rating is saved.")
    except PracticeError as exc:
        messages.error(request, str(exc))
    return redirect("self-practice")


@login_required
@require_POST
def reminder_settings(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    form = ReminderForm(request.POST)
    if form.is_valid():
        set_reminders(
            enrollment=enrollment,
            email=form.cleaned_data["email"],
            opted_out=form.cleaned_data["opted_out"],
        )
        messages.success(request, "Reminder settings saved.")
    else:
        messages.error(request, form_errors(form))
    return redirect("participant-practice", participant_id=enrollment.participant_id)


@login_required
@require_GET
def program_practice(request: HttpRequest, program_id: int) -> HttpResponse:
    """Aggregate figures only: no man's code or log appears on this page."""
    _, programs = access_program_dashboard(request.user, program_id)
    program = programs.get()
    now = timezone.now()
    summary = analysis.program_practice(program)
    return render(
        request,
        "practice/program.html",
        {
            "program": program,
            "summary": summary,
            "dose_rows": analysis.dose_panel([program], now=now),
            "completion_svgs": analysis.completion_pictures(summary.completion),
        },
    )

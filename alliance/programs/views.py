from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alliance.core.vocabulary import AttendanceMark, Departure
from alliance.engagement.panels import risk_panel
from alliance.formtools import form_errors
from alliance.http import HtmxHttpRequest, actor
from alliance.identity.panels import shown_names
from alliance.measures.panels import session_measures
from alliance.organizations.permissions import membership_of, require_membership
from alliance.participants.models import Enrollment
from alliance.participants.permissions import may_decide, visible_participants
from alliance.practice.panels import group_homework
from alliance.programs import selectors
from alliance.programs.forms import (
    AttendanceDetailsForm,
    AttendanceForm,
    ScheduleForm,
    SessionNotesForm,
    SessionTimesForm,
)
from alliance.programs.models import Session, SessionStatus
from alliance.programs.permissions import access_group, access_session
from alliance.programs.services import (
    AttendanceError,
    EditConflict,
    mark_everyone_present,
    record_attendance,
    update_session,
)
from alliance.programs.session_facts import record_attendance_details, record_session_times
from alliance.programs.setup_services import SetupError, generate_schedule


def _notes_form(session: Session) -> SessionNotesForm:
    return SessionNotesForm(
        initial={"notes": session.notes, "status": session.status, "revision": session.revision}
    )


def _live_parts(request: HttpRequest, session: Session) -> dict[str, object]:
    """What an attendance tap changes below the row: the status, the check-out and rating
    table (a man marked present gets his rating form) and the notes form's status."""
    return {
        "session": session,
        "session_measures": session_measures(membership_of(request.user), session),
        "notes_form": _notes_form(session),
    }


def _announce(mark: str, code: str, minutes_late: int) -> str:
    label = selectors.MARK_LABELS[mark].lower()
    if mark == AttendanceMark.LATE.value:
        label = f"{label} ({minutes_late} min)"
    return f"Marked {label}: {code}"


@login_required
@require_GET
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    membership = membership_of(request.user)
    rows = selectors.session_rows(session)
    return render(
        request,
        "programs/session.html",
        {
            **_live_parts(request, session),
            "rows": rows,
            "unmarked": sum(1 for r in rows if r.attendance is None),
            "names": shown_names(request, membership, [r.enrollment.participant_id for r in rows]),
            "marks": selectors.MARK_LABELS,
            "times_form": SessionTimesForm(
                initial={"actual_start": session.actual_start, "actual_end": session.actual_end}
            ),
        },
    )


@login_required
@require_POST
def mark_attendance(request: HtmxHttpRequest, session_id: int, enrollment_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    rows = {row.enrollment.pk: row for row in selectors.session_rows(session)}
    row = rows.get(enrollment_id)
    form = AttendanceForm(request.POST)
    error = ""
    if row is None:
        # Not on this session's list (a make-up visitor, or a mistake): only a man the user may
        # see elsewhere is looked up, so the refusal never reveals anyone else.
        membership = require_membership(request.user)
        enrollment = Enrollment.objects.filter(
            pk=enrollment_id,
            program=session.group.program,
            participant__in=visible_participants(membership),
        ).first()
        if enrollment is None:
            raise Http404("No such participant in this session.")
        row = selectors.SessionRow(enrollment, None)
    if not form.is_valid():
        error = form_errors(form)
    else:
        try:
            record_attendance(
                actor=actor(request),
                session=session,
                enrollment=row.enrollment,
                mark=AttendanceMark(form.cleaned_data["mark"]),
                minutes_late=form.cleaned_data["minutes_late"] or 0,
                expected_revision=form.cleaned_data["revision"],
            )
        except (AttendanceError, EditConflict) as exc:
            error = str(exc)
        row = {r.enrollment.pk: r for r in selectors.session_rows(session)}.get(enrollment_id, row)
    status = 409 if error else 200
    if request.htmx:
        code = row.enrollment.participant.code
        announce = (
            f"Not saved for {code}: {error}"
            if error
            else _announce(
                row.attendance.mark if row.attendance else form.cleaned_data["mark"],
                code,
                row.attendance.minutes_late if row.attendance else 0,
            )
        )
        return render(
            request,
            "programs/_attendance_answer.html",
            {
                **_live_parts(request, session),
                "row": row,
                "error": error,
                "focus_mark": request.POST.get("mark", ""),
                "announce": announce,
                "marks": selectors.MARK_LABELS,
                "names": shown_names(
                    request, membership_of(request.user), [row.enrollment.participant_id]
                ),
            },
            status=status,
        )
    if error:
        messages.error(request, f"{row.enrollment.participant.code}: {error}")
    return redirect("session", session_id=session.pk)


@login_required
@require_POST
def mark_all_present(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Mark present every man not yet marked; the facilitator then changes the exceptions."""
    session = access_session(request.user, session_id)
    rows = selectors.session_rows(session)
    done = mark_everyone_present(
        actor=actor(request),
        session=session,
        enrollments=[(r.enrollment, r.attendance is not None) for r in rows],
    )
    if done.marked:
        summary = (
            f"Marked present: {len(done.marked)} "
            f"{'man' if len(done.marked) == 1 else 'men'} ({', '.join(done.marked)}). "
            "Now change the marks of anyone late or absent."
        )
    else:
        summary = "Everyone on the list already has a mark; nothing changed."
    problems = " ".join(f"{code} not marked: {reason}" for code, reason in done.refused)
    if request.htmx:
        rows = selectors.session_rows(session)
        membership = membership_of(request.user)
        return render(
            request,
            "programs/_attendance_table.html",
            {
                **_live_parts(request, session),
                "rows": rows,
                "unmarked": sum(1 for r in rows if r.attendance is None),
                "announce": f"{summary} {problems}".strip(),
                "marks": selectors.MARK_LABELS,
                "names": shown_names(
                    request, membership, [r.enrollment.participant_id for r in rows]
                ),
            },
        )
    messages.success(request, summary)
    if problems:
        messages.error(request, problems)
    return redirect("session", session_id=session.pk)


@login_required
@require_POST
def attendance_details(
    request: HtmxHttpRequest, session_id: int, enrollment_id: int
) -> HttpResponse:
    """Times, left early or sent home (with the reason), and video, for one man's mark."""
    session = access_session(request.user, session_id)
    row = {r.enrollment.pk: r for r in selectors.session_rows(session)}.get(enrollment_id)
    if row is None or row.attendance is None:
        raise Http404("No mark recorded for this participant in this session.")
    form = AttendanceDetailsForm(request.POST)
    error = ""
    if not form.is_valid():
        error = form_errors(form)
    else:
        data = form.cleaned_data
        try:
            record_attendance_details(
                actor=actor(request),
                attendance=row.attendance,
                arrived_at=data["arrived_at"],
                left_at=data["left_at"],
                departure=Departure(data["departure"] or ""),
                departure_reason=data["departure_reason"],
                by_video=data["by_video"],
                identity_confirmed=data["identity_confirmed"],
                expected_revision=data["revision"],
            )
        except (AttendanceError, EditConflict) as exc:
            error = str(exc)
        row = {r.enrollment.pk: r for r in selectors.session_rows(session)}.get(enrollment_id, row)
    status = 409 if error else 200
    if request.htmx:
        return render(
            request,
            "programs/_attendance_row.html",
            {
                "row": row,
                "session": session,
                "error": error,
                "marks": selectors.MARK_LABELS,
                "names": shown_names(
                    request, membership_of(request.user), [row.enrollment.participant_id]
                ),
            },
            status=status,
        )
    if error:
        messages.error(request, f"{row.enrollment.participant.code}: {error}")
    return redirect("session", session_id=session.pk)


@login_required
@require_POST
def session_times(request: HttpRequest, session_id: int) -> HttpResponse:
    """When the session actually began and ended."""
    session = access_session(request.user, session_id)
    form = SessionTimesForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            record_session_times(actor=actor(request), session=session, **form.cleaned_data)
        except AttendanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Session times saved.")
    return redirect("session", session_id=session.pk)


@login_required
@require_POST
def edit_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    form = SessionNotesForm(request.POST)
    if form.is_valid():
        try:
            update_session(
                actor=actor(request),
                session=session,
                notes=form.cleaned_data["notes"],
                status=SessionStatus(form.cleaned_data["status"]),
                expected_revision=form.cleaned_data["revision"],
            )
            messages.success(request, "Session saved.")
        except EditConflict as exc:
            messages.error(request, f"{exc} Your text was: {form.cleaned_data['notes']}")
        except AttendanceError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, form_errors(form))
    return redirect("session", session_id=session.pk)


@login_required
@require_GET
def group_roster(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    membership = membership_of(request.user)
    return render(
        request,
        "programs/roster.html",
        {
            "roster": selectors.group_roster(
                group, today=timezone.localdate(timezone=group.program.tzinfo)
            ),
            "symbols": selectors.MARK_SYMBOLS,
            "schedule_form": ScheduleForm(initial={"weeks": 12})
            if may_decide(membership)
            else None,
            # Other apps' panels, each None (absent) for a role that may not see it.
            "risk": risk_panel(membership, group=group, today=timezone.localdate()),
            "homework": group_homework(membership, group),
        },
    )


@login_required
@require_POST
def schedule_sessions(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    if not may_decide(membership_of(request.user)):
        raise Http404("No such page.")
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        first, weeks = form.cleaned_data["first_date"], form.cleaned_data["weeks"]
        try:
            created, _ = generate_schedule(
                actor=actor(request),
                group=group,
                count=weeks,
                first_date=first,
                until=first + dt.timedelta(weeks=weeks - 1),
            )
        except SetupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{len(created)} session(s) scheduled.")
    return redirect("group", group_id=group.pk)

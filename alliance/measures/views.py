"""Staff pages: kiosks, ratings, paper forms, links, PINs, alerts, heatmaps, program figures."""

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
from alliance.measures import charts, selectors
from alliance.measures.forms import (
    LinkForm,
    MeasureSettingsForm,
    PaperForm,
    ReleaseForm,
    ScheduleForm,
    answers_from,
    key_from,
)
from alliance.measures.models import (
    FACILITATOR_RATING,
    Channel,
    Occasion,
    RecipientKind,
    Respondent,
    When,
)
from alliance.measures.permissions import (
    access_alert,
    access_enrollment,
    access_enrollment_releases,
    access_kiosk,
    access_program_measures,
    access_program_settings,
    access_release,
    may_configure,
    may_manage_releases,
)
from alliance.measures.registry import administrable, definition_for
from alliance.measures.releases import record_release, release_rows, revoke_release
from alliance.measures.services import (
    MeasureError,
    acknowledge_alert,
    add_to_schedule,
    flag_missed_checkouts,
    new_key,
    remove_from_schedule,
    schedule_for,
    settings_for,
    start_administration,
    submit_administration,
    update_measure_settings,
)
from alliance.measures.tokens import (
    close_kiosk,
    create_participant_link,
    issue_kiosk_pin,
    open_kiosk,
)
from alliance.organizations.models import Role
from alliance.participants.services import program_today
from alliance.programs.permissions import access_group, access_session
from alliance.redirects import redirect_to_next

# --- the session page: kiosk and facilitator ratings ---------------------------------------


@login_required
@require_POST
@never_cache
def open_kiosk_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    try:
        kiosk, token = open_kiosk(actor=request.user, session=session)  # type: ignore[arg-type]
    except MeasureError as exc:
        messages.error(request, str(exc))
        return redirect("session", session_id=session.pk)
    url = request.build_absolute_uri(reverse("kiosk", kwargs={"token": token}))
    return render(
        request, "measures/kiosk_opened.html", {"session": session, "kiosk": kiosk, "url": url}
    )


@login_required
@require_POST
def close_kiosk_view(request: HttpRequest, kiosk_id: int) -> HttpResponse:
    kiosk = access_kiosk(request.user, kiosk_id)
    close_kiosk(actor=request.user, kiosk=kiosk)  # type: ignore[arg-type]
    messages.success(request, "Kiosk closed. Men who attended without a check-out are flagged.")
    return redirect("session", session_id=kiosk.session_id)


@login_required
@require_POST
def flag_missed_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    alerts = flag_missed_checkouts(session=session)
    messages.success(request, f"{len(alerts)} man/men attended without a check-out.")
    return redirect("session", session_id=session.pk)


@login_required
@require_POST
def rate_view(request: HttpRequest, session_id: int, enrollment_id: int) -> HttpResponse:
    """The facilitator's rating of one man at one session (new, or a correction)."""
    session = access_session(request.user, session_id)
    rows = {r.enrollment.pk: r for r in selectors.session_measure_rows(session)}
    row = rows.get(enrollment_id)
    if row is None:
        raise Http404("No such man at this session.")
    definition = definition_for(FACILITATOR_RATING)
    key = key_from(request.POST)
    error = ""
    try:
        administration = start_administration(
            actor=request.user,  # type: ignore[arg-type]
            enrollment=row.enrollment,
            definition=definition,
            respondent=Respondent.FACILITATOR,
            channel=Channel.STAFF,
            administered_on=session.held_on,
            idempotency_key=key,
            session=session,
            occasion=Occasion.SESSION,
        )
        submit_administration(
            actor=request.user,  # type: ignore[arg-type]
            administration=administration,
            answers=answers_from(request.POST),
            submission_key=key,
        )
    except MeasureError as exc:
        error = str(exc)
    if request.htmx:  # type: ignore[attr-defined]
        fresh = {r.enrollment.pk: r for r in selectors.session_measure_rows(session)}
        return render(
            request,
            "measures/_rating_row.html",
            {
                "row": fresh.get(enrollment_id, row),
                "session": session,
                "items": selectors.item_rows(definition),
                "key": new_key(),
                "scale": range(0, 11),
                "error": error,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, f"{row.enrollment.participant.code}: {error}")
    else:
        messages.success(request, f"Rating saved for {row.enrollment.participant.code}.")
    return redirect("session", session_id=session.pk)


# --- a man's measures: paper forms, links, PINs --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def paper_form(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    instrument_id = request.POST.get("instrument") or request.GET.get("instrument", "")
    if instrument_id not in {d.id for d in administrable()}:
        raise Http404("No such measure.")
    definition = definition_for(instrument_id)
    form = PaperForm(
        request.POST or None,
        initial={"administered_on": program_today(enrollment), "occasion": Occasion.OTHER},
    )
    posted = answers_from(request.POST)
    error, status = "", 200
    if request.method == "POST":
        if not form.is_valid():
            error, status = form_errors(form), 400
        else:
            key = key_from(request.POST)
            try:
                administration = start_administration(
                    actor=request.user,  # type: ignore[arg-type]
                    enrollment=enrollment,
                    definition=definition,
                    respondent=Respondent.PAPER,
                    channel=Channel.STAFF,
                    administered_on=form.cleaned_data["administered_on"],
                    idempotency_key=key,
                    occasion=Occasion(form.cleaned_data["occasion"]),
                )
                submit_administration(
                    actor=request.user,  # type: ignore[arg-type]
                    administration=administration,
                    answers=posted,
                    submission_key=key,
                )
            except MeasureError as exc:
                error, status = str(exc), 400
            else:
                messages.success(
                    request, f"{definition.title} recorded for {enrollment.participant.code}."
                )
                return redirect("participant", participant_id=enrollment.participant_id)
    return render(
        request,
        "measures/paper_form.html",
        {
            "enrollment": enrollment,
            "definition": definition,
            "form": form,
            "items": selectors.form_items(definition, {}, posted),
            "key": key_from(request.POST) or new_key(),
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
@never_cache
def create_link_view(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("participant", participant_id=enrollment.participant_id)
    try:
        link, token = create_participant_link(
            actor=request.user,  # type: ignore[arg-type]
            enrollment=enrollment,
            definition=definition_for(form.cleaned_data["instrument"]),
            administered_on=program_today(enrollment),
            occasion=Occasion(form.cleaned_data["occasion"]),
        )
    except MeasureError as exc:
        messages.error(request, str(exc))
        return redirect("participant", participant_id=enrollment.participant_id)
    url = request.build_absolute_uri(reverse("measures-link", kwargs={"token": token}))
    return render(
        request,
        "measures/link_created.html",
        {
            "enrollment": enrollment,
            "link": link,
            "url": url,
            "definition": definition_for(link.administration.instrument_id),
        },
    )


@login_required
@require_POST
@never_cache
def issue_pin_view(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    pin = issue_kiosk_pin(actor=request.user, enrollment=enrollment)  # type: ignore[arg-type]
    return render(request, "measures/pin_issued.html", {"enrollment": enrollment, "pin": pin})


# --- alerts --------------------------------------------------------------------------------


@login_required
@require_POST
def acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = access_alert(request.user, alert_id)
    audit.record(request, enrollment_id=alert.enrollment_id)
    alert = acknowledge_alert(actor=request.user, alert=alert)  # type: ignore[arg-type]
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "measures/_alert.html", {"alert": alert})
    return redirect_to_next(request, default=reverse("home"))


# --- pictures and program figures ----------------------------------------------------------


@login_required
@require_GET
def group_checkouts(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    today = timezone.localdate(timezone=group.program.tzinfo)
    heatmap = selectors.checkout_heatmap(group, today=today)
    labels = [f"{s.held_on:%d %b}" for s in heatmap.sessions]
    svg = (
        charts.heatmap_svg(
            title=f"{group}: check-out by man and session",
            codes=heatmap.codes,
            session_labels=labels,
            values=heatmap.values,
        )
        if heatmap.codes
        else ""
    )
    return render(
        request,
        "measures/group_checkouts.html",
        {
            "heatmap": heatmap,
            "labels": labels,
            "svg": svg,
            "rows": list(zip(heatmap.codes, heatmap.participant_ids, heatmap.values, strict=True)),
        },
    )


@login_required
@require_GET
def program_measures(request: HttpRequest, program_id: int) -> HttpResponse:
    membership, program = access_program_measures(request.user, program_id)
    configure = may_configure(membership)
    return render(
        request,
        "measures/program.html",
        {
            "program": program,
            "consistency": selectors.internal_consistency(program),
            "changes": selectors.change_table(program),
            "schedule": schedule_for(program),
            "thresholds": settings_for(program),
            "may_configure": configure,
            "settings_form": MeasureSettingsForm(instance=settings_for(program))
            if configure
            else None,
            "schedule_form": ScheduleForm() if configure else None,
            "is_evaluator": membership.role == Role.EVALUATOR,
        },
    )


@login_required
@require_POST
def program_settings_view(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program_settings(request.user, program_id)
    form = MeasureSettingsForm(request.POST, instance=settings_for(program))
    if form.is_valid():
        update_measure_settings(program=program, **form.cleaned_data)
        messages.success(request, "Alert thresholds saved.")
    else:
        messages.error(request, form_errors(form))
    return redirect("program-measures", program_id=program.pk)


@login_required
@require_POST
def schedule_add_view(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program_settings(request.user, program_id)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            add_to_schedule(
                program=program,
                instrument_id=form.cleaned_data["instrument"],
                when=When(form.cleaned_data["when"]),
                session_number=form.cleaned_data["session_number"],
            )
        except MeasureError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Schedule updated.")
    return redirect("program-measures", program_id=program.pk)


@login_required
@require_POST
def schedule_remove_view(request: HttpRequest, program_id: int, entry_id: int) -> HttpResponse:
    program = access_program_settings(request.user, program_id)
    remove_from_schedule(program=program, entry_id=entry_id)
    messages.success(request, "Removed from the schedule.")
    return redirect("program-measures", program_id=program.pk)


# --- releases ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def releases_view(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    write = request.method == "POST"
    membership, enrollment = access_enrollment_releases(request.user, enrollment_id, write=write)
    today = program_today(enrollment)
    manage = may_manage_releases(membership)
    form = ReleaseForm(request.POST or None) if manage else None
    error, status = "", 200
    if form is not None and write:
        if not form.is_valid():
            error, status = form_errors(form), 400
        else:
            try:
                record_release(
                    actor=request.user,  # type: ignore[arg-type]
                    enrollment=enrollment,
                    recipient_kind=RecipientKind(form.cleaned_data["recipient_kind"]),
                    recipient_name=form.cleaned_data["recipient_name"],
                    signed_on=form.cleaned_data["signed_on"],
                    expires_on=form.cleaned_data["expires_on"],
                    all_therapeutic=form.cleaned_data["all_therapeutic"],
                    instrument_ids=form.cleaned_data["instrument_ids"],
                    today=today,
                )
            except MeasureError as exc:
                error, status = str(exc), 400
            else:
                messages.success(request, f"Release recorded for {enrollment.participant.code}.")
                return redirect("measure-releases", enrollment_id=enrollment.pk)
    return render(
        request,
        "measures/releases.html",
        {
            "enrollment": enrollment,
            "rows": release_rows(enrollment, today=today),
            "form": form,
            "may_manage": manage,
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
def revoke_release_view(request: HttpRequest, release_id: int) -> HttpResponse:
    release = access_release(request.user, release_id)
    audit.record(request, enrollment_id=release.enrollment_id)
    revoke_release(actor=request.user, release=release)  # type: ignore[arg-type]
    messages.success(request, "Release revoked.")
    return redirect("measure-releases", enrollment_id=release.enrollment_id)

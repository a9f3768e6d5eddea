from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from alliance.core.enrollment import TRANSITIONS, DischargeReason, EnrollmentStatus, TransitionError
from alliance.core.vocabulary import ReferralSource
from alliance.engagement.panels import participant_risk
from alliance.http import HtmxHttpRequest, actor
from alliance.identity.forms import ReferralIdentityForm
from alliance.identity.panels import participant_identity, shown_names
from alliance.identity.search import names_matching
from alliance.identity.services import save_identity
from alliance.intake.panels import participant_intake
from alliance.measures.alerts.selectors import participant_alerts
from alliance.measures.panels import participant_measures
from alliance.measures.permissions import sees_clinical
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import (
    CLINICAL_ROLES,
    REFERRAL_ROLES,
    membership_of,
    require_membership,
)
from alliance.participants import selectors
from alliance.participants.competencies import competency_rows
from alliance.participants.forms import ReferralForm, StatusChangeForm
from alliance.participants.permissions import (
    access_enrollment_for_decision,
    access_participant,
    access_participant_history,
    may_decide,
    may_read_history,
    visible_participants,
)
from alliance.participants.services import (
    assess_enrollment,
    change_enrollment_status,
    program_today,
    register_referral,
)
from alliance.practice import selectors as practice_selectors
from alliance.practice.permissions import sees_practice
from alliance.programs.permissions import may_set_up, visible_groups, visible_programs
from alliance.programs.setup_selectors import capacity_warning

#: What each action button does, in the words of the page.
ACTIONS = {
    "activate": (EnrollmentStatus.ACTIVE, "Activate"),
    "complete": (EnrollmentStatus.COMPLETED, "Record completion"),
    "discharge": (EnrollmentStatus.DISCHARGED, "Discharge"),
    "dropout": (EnrollmentStatus.DROPPED_OUT, "Record dropout"),
    "reinstate": (EnrollmentStatus.ACTIVE, "Reinstate"),
    "transfer": (EnrollmentStatus.TRANSFERRED, "Transfer out"),
    "intake": (EnrollmentStatus.INTAKE, "Record intake"),
}
#: Facilitators may record intake and activation; the rest is a decision role's sign-off.
FACILITATOR_ACTIONS = {"intake", "activate"}


def available_actions(status: str, *, decider: bool) -> list[tuple[str, str]]:
    current = EnrollmentStatus(status)
    reinstating = current in (EnrollmentStatus.DISCHARGED, EnrollmentStatus.DROPPED_OUT)
    result = []
    for slug, (target, label) in ACTIONS.items():
        if target not in TRANSITIONS[current]:
            continue
        if (slug == "reinstate") != reinstating and target is EnrollmentStatus.ACTIVE:
            continue
        if not decider and slug not in FACILITATOR_ACTIONS:
            continue
        result.append((slug, label))
    return result


#: The tabs of his page, in order: (slug, label). The overview comes first and holds the
#: latest and the due; each other tab is its own address (``?tab=slug``), so a tab can be
#: linked, bookmarked and reached with Back, and the page computes only what it shows.
TABS = (
    ("overview", "Overview"),
    ("attendance", "Attendance"),
    ("measures", "Measures"),
    ("practice", "Practice"),
    ("accountability", "Accountability"),
    ("documents", "Documents"),
    ("history", "History"),
)
#: Recent practice and accountability entries shown on their tabs (the rest on his practice
#: page).
RECENT = 10


def _tabs_for(membership: Membership | None) -> list[tuple[str, str]]:
    """The tabs this role has: measures need clinical sight, practice and accountability the
    practice role (``sees_practice``); the rest are every clinical role's."""
    shown = []
    for slug, label in TABS:
        if slug == "measures" and not sees_clinical(membership):
            continue
        if slug in ("practice", "accountability") and not sees_practice(membership):
            continue
        shown.append((slug, label))
    return shown


@login_required
@require_GET
def participant_page(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = access_participant(request.user, participant_id)
    membership = membership_of(request.user)
    decider = may_decide(membership)
    tabs = _tabs_for(membership)
    tab = request.GET.get("tab", "overview")
    if tab not in dict(tabs):
        tab = "overview"  # an unknown or another role's tab: his overview, never an error
    context: dict[str, Any] = {
        "participant": participant,
        "tab": tab,
        "tabs": tabs,
        "may_read_history": may_read_history(membership),
        "decider": decider,
        "user_id": request.user.pk,
        # The name beside his code, on every tab, as much of it as this role may see.
        "identity_panel": participant_identity(membership, participant),
    }
    today = timezone.localdate()  # the middleware activates the organization's zone
    if tab in ("overview", "attendance", "documents"):
        enrollments = selectors.participant_enrollments(participant)
        context["cards"] = [
            {
                "enrollment": e,
                "assessment": assess_enrollment(e) if tab != "documents" else None,
                "actions": available_actions(e.status, decider=decider),
                "competencies": competency_rows(e) if tab == "attendance" and e.started_on else [],
                "leaves": list(e.leaves.select_related("approved_by"))
                if tab == "attendance"
                else [],
            }
            for e in enrollments
        ]
        if tab == "overview":
            context["next_sessions"] = selectors.next_sessions(enrollments, today=today)
            context["alerts"] = (
                [a for a in participant_alerts(participant) if a.acknowledged_at is None]
                if sees_clinical(membership)
                else []
            )
        if tab == "documents":
            context["intake_panel"] = participant_intake(membership, participant, enrollments)
    if tab == "attendance":
        context["marks"] = selectors.attendance_entries(participant)
        # The engagement estimate (None: absent for a role that may not see it).
        context["risk_rows"] = participant_risk(membership, participant, today=today)
    if tab == "measures":
        context["participant_measures"] = participant_measures(membership, participant)
    if tab in ("practice", "accountability"):
        ids = list(participant.enrollments.values_list("pk", flat=True))
        if tab == "practice":
            context["practice_logs"] = list(
                practice_selectors.practice_logs(ids).order_by("-logged_on", "-pk")[:RECENT]
            )
        else:
            context["goals"] = list(practice_selectors.plan_goals(ids))
            context["accounts"] = list(
                practice_selectors.accountability_logs(ids).order_by("-written_on", "-pk")[:RECENT]
            )
    if tab == "history":
        context["timeline"] = selectors.participant_timeline(participant)
    return render(request, "participants/participant.html", context)


@login_required
@require_GET
def participant_history(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = access_participant_history(request.user, participant_id)
    return render(
        request,
        "participants/history.html",
        {"participant": participant, "rows": selectors.history_rows(participant)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_status(request: HttpRequest, enrollment_id: int, action: str) -> HttpResponse:
    enrollment = access_enrollment_for_decision(request.user, enrollment_id)
    decider = may_decide(membership_of(request.user))
    allowed = dict(available_actions(enrollment.status, decider=decider))
    if action not in ACTIONS:
        raise Http404("No such action.")
    if action not in allowed:
        # A known action that this user may not take now (role or status): say so plainly.
        messages.error(request, f"{ACTIONS[action][1]} is not available for this enrollment now.")
        return redirect("participant", participant_id=enrollment.participant_id)
    target, label = ACTIONS[action]
    membership = membership_of(request.user)
    groups = enrollment.program.groups.filter(is_active=True)
    if membership is not None and membership.role == Role.FACILITATOR:
        groups = groups.filter(pk__in=visible_groups(membership))
    today = program_today(enrollment)
    form = StatusChangeForm(request.POST or None, groups=groups, initial={"effective_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change_enrollment_status(
                actor=actor(request),
                enrollment=enrollment,
                target=target,
                effective_on=data["effective_on"],
                reason=data["reason"],
                discharge_reason=DischargeReason(data["discharge_reason"])
                if data["discharge_reason"]
                else None,
                group=data["group"],
            )
        except TransitionError as exc:
            field, _, text = str(exc).partition(": ")
            if field in form.fields:
                form.add_error(field, text)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, f"{label}: recorded for {enrollment.participant.code}.")
            warning = capacity_warning(data["group"]) if data["group"] is not None else None
            if warning:
                messages.warning(request, warning)
            return redirect("participant", participant_id=enrollment.participant_id)
    return render(
        request,
        "participants/change_status.html",
        {
            "enrollment": enrollment,
            "form": form,
            "label": label,
            "action": action,
            "needs_group": target is EnrollmentStatus.ACTIVE and action == "activate",
            "needs_discharge_reason": target is EnrollmentStatus.DISCHARGED,
        },
        status=400 if request.method == "POST" else 200,
    )


#: Men per page of the participant list and search results.
PAGE_SIZE = 25
#: The longest search kept (a code, initials or a name).
QUERY_LENGTH = 64


def _search(request: HtmxHttpRequest) -> HttpResponse:
    """The participant list and its search: by code (any part of it), initials, or name where
    the identity vault lets this role see names. A GET, so results can be linked and Back
    works; the page is never cached (``NoStoreMiddleware``) and a name typed here is matched
    in memory (``identity.search``), never written to a log by Alliance (docs/security.md).
    A name shown beside a code is logged as a view of him (``shown_names``); a code alone is
    not (docs/audit.md)."""
    membership = require_membership(request.user, CLINICAL_ROLES)
    query = " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]
    status = request.GET.get("status", "")
    statuses = [(s.value, s.value.replace("_", " ").capitalize()) for s in EnrollmentStatus]
    if status not in dict(statuses):
        status = ""  # an unknown status filters nothing, as "Any"
    visible = visible_participants(membership)
    name_ids = names_matching(membership, query, within=visible) if query else []
    people = selectors.find_participants(
        membership, query=query, status=status, name_matches=name_ids
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "people": shown,
        "names": shown_names(request, membership, [p.pk for p in shown]),
        "count": page.paginator.count,
        "query": query,
        "status": status,
        "statuses": statuses,
        "params": params.urlencode(),
        "may_refer": may_decide(membership),
        "may_import": may_set_up(membership),
        "membership": membership,
    }
    template = "participants/_results.html" if request.htmx else "participants/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
@never_cache
def participant_list(request: HtmxHttpRequest) -> HttpResponse:
    """Everyone the user may see, with the search form (the same page as the search)."""
    return _search(request)


@login_required
@require_GET
@never_cache
def participant_search(request: HtmxHttpRequest) -> HttpResponse:
    """``GET /participants/search/?q=``: the full page, or the results alone for HTMX (search
    as you type)."""
    return _search(request)


@login_required
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request.user, REFERRAL_ROLES)
    programs = visible_programs(membership)
    form = ReferralForm(
        request.POST or None,
        programs=programs,
        organization=membership.organization,
        initial={"referred_on": timezone.localdate()},
    )
    identity_form = ReferralIdentityForm(request.POST or None, organization=membership.organization)
    if request.method == "POST" and form.is_valid() and identity_form.is_valid():
        data = form.cleaned_data
        referral = {
            key: data[key]
            for key in (
                "referral_agency",
                "referral_contact_name",
                "referral_contact_email",
                "referral_contact_phone",
                "case_reference",
            )
        }
        try:
            # The man, his referral and (when given) his identity, together or not at all.
            with transaction.atomic():
                enrollment = register_referral(
                    actor=actor(request),
                    participant=form.instance,
                    program=data["program"],
                    referral_source=ReferralSource(data["referral_source"]),
                    referred_on=data["referred_on"],
                    **referral,
                )
                if identity_form.given():
                    save_identity(
                        actor=actor(request),
                        participant=enrollment.participant,
                        details=identity_form.details(),
                        today=timezone.localdate(),
                    )
        except (TransitionError, ValidationError) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"Referral recorded for {enrollment.participant.code}.")
            if membership.role not in CLINICAL_ROLES:  # intake: his record is not hers to open
                return redirect("participant-identity", participant_id=enrollment.participant_id)
            return redirect("participant", participant_id=enrollment.participant_id)
    return render(
        request,
        "participants/new_referral.html",
        {"form": form, "identity_form": identity_form},
        status=400 if request.method == "POST" else 200,
    )

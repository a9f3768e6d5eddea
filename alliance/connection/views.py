"""Pages of the connection map and alumni mentoring. Each view: parse, access, service, render.

Pages that show a man's data are in the access log: those whose URL names him by
``participant_id`` automatically, the mentor and match pages by ``audit.record``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from alliance import audit
from alliance.formtools import form_errors
from alliance.http import actor

from . import selectors, services
from .forms import (
    ContactForm,
    EndForm,
    HoldForm,
    LiftForm,
    MatchForm,
    MentorForm,
    ReviewForm,
    SupportPersonForm,
    VetMentorForm,
)
from .models import MentoringHold
from .permissions import (
    access_hold,
    access_holds,
    access_mentor,
    access_mentoring,
    access_mentorship,
    access_network,
    access_support_person,
    hold_participants,
    visible_mentors,
)
from .services import ConnectionRefused


def _refused(request: HttpRequest, exc: ConnectionRefused) -> None:
    messages.error(request, f"{exc.field.replace('_', ' ').capitalize()}: {exc.message}")


@require_http_methods(["GET", "POST"])
def network(request: HttpRequest, participant_id: int) -> HttpResponse:
    """His connection map: the people in his network by role, over time, and his UCLA-3."""
    _, participant = access_network(request.user, participant_id)
    today = timezone.localdate()
    form = SupportPersonForm(request.POST or None, initial={"recorded_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_support_person(
                actor=actor(request),
                participant=participant,
                role=form.cleaned_data["role"],
                role_detail=form.cleaned_data["role_detail"],
                frequency=form.cleaned_data["frequency"],
                supportive=form.cleaned_data["supportive"],
                recorded_on=form.cleaned_data["recorded_on"],
                today=today,
                now=timezone.now(),
            )
            messages.success(request, "Added to his network.")
            return redirect("connection-network", participant_id=participant.pk)
        except ConnectionRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "connection/network.html",
        {
            "participant": participant,
            "map": selectors.connection_map(participant, today=today),
            "form": form,
            "review_form": ReviewForm(initial={"recorded_on": today, "in_network": "yes"}),
            "today": today,
        },
        status=status,
    )


@require_POST
def review(request: HttpRequest, participant_id: int, person_id: int) -> HttpResponse:
    person = access_support_person(request.user, participant_id, person_id)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ConnectionRefused("review", form_errors(form))
        services.review_support_person(
            actor=actor(request),
            person=person,
            frequency=form.cleaned_data["frequency"],
            supportive=form.cleaned_data["supportive"],
            in_network=form.cleaned_data["in_network"],
            recorded_on=form.cleaned_data["recorded_on"],
            today=timezone.localdate(),
            now=timezone.now(),
        )
        messages.success(request, f"Review of his {person.role_label.lower()} recorded.")
    except ConnectionRefused as exc:
        _refused(request, exc)
    return redirect("connection-network", participant_id=participant_id)


@require_http_methods(["GET", "POST"])
def mentors(request: HttpRequest) -> HttpResponse:
    """The mentor list: vetted alumni, their load, and the form to vet another."""
    membership = access_mentoring(request.user)
    today = timezone.localdate()
    form = VetMentorForm(request.POST or None, initial={"vetted_on": today, "consented_on": today})
    candidates = selectors.completed_men(membership)
    if request.method == "POST" and form.is_valid():
        enrollment = candidates.filter(pk=form.cleaned_data["enrollment"]).first()
        try:
            if enrollment is None:
                raise ConnectionRefused(
                    "enrollment", "choose a man who completed the program and is not a mentor."
                )
            mentor = services.vet_mentor(
                actor=actor(request),
                enrollment=enrollment,
                vetted_on=form.cleaned_data["vetted_on"],
                consented_on=form.cleaned_data["consented_on"],
                capacity=form.cleaned_data["capacity"],
                notes=form.cleaned_data["notes"],
                today=today,
                now=timezone.now(),
            )
            messages.success(request, f"{mentor.participant.code} is on the mentor list.")
            return redirect("connection-mentor", mentor_id=mentor.pk)
        except ConnectionRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    listed = list(selectors.mentors_with_load(visible_mentors(membership)))
    held = selectors.holds_on({m.participant_id for m in listed})
    return render(
        request,
        "connection/mentors.html",
        {
            "mentors": [(m, m.participant_id in held) for m in listed],
            "candidates": candidates,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def mentor(request: HttpRequest, mentor_id: int) -> HttpResponse:
    membership, found = access_mentor(request.user, mentor_id)
    audit.record(request, participant_id=found.participant_id)
    today = timezone.localdate()
    form = MentorForm(
        request.POST or None,
        initial={"active": found.active, "capacity": found.capacity, "notes": found.vetting_notes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_mentor(
                actor=actor(request),
                mentor=found,
                active=form.cleaned_data["active"],
                capacity=form.cleaned_data["capacity"],
                notes=form.cleaned_data["notes"],
                consent_withdrawn_on=form.cleaned_data["consent_withdrawn_on"],
                today=today,
            )
            messages.success(request, "Mentor updated.")
            return redirect("connection-mentor", mentor_id=found.pk)
        except ConnectionRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    matches = list(found.matches.select_related("mentee__participant", "mentee__program"))
    open_count = sum(1 for m in matches if m.is_open)
    return render(
        request,
        "connection/mentor.html",
        {
            "mentor": found,
            "matches": matches,
            "open_count": open_count,
            "held": bool(selectors.holds_on({found.participant_id})),
            "form": form,
            "match_form": MatchForm(
                initial={
                    "matched_on": today,
                    "mentee_consented_on": today,
                    "mentor_consented_on": today,
                }
            ),
            "mentees": selectors.matchable_mentees(membership),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def match_new(request: HttpRequest, mentor_id: int) -> HttpResponse:
    membership, found = access_mentor(request.user, mentor_id)
    audit.record(request, participant_id=found.participant_id)
    form = MatchForm(request.POST)
    try:
        if not form.is_valid():
            raise ConnectionRefused("match", form_errors(form))
        mentee = (
            selectors.matchable_mentees(membership).filter(pk=form.cleaned_data["mentee"]).first()
        )
        if mentee is None:
            raise ConnectionRefused(
                "mentee", "choose a man active in the program who has no mentor yet."
            )
        match = services.match_mentee(
            actor=actor(request),
            mentor=found,
            mentee=mentee,
            mentee_consented_on=form.cleaned_data["mentee_consented_on"],
            mentor_consented_on=form.cleaned_data["mentor_consented_on"],
            matched_on=form.cleaned_data["matched_on"],
            today=timezone.localdate(),
            now=timezone.now(),
        )
        audit.record(request, enrollment_id=mentee.pk)
        messages.success(request, f"{mentee.participant.code} is matched with this mentor.")
        return redirect("connection-match", match_id=match.pk)
    except ConnectionRefused as exc:
        _refused(request, exc)
    return redirect("connection-mentor", mentor_id=found.pk)


@require_http_methods(["GET", "POST"])
def match(request: HttpRequest, match_id: int) -> HttpResponse:
    """One match: its consents, the contacts logged, and how it ended."""
    _, found = access_mentorship(request.user, match_id)
    audit.record(request, participant_id=found.mentor.participant_id)
    audit.record(request, enrollment_id=found.mentee_id)
    today = timezone.localdate()
    form = ContactForm(request.POST or None, initial={"contact_on": today, "minutes": 30})
    if request.method == "POST" and form.is_valid():
        try:
            services.log_mentor_contact(
                actor=actor(request),
                mentorship=found,
                contact_on=form.cleaned_data["contact_on"],
                mode=form.cleaned_data["mode"],
                minutes=form.cleaned_data["minutes"],
                note=form.cleaned_data["note"],
                today=today,
                now=timezone.now(),
            )
            messages.success(request, "Contact logged.")
            return redirect("connection-match", match_id=found.pk)
        except ConnectionRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "connection/match.html",
        {
            "match": found,
            "contacts": found.contacts.select_related("recorded_by"),
            "form": form,
            "end_form": EndForm(initial={"ended_on": today}),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def match_end(request: HttpRequest, match_id: int) -> HttpResponse:
    _, found = access_mentorship(request.user, match_id)
    audit.record(request, enrollment_id=found.mentee_id)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ConnectionRefused("end", form_errors(form))
        services.end_mentorship(
            actor=actor(request),
            mentorship=found,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            mentor_told_on=form.cleaned_data["mentor_told_on"],
            mentee_told_on=form.cleaned_data["mentee_told_on"],
            today=timezone.localdate(),
        )
        messages.success(request, "The match has ended.")
    except ConnectionRefused as exc:
        _refused(request, exc)
    return redirect("connection-match", match_id=found.pk)


@require_http_methods(["GET", "POST"])
def holds(request: HttpRequest) -> HttpResponse:
    """The partner-safety worker's mentoring holds: "not suitable for mentoring", no reason."""
    membership = access_holds(request.user)
    today = timezone.localdate()
    form = HoldForm(request.POST or None, initial={"placed_on": today})
    men = hold_participants(membership)
    if request.method == "POST" and form.is_valid():
        man = men.filter(code=form.cleaned_data["code"].strip()).first()
        try:
            if man is None:
                raise ConnectionRefused("code", "no man with this code in your programs.")
            services.place_mentoring_hold(
                actor=actor(request),
                participant=man,
                placed_on=form.cleaned_data["placed_on"],
                today=today,
            )
            messages.success(request, f"{man.code} is marked not suitable for mentoring.")
            return redirect("connection-holds")
        except ConnectionRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    rows = MentoringHold.objects.filter(participant__in=men).select_related(
        "participant", "placed_by", "lifted_by"
    )
    return render(
        request,
        "connection/holds.html",
        {"holds": rows, "form": form, "lift_form": LiftForm(initial={"lifted_on": today})},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def hold_lift(request: HttpRequest, hold_id: int) -> HttpResponse:
    _, hold = access_hold(request.user, hold_id)
    form = LiftForm(request.POST)
    try:
        if not form.is_valid():
            raise ConnectionRefused("lifted_on", form_errors(form))
        services.lift_mentoring_hold(
            actor=actor(request),
            hold=hold,
            lifted_on=form.cleaned_data["lifted_on"],
            today=timezone.localdate(),
        )
        messages.success(request, f"The hold on {hold.participant.code} is lifted.")
    except ConnectionRefused as exc:
        _refused(request, exc)
    return redirect("connection-holds")

"""Staff accounts: the list and invitations, roles and scopes, deactivation, and the invitee's
own page where he chooses his password before setting up two-factor sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from alliance.http import actor
from alliance.organizations import invitations, selectors, staff
from alliance.organizations.forms import (
    AcceptInvitationForm,
    DeactivateForm,
    InviteForm,
    StaffForm,
)
from alliance.organizations.models import Membership, Role, StaffInvitation
from alliance.organizations.permissions import (
    access_invitation,
    access_staff_member,
    require_org_admin,
)
from alliance.programs.models import Group

#: The invitation's id in the session once its token has been checked, so that the token is
#: in no further request line (Django's password-reset views do the same).
SESSION_KEY = "staff_invitation_id"


@login_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest) -> HttpResponse:
    """Every staff member with his role and scopes, open invitations, and the invite form."""
    membership = require_org_admin(request.user)
    organization = membership.organization
    form = InviteForm(organization=organization)
    status = 200
    if request.method == "POST":
        form = InviteForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                invited = staff.invite_staff(
                    actor=actor(request),
                    organization=organization,
                    email=form.cleaned_data["email"],
                    role=Role(form.cleaned_data["role"]),
                    sites=list(form.cleaned_data["sites"]),
                    base_url=request.build_absolute_uri("/"),
                )
            except staff.StaffChangeRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(
                    request,
                    f"Invitation e-mailed to {invited.invitation.email}. The link works once "
                    f"and expires in {staff.INVITATION_DAYS} days.",
                )
                return redirect("settings-staff")
        status = 400
    context = {
        "form": form,
        "rows": selectors.staff_rows(organization),
        "invitations": selectors.open_invitations(organization),
        "me": membership,
    }
    return render(request, "organizations/staff.html", context, status=status)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access_invitation(request.user, invitation_id)
    staff.revoke_invitation(invitation=invitation)
    messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("settings-staff")


def _staff_form(membership: Membership, data: QueryDict | None = None) -> StaffForm:
    organization = membership.organization
    groups = Group.objects.filter(program__organization=organization, is_active=True)
    row = selectors.staff_row(membership)
    initial = {
        "role": membership.role,
        "sites": row.sites,
        "groups": row.groups,
        "supervisees": row.supervisees,
    }
    return StaffForm(
        data,
        initial=initial,
        membership=membership,
        groups=groups,
        supervisees=selectors.supervisee_choices(organization),
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    """One staff member's role and scopes: sites, groups, supervisees."""
    member = access_staff_member(request.user, membership_id)
    form = _staff_form(member)
    status = 200
    if request.method == "POST":
        form = _staff_form(member, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                staff.change_staff(
                    actor=actor(request),
                    membership=member,
                    role=Role(data["role"]),
                    sites=list(data["sites"]),
                    groups=list(data["groups"]),
                    supervisees=list(data["supervisees"]),
                )
            except staff.StaffChangeRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(request, "Role and scopes saved.")
                return redirect("settings-staff")
        status = 400
    context = {"form": form, "member": member}
    return render(request, "organizations/staff_member.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_deactivate(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Deactivate a staff member and hand his groups and supervisees on, in one step."""
    member = access_staff_member(request.user, membership_id)
    form = DeactivateForm(membership=member)
    status = 200
    if request.method == "POST":
        form = DeactivateForm(request.POST, membership=member)
        if form.is_valid():
            try:
                done = staff.deactivate_staff(
                    actor=actor(request),
                    membership=member,
                    successor=form.cleaned_data["successor"],
                    today=timezone.localdate(),
                )
            except staff.StaffChangeRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(
                    request,
                    f"{member.user.get_username()} deactivated: {done.sessions_ended} open "
                    f"session(s) ended, {done.groups_moved} group(s), {done.sessions_moved} "
                    f"coming session(s) and {done.supervisees_moved} supervisee(s) handed on.",
                )
                return redirect("settings-staff")
        status = 400
    groups, supervisees = staff.caseload_of(member.user, member.organization)
    context = {"form": form, "member": member, "groups": groups, "supervisees": supervisees}
    return render(request, "organizations/staff_deactivate.html", context, status=status)


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page: choose a username and password, then set up two-factor sign-in."""
    return invitations.accept_page(
        request,
        token,
        url_name="staff-invitation",
        session_key=SESSION_KEY,
        queryset=StaffInvitation.objects.select_related("organization"),
        ask=staff.ASK,
        template="organizations/invitation_accept.html",
        form_class=AcceptInvitationForm,
        accept=staff.accept_invitation,
        then="home",
    )

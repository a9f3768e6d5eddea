"""What staff and agency-officer invitations share: the token, the link's life and the account.

An invitation token is made and stored as a SHA-256 digest only
(``alliance.organizations.participant_tokens``); it travels in the e-mail alone and no log line
carries it. A new invitation to the same address replaces any still-open one; a link works
once, until it expires. Accepting one creates the account in the same transaction that spends
the invitation, so two clicks on one link make one account.

Staff invitations (``alliance.organizations.staff``) add a role and sites; officers'
(``alliance.portal.services``) an agency. Both pages run :func:`accept_page`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from alliance.organizations.participant_tokens import (
    TooManyGuesses,
    client_of,
    hash_token,
    new_token,
    record_failed_lookup,
    refuse_if_guessing,
)

INVITATION_DAYS = 7
#: Where an invitation's token would be in the URL once the token has been swapped for a
#: session entry (the browser's address bar and history never keep the token).
ACCEPT_PLACEHOLDER = "set-password"


InvitationT = TypeVar("InvitationT", bound=models.Model)


class InvitationUnusable(Exception):
    """The link is wrong, used, revoked or expired; ``message`` says which, ``status`` the
    HTTP answer (404 for a link that matches nothing, 410 for one that no longer works)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class AccountRefused(ValueError):
    """The account cannot be made as asked; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def usable(invitation: Any, *, ask: str, now: dt.datetime | None = None) -> Any:
    """``invitation`` if its link still works, else :class:`InvitationUnusable` saying why.

    ``ask`` is whom the invitee should ask for a new one ("your administrator").
    """
    now = now or timezone.now()
    if invitation is None:
        raise InvitationUnusable(
            "This invitation link is not valid. Check that you copied the whole link, or ask "
            f"{ask} for a new invitation.",
            404,
        )
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            "This invitation has already been used. Sign in with the password you chose.", 410
        )
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            "This invitation was withdrawn or replaced by a newer one. Use the link in the "
            f"latest e-mail, or ask {ask}.",
            410,
        )
    if invitation.expires_at <= now:
        raise InvitationUnusable(f"This invitation has expired. Ask {ask} to send a new one.", 410)
    return invitation


def create(
    model: type[InvitationT],
    *,
    scope: dict[str, Any],
    email: str,
    actor: User,
    url_name: str,
    base_url: str,
    now: dt.datetime,
    **fields: Any,
) -> tuple[InvitationT, str]:
    """Replace any open invitation to ``email`` within ``scope`` and record a new one.

    Call inside a transaction. Returns the invitation and its link (the token is in the link
    only).
    """
    token = new_token()
    model._default_manager.filter(**scope, email=email, accepted_at=None, revoked_at=None).update(
        revoked_at=now
    )
    invitation = model._default_manager.create(
        **scope,
        **fields,
        email=email,
        token_hash=hash_token(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    link = base_url.rstrip("/") + reverse(url_name, kwargs={"token": token})
    return invitation, link


def by_token(queryset: QuerySet[InvitationT], token: str) -> InvitationT | None:
    return queryset.filter(token_hash=hash_token(token)).first()


def create_account(
    *,
    queryset: QuerySet[InvitationT],
    invitation: InvitationT,
    ask: str,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    grant: Callable[[User, InvitationT, dt.datetime], None],
    now: dt.datetime | None = None,
) -> User:
    """Create the invitee's account and spend the invitation, in one transaction.

    ``grant(user, invitation, now)`` gives the new user what the invitation was for (a
    membership, an officer's account). Raises :class:`AccountRefused` (``username`` taken,
    ``password1`` refused by Django's validators) or :class:`InvitationUnusable` if another
    request spent it first.
    """
    now = now or timezone.now()
    user_model = get_user_model()
    with transaction.atomic():
        locked = queryset.select_for_update(of=("self",)).get(pk=invitation.pk)
        usable(locked, ask=ask, now=now)
        if user_model.objects.filter(username__iexact=username).exists():
            raise AccountRefused("username", "This username is taken. Choose another.")
        user = user_model(
            username=username,
            email=locked.email,  # type: ignore[attr-defined]
            first_name=first_name,
            last_name=last_name,
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountRefused("password1", " ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        grant(user, locked, now)
        locked.accepted_at = now  # type: ignore[attr-defined]
        locked.accepted_user = user  # type: ignore[attr-defined]
        locked.save(update_fields=["accepted_at", "accepted_user"])
    return user


def private(response: HttpResponse) -> HttpResponse:
    """Never cached: the page holds a password form or a token's outcome."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store, private"
    return response


def _refused(request: HttpRequest, refusal: InvitationUnusable) -> HttpResponse:
    return private(
        render(
            request,
            "organizations/invitation_refused.html",
            {"message": refusal.message},
            status=refusal.status,
        )
    )


def accept_page(
    request: HttpRequest,
    token: str,
    *,
    url_name: str,
    session_key: str,
    queryset: QuerySet[Any],
    ask: str,
    template: str,
    form_class: type[Any],
    accept: Callable[..., User],
    then: str,
) -> HttpResponse:
    """The invitee's page: choose a username and password, then set up two-factor sign-in.

    The e-mailed URL carries the token; it is checked (guessing is throttled per client), the
    invitation's id goes into the session and the browser moves to a URL without it before
    any form is shown. ``accept`` is the service that makes the account; ``then`` where he
    goes once two-factor sign-in is set up.
    """
    if token != ACCEPT_PLACEHOLDER:
        now = timezone.now()
        client = client_of(request)
        try:
            refuse_if_guessing(client=client, now=now)
            invitation = usable(by_token(queryset, token), ask=ask, now=now)
        except TooManyGuesses as refused:
            return _refused(request, InvitationUnusable(refused.reason, 429))
        except InvitationUnusable as refusal:
            if refusal.status == 404:
                record_failed_lookup(client=client, now=now)
            return _refused(request, refusal)
        request.session[session_key] = invitation.pk
        return HttpResponseRedirect(reverse(url_name, kwargs={"token": ACCEPT_PLACEHOLDER}))
    invitation_id = request.session.get(session_key)
    found = queryset.filter(pk=invitation_id).first() if isinstance(invitation_id, int) else None
    try:
        invitation = usable(found, ask=ask)
    except InvitationUnusable as refusal:
        return _refused(request, refusal)
    if request.user.is_authenticated:
        return private(render(request, template, {"invitation": invitation, "signed_in": True}))
    form = form_class()
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = accept(
                    invitation=invitation,
                    username=data["username"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                )
            except AccountRefused as refused:
                form.add_error(refused.field, refused.message)
            except InvitationUnusable as refusal:
                return _refused(request, refusal)
            else:
                request.session.pop(session_key, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                # Two-factor set-up comes before anything else (TwoFactorRequiredMiddleware
                # would send him there anyway).
                return redirect(f"{reverse('two-factor-setup')}?next={reverse(then)}")
        status = 400
    context = {"invitation": invitation, "form": form}
    return private(render(request, template, context, status=status))

"""Writes: make and revoke integration keys."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance.api.keys import new_key
from alliance.api.models import KEY_ROLES, IntegrationKey
from alliance.organizations.models import Membership, Organization, Role, Site


@transaction.atomic
def create_integration_key(
    *,
    actor: User,
    organization: Organization,
    name: str,
    role: str,
    sites: Iterable[Site],
) -> tuple[IntegrationKey, str]:
    """Make a key and its service account; return the key row and the key text (shown once).

    Raises
    ------
    ValidationError
        Naming the field: an empty or taken name, a role a key may not take, no site, or a
        site of another organization.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the key a name (what connects with it)."})
    if IntegrationKey.objects.filter(
        organization=organization, name=name, revoked_at__isnull=True
    ).exists():
        raise ValidationError({"name": f"A live key is already called {name!r}."})
    if role not in {r.value for r in KEY_ROLES}:
        raise ValidationError({"role": f"A key cannot act as {role!r}."})
    chosen = list(sites)
    if not chosen:
        raise ValidationError({"sites": "Choose the sites the key may see."})
    if any(site.organization_id != organization.pk for site in chosen):
        raise ValidationError({"sites": "A site of another organization was chosen."})
    text, prefix, secret_sha256 = new_key()
    user = get_user_model().objects.create_user(username=f"integration-{prefix}", password=None)
    user.first_name = name[:150]
    user.save(update_fields=["first_name"])
    membership = Membership.objects.create(user=user, organization=organization, role=Role(role))
    membership.sites.set(chosen)
    key = IntegrationKey.objects.create(
        organization=organization,
        name=name,
        role=role,
        user=user,
        prefix=prefix,
        secret_sha256=secret_sha256,
        created_by=actor,
    )
    return key, text


@transaction.atomic
def revoke_integration_key(*, actor: User, key: IntegrationKey) -> None:
    """Stop a key at once; its service account can no longer act. Idempotent."""
    if key.revoked_at is not None:
        return
    key.revoked_at = timezone.now()
    key.revoked_by = actor
    key.save(update_fields=["revoked_at", "revoked_by"])
    user = key.user
    user.is_active = False
    user.save(update_fields=["is_active"])

"""Writes to organizations and their sites (staff: ``alliance.organizations.staff``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from alliance.organizations.logo import prepare_logo
from alliance.organizations.models import Membership, Organization, Role, Site

#: Set-up steps with nothing to count, which an admin confirms by hand.
CONFIRMABLE_STEPS = frozenset({"reminders", "retention", "measures", "caseload"})


@transaction.atomic
def create_org_admin(
    *, username: str, email: str, password: str, organization_name: str, time_zone: str = "UTC"
) -> AbstractBaseUser:
    """Create (or reuse) an organization and its first organization admin."""
    organization, _ = Organization.objects.get_or_create(
        slug=slugify(organization_name)[:50],
        defaults={"name": organization_name, "time_zone": time_zone},
    )
    organization.full_clean()
    user_model = get_user_model()
    user = user_model(username=username, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, organization=organization, role=Role.ORG_ADMIN)
    return user


@transaction.atomic
def update_organization(
    *,
    organization: Organization,
    name: str,
    time_zone: str,
    address: str,
    phone: str,
    signature_block: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
    facilitator_identity: str | None = None,
) -> Organization:
    """Save the organization's details (history: simple-history, with the request's user).

    ``logo`` is checked and stored small by :func:`alliance.organizations.logo.prepare_logo`
    (raises ``LogoRefused``); ``remove_logo`` drops the current one.
    """
    organization.name = name
    organization.time_zone = time_zone
    organization.address = address
    organization.phone = phone
    organization.signature_block = signature_block
    if facilitator_identity is not None:
        organization.facilitator_identity = facilitator_identity
    if logo is not None:
        organization.logo, organization.logo_type = prepare_logo(logo)
    elif remove_logo:
        organization.logo, organization.logo_type = b"", ""
    organization.full_clean(exclude=["slug"])
    organization.save()
    return organization


@transaction.atomic
def save_site(
    *,
    organization: Organization,
    site: Site | None,
    name: str,
    time_zone: str,
    address: str,
    phone: str,
) -> Site:
    """Create a site (``site`` None) or edit one of ``organization``'s sites."""
    if site is None:
        site = Site(organization=organization)
    assert site.organization_id == organization.pk
    site.name, site.time_zone, site.address, site.phone = name, time_zone, address, phone
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def set_site_active(*, site: Site, active: bool) -> Site:
    """Close a site (kept with its programs and records, offered for nothing new) or reopen it."""
    site.is_active = active
    site.save(update_fields=["is_active"])
    return site


@transaction.atomic
def confirm_setup_step(*, organization: Organization, step: str) -> None:
    """Mark a set-up step with nothing to count (e.g. reminders) as done."""
    if step not in CONFIRMABLE_STEPS:
        raise ValueError(f"{step!r} is not a step an admin confirms by hand.")
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if step not in locked.setup_confirmed:
        locked.setup_confirmed = [*locked.setup_confirmed, step]
        locked.save(update_fields=["setup_confirmed"])

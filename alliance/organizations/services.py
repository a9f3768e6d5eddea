"""Writes to organizations and staff."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from alliance.organizations.models import Membership, Organization, Role


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

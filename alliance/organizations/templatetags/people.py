"""``{{ user|person }}``: a member of staff by her full name (see ``organizations.people``)."""

from __future__ import annotations

from typing import Any

from django import template

from alliance.organizations.people import person_name

register = template.Library()


@register.filter
def person(user: Any, default: str = "—") -> str:
    return person_name(user, default=default)

"""``{{ names|name_for:participant_id }}``: the name a list shows next to his code.

``names`` comes from ``alliance.identity.panels.shown_names``, called by the page's view (which
also records the access); the template only looks it up.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def name_for(names: dict[int, str] | None, participant_id: int) -> str:
    return (names or {}).get(participant_id, "")

"""Practice panels on pages owned by other apps (home, group roster, participant).

The owning page's view calls these and hands the result to its template, which includes the
``practice/_group_panel.html``; the templates only format. The panel is ``None`` for a role that
does not see practice (an evaluator, a partner-safety worker). The home and participant pages
only link to practice pages, so their views ask ``permissions.sees_practice`` (no query).
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.organizations.models import Membership
from alliance.practice.models import Practice
from alliance.practice.permissions import sees_practice, visible_practices
from alliance.programs.models import Group


@dataclass(frozen=True)
class GroupHomework:
    group: Group
    practices: list[Practice]


def group_homework(membership: Membership | None, group: Group) -> GroupHomework | None:
    """The form to assign homework to ``group``: the active practices the caller may pick."""
    if membership is None or not sees_practice(membership):
        return None
    return GroupHomework(
        group=group, practices=list(visible_practices(membership).filter(is_active=True))
    )

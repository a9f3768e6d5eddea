"""How a member of staff is named on a page: her full name, else her username.

One helper for every place a person is shown ("acknowledged by", a timeline's "by", the
access log's "who"), so nobody reads "by facilitator" on one page and "Mona Manager" on the
next (usability finding D23). Template side: ``{% load people %}{{ user|person }}``.
"""

from __future__ import annotations

from typing import Any

#: Shown where a record names someone whose account is gone (or nobody, for the system).
NOBODY = "—"


def person_name(user: Any, *, default: str = NOBODY) -> str:
    """``user``'s full name, or her username when none is recorded; ``default`` for None."""
    if user is None:
        return default
    full = str(user.get_full_name() or "").strip() if hasattr(user, "get_full_name") else ""
    return full or str(user.get_username())

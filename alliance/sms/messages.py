"""Every text Alliance sends, in full. Nothing else is ever sent: no score, no practice, no
program name, nothing that would tell someone reading his phone (a partner, an employer) what
kind of program he attends. Each fits in two SMS segments (320 characters) in every language.

Each function words its text in the active language: callers wrap it in
``translation.override(his_language(...))``.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext


def _stop_line() -> str:
    return gettext("Reply STOP to end these texts.")


def confirmation() -> str:
    return (
        gettext("You agreed to get texts from your group: reminders, links and changes.")
        + " "
        + _stop_line()
    )


def reminder() -> str:
    return (
        gettext("You have something waiting for you this week. Use the link your group gave you.")
        + " "
        + _stop_line()
    )


def help_text() -> str:
    return gettext(
        "Texts from your group: reminders, links and changes to meetings. Reply STOP to end "
        "them. For anything else, ask your group leader."
    )


def link(url: str) -> str:
    return (
        gettext("Your link for this week: %(url)s It works for you only; do not share it.")
        % {"url": url}
        + " "
        + _stop_line()
    )


def _when(moment: dt.datetime) -> dict[str, str]:
    return {"day": date_format(moment, "D j M"), "time": time_format(moment, "H:i")}


def session_cancelled(starts_at: dt.datetime) -> str:
    return (
        gettext("Your group meeting on %(day)s at %(time)s is cancelled.") % _when(starts_at)
        + " "
        + _stop_line()
    )


def session_restored(starts_at: dt.datetime) -> str:
    return (
        gettext("Your group meeting on %(day)s at %(time)s is back on.") % _when(starts_at)
        + " "
        + _stop_line()
    )


def session_moved(before: dt.datetime, after: dt.datetime) -> str:
    moved = {
        "day": date_format(before, "D j M"),
        "time": time_format(before, "H:i"),
        "new_day": date_format(after, "D j M"),
        "new_time": time_format(after, "H:i"),
    }
    return (
        gettext("Your group meeting on %(day)s at %(time)s moves to %(new_day)s at %(new_time)s.")
        % moved
        + " "
        + _stop_line()
    )

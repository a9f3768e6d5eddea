"""Every text Alliance sends, in full. Nothing else is ever sent: no score, no practice, no
program name, nothing that would tell someone reading his phone (a partner, an employer) what
kind of program he attends. Each fits in two SMS segments (320 characters)."""

from __future__ import annotations

import datetime as dt

STOP_LINE = "Reply STOP to end these texts."

CONFIRMATION = "You agreed to get texts from your group: reminders, links and changes. " + STOP_LINE
REMINDER = (
    "You have something waiting for you this week. Use the link your group gave you. " + STOP_LINE
)
HELP = (
    "Texts from your group: reminders, links and changes to meetings. Reply STOP to end them. "
    "For anything else, ask your group leader."
)
STOPPED = "You will get no more texts from your group. Reply START to get them again."


def link(url: str) -> str:
    return f"Your link for this week: {url} It works for you only; do not share it. {STOP_LINE}"


def session_cancelled(starts_at: dt.datetime) -> str:
    return (
        f"Your group meeting on {starts_at:%a %d %b} at {starts_at:%H:%M} is cancelled. {STOP_LINE}"
    )


def session_restored(starts_at: dt.datetime) -> str:
    return (
        f"Your group meeting on {starts_at:%a %d %b} at {starts_at:%H:%M} is back on. {STOP_LINE}"
    )


def session_moved(before: dt.datetime, after: dt.datetime) -> str:
    return (
        f"Your group meeting on {before:%a %d %b} at {before:%H:%M} moves to "
        f"{after:%a %d %b} at {after:%H:%M}. {STOP_LINE}"
    )

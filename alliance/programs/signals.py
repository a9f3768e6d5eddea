"""Signals other apps may listen to without programs importing them."""

from django.dispatch import Signal

#: Sent after a session was cancelled, restored (back on after a cancellation) or moved, with
#: ``session``, ``change`` ("cancelled", "restored" or "moved") and ``previous_start`` (its
#: start before a move, else None). alliance.sms texts the group about a coming session.
session_changed = Signal()

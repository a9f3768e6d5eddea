"""The error every measures write raises for input it cannot record."""

from __future__ import annotations


class MeasureError(ValueError):
    """Input that cannot be recorded; the message names the field or item and the problem."""

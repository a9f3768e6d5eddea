"""Rows of the simulator's frames as plain dicts, for the services' bulk write paths."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from django.db import models


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame``'s rows keyed by column name (pandas types the keys only as ``Hashable``)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def model_defaults(model: type[models.Model], names: Iterable[str]) -> dict[str, Any]:
    """The defaults of these fields of ``model``: a service's ``values`` before the demo's own."""
    found: dict[str, Any] = {}
    for name in names:
        field = model._meta.get_field(name)
        found[name] = field.get_default() if isinstance(field, models.Field) else None
    return found

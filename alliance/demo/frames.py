"""Rows of the simulator's frames as plain dicts, for the services' bulk write paths."""

from __future__ import annotations

from typing import Any

import pandas as pd


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame``'s rows keyed by column name (pandas types the keys only as ``Hashable``)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]

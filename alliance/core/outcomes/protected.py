"""The research export after disclosure control (``alliance.core.outcomes.disclosure``).

Three steps, all on the de-identified tables that ``research.build_research_tables`` returns:

1. **Age is generalised for every row**: the exact age at referral becomes a ten-year band
   (``age_band``), because an exact age alone splits a small program into classes of one.
2. **Quasi-identifiers are k-anonymised** in ``enrollments``: program, age band, referral
   source, mandate, relationship status, employment, education and income band. A man whose
   combination is shared by fewer than ``min_cell`` men has those fields replaced by
   ``98 = Suppressed (small group)``, a declared missing code, one field at a time in the
   order of ``QUASI_IDENTIFIERS`` (income band first, program last) until his class is large
   enough or all eight are suppressed.
3. **A summary table** (enrollments by program and status, with totals) is published with
   primary and complementary small-cell suppression.

The counts of what was suppressed are returned for the README; the suppressed values never
are.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

import pandas as pd

from alliance.core.outcomes.disclosure import (
    DEFAULT_MIN_CELL,
    TOTAL,
    KAnonymity,
    SuppressedCounts,
    check_min_cell,
    k_anonymise,
    suppress_counts,
)
from alliance.core.outcomes.research import ResearchData, ResearchExportError, Table, Variable

SUPPRESSED_CODE = 98
SUPPRESSED_LABEL = "Suppressed (small group)"
SUPPRESSED_CELL = "suppressed"
#: (code, label, lowest age, highest age)
AGE_BANDS: tuple[tuple[int, str, int, int], ...] = (
    (1, "Under 25", 0, 24),
    (2, "25-34", 25, 34),
    (3, "35-44", 35, 44),
    (4, "45-54", 45, 54),
    (5, "55 or older", 55, 200),
)
#: In the order they are given up: the least useful to an evaluation first, program last.
QUASI_IDENTIFIERS = (
    "income_band",
    "education",
    "relationship_status",
    "employment",
    "referral_source",
    "mandated",
    "age_band",
    "program",
)


@dataclass(frozen=True)
class ProtectedExport:
    data: ResearchData
    min_cell: int
    records: KAnonymity
    summary: SuppressedCounts


def age_bands(age: pd.Series) -> pd.Series:
    """Ten-year band codes (``AGE_BANDS``); blank stays blank."""
    values = pd.to_numeric(age, errors="coerce").astype("Float64")
    out = pd.Series(pd.NA, index=age.index, dtype="Float64")
    for code, _, low, high in AGE_BANDS:
        within = ((values >= low) & (values <= high)).fillna(False).astype(bool)
        out = out.mask(within, float(code))
    return out


def _with_suppressed_code(variable: Variable) -> Variable:
    if any(code == SUPPRESSED_CODE for code, _ in variable.values):
        raise ResearchExportError(
            f"{variable.name}: code {SUPPRESSED_CODE} is taken, cannot mark suppression"
        )
    return replace(
        variable,
        values=(*variable.values, (SUPPRESSED_CODE, SUPPRESSED_LABEL)),
        missing=(*variable.missing, (SUPPRESSED_CODE, SUPPRESSED_LABEL)),
        note=" ".join(
            part
            for part in (
                variable.note,
                f"{SUPPRESSED_CODE} where fewer than the threshold of men share his "
                "combination of quasi-identifiers (README.txt).",
            )
            if part
        ),
    )


def _generalise_age(table: Table) -> Table:
    frame = table.frame.copy()
    position = list(frame.columns).index("age")
    bands = age_bands(frame["age"])
    frame = frame.drop(columns=["age"])
    frame.insert(position, "age_band", bands)
    band = Variable(
        "age_band",
        "Age at referral (ten-year band)",
        "integer",
        tuple((code, label) for code, label, _, _ in AGE_BANDS),
        note="Referral year minus birth year, grouped; exact ages are not exported.",
    )
    variables = tuple(band if v.name == "age" else v for v in table.variables)
    return replace(table, frame=frame, variables=variables)


def _summary_counts(table: Table) -> pd.DataFrame:
    programs = dict(table.variable("program").values)
    statuses = dict(table.variable("status").values)
    frame = table.frame
    counts = pd.crosstab(
        frame["program"].astype("float64").map(programs),
        frame["status"].astype("float64").map(statuses),
    )
    counts = counts.reindex(
        index=list(programs.values()), columns=list(statuses.values()), fill_value=0
    )
    counts.index.name = None
    counts.columns.name = None
    return counts.fillna(0).astype("int64")


def protect_research_data(data: ResearchData, min_cell: int = DEFAULT_MIN_CELL) -> ProtectedExport:
    """Generalise age, k-anonymise the quasi-identifiers and build the suppressed summary."""
    check_min_cell(min_cell)
    summary = suppress_counts(_summary_counts(data.enrollments), min_cell)
    table = _generalise_age(data.enrollments)
    records = k_anonymise(
        table.frame,
        QUASI_IDENTIFIERS,
        min_cell,
        unit="study_id",
        suppressed=float(SUPPRESSED_CODE),
    )
    variables = tuple(
        _with_suppressed_code(v) if v.name in QUASI_IDENTIFIERS else v for v in table.variables
    )
    enrollments = replace(table, frame=records.frame, variables=variables)
    return ProtectedExport(
        data=replace(data, enrollments=enrollments),
        min_cell=min_cell,
        records=records,
        summary=summary,
    )


def summary_csv(summary: SuppressedCounts) -> str:
    """Program by status; a hidden cell reads ``suppressed`` whatever the reason."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    shown = summary.shown
    writer.writerow(["program", *shown.columns])
    for label, row in shown.iterrows():
        writer.writerow([label, *(SUPPRESSED_CELL if pd.isna(v) else int(v) for v in row.tolist())])
    return buffer.getvalue()


def suppression_readme(protected: ProtectedExport) -> str:
    """What was suppressed, in counts only (for README.txt)."""
    k = protected.min_cell
    fields = ", ".join(f"{name} {n}" for name, n in protected.records.fields.items() if n) or "none"
    return (
        f"Small-cell suppression (threshold {k}, setting RESEARCH_EXPORT_MIN_CELL):\n"
        f"- summary.csv (enrollments, not men, by program and status, with {TOTAL} rows "
        f"and columns): no count from 1 to "
        f"{k - 1} is shown. {protected.summary.primary} cell(s) were under the threshold and "
        f"{protected.summary.complementary} more were hidden so that they cannot be worked "
        f"out from a total; every hidden cell reads '{SUPPRESSED_CELL}'.\n"
        f"- enrollments: age is given in ten-year bands. Where fewer than {k} men share a "
        f"combination of {', '.join(QUASI_IDENTIFIERS)}, those fields were set to "
        f"{SUPPRESSED_CODE} = {SUPPRESSED_LABEL} (a missing code), income band first and "
        f"program last, until the combination is shared by {k} men or all are suppressed. "
        f"{protected.records.records} of {len(protected.data.enrollments.frame)} record(s) "
        f"were affected; fields suppressed: {fields}.\n"
    )

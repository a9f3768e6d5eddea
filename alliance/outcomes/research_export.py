"""The research export: read the programs' records into plain frames, let
``alliance.core.outcomes.research`` de-identify them, and write the chosen files into a zip.

Only the columns listed here are read: no participant code, initials, language, risk-tool
text, referral agency or contact, case reference, mandate notes, event reasons, outreach
notes, free-text answers or anything from the partner-safety compartment ever enters the
frames, so none can leak into a file.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count, Model, QuerySet
from django.template.loader import render_to_string

from alliance.core.outcomes import OutcomeKind, Source
from alliance.core.outcomes.codebook import (
    codebook_csv,
    codebook_markdown,
    codebook_rows,
    redcap_dictionary_csv,
    redcap_records_csv,
    table_csv,
)
from alliance.core.outcomes.protected import (
    ProtectedExport,
    protect_research_data,
    summary_csv,
    suppression_readme,
)
from alliance.core.outcomes.research import (
    ENROLLMENT_COLUMNS,
    SCORE_COLUMNS,
    DateMode,
    ExportSource,
    ResearchData,
    Table,
    build_research_tables,
)
from alliance.data_classes import DataClass, require_fields
from alliance.engagement.models import OutreachAlert
from alliance.measures.models import Score, Status
from alliance.measures.registry import definition_for
from alliance.outcomes.models import FollowUp, OutcomeEvent
from alliance.participants.models import Enrollment, Participant
from alliance.participants.services import assess_enrollments
from alliance.programs.models import Attendance, Program


class FileFormat(StrEnum):
    CSV = "csv"
    SPSS = "sav"
    STATA = "dta"
    REDCAP = "redcap"


FORMAT_LABELS = {
    FileFormat.CSV: "CSV (comma-separated, codes with a codebook)",
    FileFormat.SPSS: "SPSS .sav (variable and value labels, user-missing codes)",
    FileFormat.STATA: "Stata .dta (variable and value labels)",
    FileFormat.REDCAP: "REDCap (data dictionary + records to import)",
}
DATE_MODE_LABELS = {
    DateMode.SHIFT: "Shift each man's dates by a secret random offset (intervals kept)",
    DateMode.INTERVALS: "No dates: days since referral (and since exit for outcomes)",
}


def fresh_rng() -> np.random.Generator:
    """New entropy for every export: study ids and offsets never repeat between exports."""
    return np.random.default_rng()


def _title(instrument: str, scale: str) -> str:
    try:
        definition = definition_for(instrument)
    except LookupError:
        return f"{instrument} {scale}"
    if len(definition.scales) == 1:
        return definition.title
    titles = {s.id: s.title for s in definition.scales}
    return f"{definition.title}: {titles.get(scale, scale)}"


#: Data classes the research export may carry: de-identified facts, scores and outcomes.
#: Partner-reported outcomes (FollowUp / OutcomeEvent rows of class ``partner``) are read as
#: dates and kinds only, never free text, because the evaluation's re-offence measure needs
#: them; the files never reach the man, a facilitator or a court (docs/security.md).
RESEARCH_CLASSES = frozenset(
    {DataClass.REPORTABLE, DataClass.THERAPEUTIC, DataClass.OPERATIONAL, DataClass.PARTNER}
)
#: Every column the export reads, checked against the declared data classes before reading.
READS: dict[type[Model], tuple[str, ...]] = {
    Enrollment: (
        "referral_source",
        "status",
        "discharge_reason",
        "referred_on",
        "started_on",
        "ended_on",
        "reinstatements",
        "attended_count",
    ),
    Participant: (
        "birth_year",
        "relationship_status",
        "employment",
        "education",
        "income_band",
        "prior_offences",
        "prior_ipv_offences",
        "substance_use_concern",
        "risk_score",
    ),
    Attendance: ("mark",),
    OutreachAlert: ("enrollment",),
    Score: ("instrument_id", "scale_id", "administered_on", "value"),
    FollowUp: ("source", "window_end"),
    OutcomeEvent: ("kind", "occurred_on"),
}


def check_reads() -> None:
    """Refuse to build when a column the export reads is of a class it may not carry."""
    for model, columns in READS.items():
        require_fields(model, columns, RESEARCH_CLASSES, builder="The research export")


def export_source(programs: QuerySet[Program]) -> ExportSource:
    check_reads()
    enrollments = Enrollment.objects.filter(program__in=programs)
    rows = list(
        enrollments.values_list(
            "pk",
            "participant_id",
            "program__name",
            "referral_source",
            "status",
            "discharge_reason",
            "referred_on",
            "started_on",
            "ended_on",
            "reinstatements",
            "attended_count",
            "participant__birth_year",
            "participant__relationship_status",
            "participant__employment",
            "participant__education",
            "participant__income_band",
            "participant__prior_offences",
            "participant__prior_ipv_offences",
            "participant__substance_use_concern",
            "participant__risk_score",
        )
    )
    reading = [c for c in ENROLLMENT_COLUMNS if c not in ("unexcused_absences", "outreach_alerts")]
    frame = pd.DataFrame(rows, columns=reading)
    # Unexcused absences as the compliance engine counts them (a late arrival past the
    # program's limit is one, a cancelled session is none), the figure a court document
    # shows; ``attended_count`` is the engine's count too, stored at every mark.
    unexcused = {
        pk: a.assessment.unexcused_absences for pk, a in assess_enrollments(enrollments).items()
    }
    alerts = dict(
        OutreachAlert.objects.filter(enrollment__in=enrollments)
        .values_list("enrollment_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    frame["unexcused_absences"] = frame["enrollment_id"].map(unexcused).fillna(0)
    frame["outreach_alerts"] = frame["enrollment_id"].map(alerts).fillna(0)
    scores = pd.DataFrame(
        list(
            Score.objects.filter(
                enrollment__in=enrollments,
                value__isnull=False,
                administration__status=Status.COMPLETE,
            )
            .order_by("administered_on", "administration_id")
            .values_list(
                "enrollment_id",
                "instrument_id",
                "scale_id",
                "administration__occasion",
                "administered_on",
                "value",
            )
        ),
        columns=list(SCORE_COLUMNS),
    )
    keys = {(str(i), str(s)) for i, s in zip(scores["instrument"], scores["scale"], strict=True)}
    men = enrollments.values("participant_id")
    followups = [
        (p, Source(s), end)
        for p, s, end in FollowUp.objects.filter(participant_id__in=men).values_list(
            "participant_id", "source", "window_end"
        )
    ]
    events = [
        (p, OutcomeKind(k), on)
        for p, k, on in OutcomeEvent.objects.filter(participant_id__in=men).values_list(
            "participant_id", "kind", "occurred_on"
        )
    ]
    return ExportSource(
        enrollments=frame,
        scores=scores,
        measure_titles={k: _title(*k) for k in sorted(keys)},
        followups=followups,
        events=events,
    )


def _labels(table: Table) -> dict[str, dict[int | float, str]]:
    return {v.name: {code: label for code, label in v.values} for v in table.variables if v.values}


def _for_stats_package(table: Table) -> pd.DataFrame:
    """Plain float64 / object / date columns, as pyreadstat writes them.

    Dates go as ``datetime.date`` objects, so SPSS stores them as dates (``DATE11``) and Stata
    as ``%td`` — not as date-times at midnight.
    """
    out = pd.DataFrame(index=table.frame.index)
    for v in table.variables:
        column = table.frame[v.name]
        if v.kind == "string":
            out[v.name] = column.astype(str)
        elif v.kind == "date":
            days = pd.to_datetime(column)
            out[v.name] = [None if pd.isna(day) else day.date() for day in days]
        else:
            out[v.name] = pd.to_numeric(column).astype("float64")
    return out


#: Stata keeps at most 80 characters of a variable label.
STATA_LABEL_LIMIT = 80


def stata_label(label: str) -> str:
    """A label Stata can hold: cut at a word with ``...`` when longer than 80 characters.

    The whole label stays in the codebook (codebook.html / .md / .csv).
    """
    if len(label) <= STATA_LABEL_LIMIT:
        return label
    room = STATA_LABEL_LIMIT - 3
    cut = label[: room + 1].rsplit(" ", 1)[0] if " " in label[:room] else label[:room]
    return cut[:room].rstrip(" ,;:-") + "..."


def _stata_missing(
    table: Table, frame: pd.DataFrame
) -> tuple[dict[str, list[str]], dict[str, dict[int | float | str, str]]]:
    """Missing codes as Stata's extended missing values (.a, .b, ...), with their labels.

    A declared missing code (99 = Unknown, 98 = Suppressed) would otherwise be an ordinary
    number to Stata and enter every mean; as ``.a``/``.b`` it is missing and keeps its label.
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    missing: dict[str, list[str]] = {}
    labels: dict[str, dict[int | float | str, str]] = {
        name: {code: label for code, label in values.items()}
        for name, values in _labels(table).items()
    }
    for v in table.variables:
        if not v.missing or v.kind == "string":
            continue
        codes = {float(code): letters[i] for i, (code, _) in enumerate(v.missing)}
        frame[v.name] = [codes.get(x, x) for x in frame[v.name]]
        missing[v.name] = list(codes.values())
        own = labels.setdefault(v.name, {})
        for code, label in v.missing:
            own.pop(code, None)
            own[codes[float(code)]] = label
    return missing, labels


def _stats_file(table: Table, fmt: FileFormat, folder: Path) -> bytes:
    import pyreadstat

    frame = _for_stats_package(table)
    labels: list[str | None] = [v.label for v in table.variables]
    path = folder / f"{table.name}.{fmt.value}"
    if fmt is FileFormat.SPSS:
        missing: dict[str, list[Any]] = {
            v.name: [code for code, _ in v.missing] for v in table.variables if v.missing
        }
        measure = {
            v.name: ("nominal" if v.values else "scale")
            for v in table.variables
            if v.kind != "string"
        }
        # Whole numbers as whole numbers (F8.0), not SPSS's default F8.2.
        formats = {v.name: "F8.0" for v in table.variables if v.kind == "integer"}
        pyreadstat.write_sav(
            frame,
            str(path),
            file_label="Alliance research export (de-identified)",
            column_labels=labels,
            variable_value_labels=_labels(table),
            missing_ranges=missing or None,
            variable_measure=measure,
            variable_format=formats or None,
        )
    else:
        stata_missing, value_labels = _stata_missing(table, frame)
        pyreadstat.write_dta(
            frame,
            str(path),
            file_label="Alliance research export",
            column_labels=[stata_label(label or "") for label in labels],
            # pyreadstat takes the letters of .a-.z as label keys; its stub only says numbers.
            variable_value_labels=cast("dict[str, dict[int | float, str]]", value_labels),
            missing_user_values=stata_missing or None,
        )
    return path.read_bytes()


README = """Alliance research export ({mode}), produced {day}.

De-identified: a random study id (valid for this export only) replaces each man; no names,
codes, contact details, case references or free text are included, and nothing from the
partner-safety records. {dates}
See codebook.html (or codebook.md / codebook.csv) for every variable, its values and
missing codes.

{suppression}"""


def export_files(
    protected: ProtectedExport, fmt: FileFormat, *, produced: dt.date
) -> dict[str, bytes]:
    """File name -> content for one export (the zip's members)."""
    data = protected.data
    suffix = "csv" if fmt in (FileFormat.CSV, FileFormat.REDCAP) else fmt.value
    files: dict[str, bytes] = {}
    if fmt is FileFormat.REDCAP:
        files["redcap_data_dictionary.csv"] = redcap_dictionary_csv(data.enrollments).encode()
        files["redcap_records.csv"] = redcap_records_csv(data.enrollments).encode()
        files["administrations.csv"] = table_csv(data.administrations).encode()
    elif fmt is FileFormat.CSV:
        for table in data.tables:
            files[f"{table.name}.csv"] = table_csv(table).encode()
    else:
        with tempfile.TemporaryDirectory(prefix="alliance-export-") as folder:
            for table in data.tables:
                files[f"{table.name}.{suffix}"] = _stats_file(table, fmt, Path(folder))
    files["summary.csv"] = summary_csv(protected.summary).encode()
    files["codebook.csv"] = codebook_csv(data, suffix).encode()
    files["codebook.md"] = codebook_markdown(data, suffix).encode()
    files["codebook.html"] = render_to_string(
        "outcomes/codebook.html",
        {"data": data, "rows": codebook_rows(data, suffix), "suffix": suffix},
    ).encode()
    dates = (
        "Each man's dates are shifted by a secret random number of days (the same for all "
        "his dates); intervals within a man are exact."
        if data.date_mode is DateMode.SHIFT
        else "There are no calendar dates: only days since referral and since exit."
    )
    files["README.txt"] = README.format(
        mode=FORMAT_LABELS[fmt],
        day=produced.isoformat(),
        dates=dates,
        suppression=suppression_readme(protected),
    ).encode()
    return files


def research_export(
    programs: QuerySet[Program],
    *,
    fmt: FileFormat,
    date_mode: DateMode,
    produced: dt.date,
    rng: np.random.Generator | None = None,
    min_cell: int | None = None,
) -> tuple[ResearchData, bytes]:
    """Build the de-identified tables, apply small-cell suppression (threshold
    ``settings.RESEARCH_EXPORT_MIN_CELL`` unless given) and return them with the zip."""
    data = build_research_tables(
        export_source(programs),
        date_mode=date_mode,
        rng=rng if rng is not None else fresh_rng(),
    )
    protected = protect_research_data(
        data, settings.RESEARCH_EXPORT_MIN_CELL if min_cell is None else min_cell
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in export_files(protected, fmt, produced=produced).items():
            archive.writestr(name, content)
    return protected.data, buffer.getvalue()

"""``alliance instruments``: list, show, validate, score, import and export definitions.

For evaluators and data managers; needs no database and no Django. Every error prints one line
naming the file and the field or row, and exits with status 2; nothing is written then.

    alliance instruments list
    alliance instruments show scs_sf [--json]
    alliance instruments validate my-measure.json
    alliance instruments score --definition scs_sf --responses answers.csv --out scores.csv
    alliance instruments reliability --definition scs_sf --responses answers.csv [--json]
    alliance instruments import-fhir questionnaire.json [--out def.json]
    alliance instruments import-redcap dictionary.csv [--form FORM] [--missing-label L] [--out F]
    alliance instruments export-redcap scs_sf [--form FORM] [--out dictionary.csv]
    alliance instruments export-fhir scs_sf [--pack wording.csv --language en] [--out q.json]
    alliance instruments export-responses --organization SLUG [--program ID] [--instrument ID]
        [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out bundle.json]
    alliance instruments import-responses FILE --organization SLUG [--program ID] [--json]

``export-responses`` and ``import-responses`` read and write the organization's database (they
set Django up themselves); the other commands need neither.  ``import-responses`` takes FHIR
QuestionnaireResponses (one resource, a Bundle or NDJSON) or a CSV (``.csv``), and stores all
of the file or none of it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from alliance.core.instruments import (
    DefinitionError,
    InstrumentDefinition,
    ScaleReliability,
    get_bundled,
    iter_bundled,
    keyed_answers,
    load_definition,
    scale_reliability,
    score,
)
from alliance.core.instruments.interchange import (
    ImportResult,
    InterchangeError,
    apply_pack,
    definition_to_dict,
    export_questionnaire,
    export_redcap,
    import_questionnaire,
    import_redcap,
    read_csv_packs,
)

EXIT_ERROR = 2

Handler = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A one-line message for stderr; the command exits with status 2."""


def add_subparsers(subparsers: Any) -> None:
    """Add the ``instruments`` sub-commands to an argparse sub-parser group."""
    p = subparsers.add_parser("list", help="list the bundled instruments")
    p.set_defaults(instruments_handler=_list)

    p = subparsers.add_parser("show", help="show one definition (bundled id or JSON file)")
    p.add_argument("definition", metavar="ID_OR_FILE")
    p.add_argument("--json", action="store_true", help="print the definition as JSON")
    p.set_defaults(instruments_handler=_show)

    p = subparsers.add_parser("validate", help="check a definition file")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(instruments_handler=_validate)

    p = subparsers.add_parser("score", help="score a wide CSV of responses")
    p.add_argument("--definition", required=True, metavar="ID_OR_FILE")
    p.add_argument("--responses", required=True, metavar="CSV")
    p.add_argument("--out", required=True, metavar="CSV")
    p.add_argument("--id-column", default="id", help="column naming each administration")
    p.set_defaults(instruments_handler=_score)

    p = subparsers.add_parser(
        "reliability", help="alpha, omega and item statistics of each scale from responses"
    )
    p.add_argument("--definition", required=True, metavar="ID_OR_FILE")
    p.add_argument("--responses", required=True, metavar="CSV")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(instruments_handler=_reliability)

    p = subparsers.add_parser("import-fhir", help="import a FHIR R4 Questionnaire")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--out", metavar="FILE", help="write the definition here (default stdout)")
    p.add_argument("--id", dest="instrument_id", help="id for the new definition")
    p.add_argument(
        "--direction",
        choices=["higher_is_better", "higher_is_worse"],
        help="which way totals read from a calculatedExpression point (FHIR does not say)",
    )
    p.set_defaults(instruments_handler=_import_fhir)

    p = subparsers.add_parser("import-redcap", help="import a REDCap data dictionary form")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--form", help="the REDCap form (needed when there are several)")
    p.add_argument("--out", metavar="FILE", help="write the definition here (default stdout)")
    p.add_argument("--id", dest="instrument_id", help="id for the new definition")
    p.add_argument("--version", default="1", help="version of the new definition")
    p.add_argument(
        "--missing-label",
        action="append",
        default=[],
        metavar="LABEL",
        help="a choice label that means no answer, besides unknown/not applicable/refused/"
        "don't know (repeatable)",
    )
    p.set_defaults(instruments_handler=_import_redcap)

    p = subparsers.add_parser(
        "export-redcap", help="export a definition as a REDCap data dictionary"
    )
    p.add_argument("definition", metavar="ID_OR_FILE")
    p.add_argument("--form", help="REDCap form name (default: the instrument id)")
    p.add_argument("--out", metavar="FILE", help="write the dictionary here (default stdout)")
    p.set_defaults(instruments_handler=_export_redcap)

    p = subparsers.add_parser("export-fhir", help="export a definition as a FHIR Questionnaire")
    p.add_argument("definition", metavar="ID_OR_FILE")
    p.add_argument("--pack", metavar="CSV", help="item wording to include (item_id,text,language)")
    p.add_argument("--language", help="language to take from the pack")
    p.add_argument("--out", metavar="FILE", help="write the Questionnaire here (default stdout)")
    p.set_defaults(instruments_handler=_export_fhir)
    _add_response_commands(subparsers)


def _add_response_commands(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "export-responses",
        help="completed questionnaires as a FHIR Bundle (QuestionnaireResponse + Observation)",
    )
    p.add_argument("--organization", required=True, help="organization slug")
    p.add_argument("--program", type=int, action="append", help="program id (repeatable)")
    p.add_argument("--instrument", help="instrument id, e.g. phq9")
    p.add_argument("--from", dest="start", type=_iso_date, help="administered on or after")
    p.add_argument("--to", dest="end", type=_iso_date, help="administered on or before")
    p.add_argument("--out", metavar="FILE", help="write the Bundle here (default stdout)")
    p.set_defaults(instruments_handler=_export_responses)

    p = subparsers.add_parser(
        "import-responses",
        help="store FHIR QuestionnaireResponses (or a CSV) as completed forms, all or nothing",
    )
    p.add_argument("file", metavar="FILE", help="JSON, NDJSON or .csv")
    p.add_argument("--organization", required=True, help="organization slug")
    p.add_argument("--program", type=int, help="program id, when a man is in two at once")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(instruments_handler=_import_responses)


def _iso_date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give a date as YYYY-MM-DD (got {text!r})") from None


def _organization(slug: str) -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    from alliance.organizations.models import Organization

    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        raise CliError(f"--organization: no organization with slug {slug!r}")
    return org


def _export_responses(args: argparse.Namespace) -> int:
    org = _organization(args.organization)
    from alliance.measures.fhir_responses import completed_administrations, responses_bundle

    rows = completed_administrations(
        organization=org,
        programs=args.program,
        instrument_id=args.instrument,
        start=args.start,
        end=args.end,
    )
    bundle, skipped = responses_bundle(rows)
    _emit(args.out, json.dumps(bundle, indent=2, default=str) + "\n")
    responses = sum(
        1
        for e in bundle.get("entry", [])
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    print(
        f"{responses} completed questionnaire(s) exported"
        + (f"; {skipped} left out (instrument no longer installed)" if skipped else "")
        + ".",
        file=sys.stderr,
    )
    return 0


def _import_responses(args: argparse.Namespace) -> int:
    from alliance.core.instruments.interchange.fhir_responses import (
        ResponsesError,
        read_csv_responses,
        read_responses,
    )

    text = _read(args.file)
    try:
        parsed = (
            read_csv_responses(text) if args.file.lower().endswith(".csv") else read_responses(text)
        )
    except ResponsesError as exc:
        raise CliError(f"{args.file}: {exc}; nothing was stored") from None
    org = _organization(args.organization)
    from alliance.measures.fhir_responses import ImportRefused, import_responses

    try:
        done = import_responses(
            actor=None, organization=org, responses=parsed, program_id=args.program
        )
    except ImportRefused as exc:
        if args.json:
            print(json.dumps({"stored": [], "refused": exc.problems}, indent=2))
        for problem in exc.problems:
            print(f"alliance instruments: {args.file}: {problem}", file=sys.stderr)
        print(
            f"alliance instruments: {args.file}: {len(exc.problems)} problem(s); "
            "nothing was stored.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    report = [
        {"where": d.where, "administration": d.administration_id, "already_stored": d.replay}
        for d in done
    ]
    if args.json:
        print(json.dumps({"stored": report, "refused": []}, indent=2))
    else:
        new = sum(1 for d in done if not d.replay)
        print(f"{new} stored, {len(done) - new} already stored before (unchanged).")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the sub-command chosen in ``args``; return the exit status."""
    handler: Handler | None = getattr(args, "instruments_handler", None)
    if handler is None:
        print(
            "alliance instruments: choose one of list, show, validate, score, reliability, "
            "import-fhir, "
            "import-redcap, export-fhir, export-redcap, export-responses, import-responses",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        return handler(args)
    except CliError as exc:
        print(f"alliance instruments: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _list(args: argparse.Namespace) -> int:
    rows = [("id", "version", "items", "licence", "wording", "title")]
    for d in iter_bundled():
        wording = "bundled" if d.items_bundled else "pack"
        rows.append((d.id, d.version, str(len(d.items)), d.licence.status.value, wording, d.title))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[5])
    return 0


def _show(args: argparse.Namespace) -> int:
    d = _definition(args.definition)
    if args.json:
        print(json.dumps(definition_to_dict(d), indent=2, ensure_ascii=False))
        return 0
    print(f"{d.title} ({d.id} {d.version})")
    print(f"Citation: {d.citation}")
    print(f"Licence: {d.licence.status.value}. {d.licence.note}")
    print(
        f"Respondent: {d.respondent.value}; target: {d.target}; {d.confidentiality.value}; "
        f"{'externally validated' if d.validated_externally else 'NOT externally validated'}"
    )
    print(f"Items ({len(d.items)}, wording {'bundled' if d.items_bundled else 'from a pack'}):")
    for item in d.items:
        r = item.response
        span = f" {r.min:g}-{r.max:g}" if r.min is not None and r.max is not None else ""
        flags = "".join([" reverse" if item.reverse else "", " filler" if item.filler else ""])
        text = f"  {item.text}" if item.text else ""
        print(f"  {item.id}: {r.kind.value}{span}{flags}{text}")
    print("Scales:")
    for s in d.scales:
        parts = f"{len(s.items)} items" if s.items else "of " + ", ".join(s.subscales)
        bands = "; bands " + ", ".join(b.label for b in s.bands) if s.bands else ""
        print(
            f"  {s.id}: {s.title} ({s.rule.value}, {parts}, {s.range_min:g}-{s.range_max:g}, "
            f"{s.direction.value}{bands})"
        )
    return 0


def _validate(args: argparse.Namespace) -> int:
    d = _load_file(args.file)
    print(f"{args.file}: ok: {d.id} {d.version}, {len(d.items)} items, {len(d.scales)} scales")
    return 0


def _score(args: argparse.Namespace) -> int:
    definition = _definition(args.definition)
    path = args.responses
    id_column = args.id_column
    header = _csv_header(path)
    if id_column not in header:
        raise CliError(f"{path}: no id column {id_column!r} (use --id-column)")
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise CliError(f"{path}: column {repeated[0]!r} appears more than once")
    try:
        frame = pd.read_csv(path, dtype={id_column: str}, skip_blank_lines=True)
    except (OSError, ValueError) as exc:
        raise CliError(f"{path}: cannot read: {exc}") from None
    result = score(definition, frame, id_column=id_column)
    if result.errors:
        ids = frame[id_column].tolist()
        for e in result.errors:
            print(
                f"{path}: row {e.row + 1} ({id_column} {ids[e.row]!r}), item {e.item!r}: "
                f"{e.problem} (got {e.value!r})",
                file=sys.stderr,
            )
        print(
            f"alliance instruments: {len(result.errors)} rejected answer(s) in {path}; "
            f"{args.out} not written",
            file=sys.stderr,
        )
        return EXIT_ERROR
    scores = result.frame
    columns = [id_column]
    for scale in definition.scales:
        columns += [f"{scale.id}_score", f"{scale.id}_band", f"{scale.id}_missing"]
    out = scores[columns].copy()
    out["instrument"] = result.instrument_id
    out["instrument_version"] = result.instrument_version
    out["engine_version"] = result.engine_version
    _write(args.out, out.to_csv(index=False))
    print(f"{args.out}: {len(out)} administrations scored", file=sys.stderr)
    return 0


def _reliability(args: argparse.Namespace) -> int:
    definition = _definition(args.definition)
    path = args.responses
    header = _csv_header(path)
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise CliError(f"{path}: column {repeated[0]!r} appears more than once")
    try:
        frame = pd.read_csv(path, skip_blank_lines=True)
    except (OSError, ValueError) as exc:
        raise CliError(f"{path}: cannot read: {exc}") from None
    scales = [s for s in definition.scales if s.rule.uses_items]
    used = {i for s in scales for i in s.items}
    if not used & set(frame.columns):
        raise CliError(f"{path}: no column is an item of {definition.id!r}")
    keyed, errors = keyed_answers(definition, frame)
    if errors:
        for e in errors:
            print(f"{path}: row {e.row + 1}, item {e.item!r}: {e.problem} (got {e.value!r})",
                  file=sys.stderr)  # fmt: skip
        raise CliError(f"{len(errors)} rejected answer(s) in {path}; nothing computed")
    report: dict[str, Any] = {}
    for scale in scales:
        items = [i for i in scale.items if not definition.item(i).filler]
        numeric = [i for i in items if definition.item(i).response.numeric]
        result = scale_reliability(keyed[numeric].to_numpy(), numeric)
        report[scale.id] = {
            "title": scale.title,
            "n": result.n,
            "n_complete": result.n_complete,
            "k": result.k,
            "alpha": result.alpha,
            "alpha_method": ScaleReliability.method,
            "standardized_alpha": result.standardized_alpha,
            "omega_total": result.omega_total,
            "items": {
                s.item: {
                    "n": s.n,
                    "item_rest_r": s.item_rest_r,
                    "alpha_if_deleted": s.alpha_if_deleted,
                }
                for s in result.items
            },
        }
    if args.json:
        print(json.dumps({"instrument": definition.id, "scales": report}, indent=2))
        return 0
    print(f"{definition.title} ({definition.id}): alpha from {ScaleReliability.method}")
    for scale_id, row in report.items():
        print(
            f"\n{scale_id}: n {row['n']} (complete {row['n_complete']}), k {row['k']}, "
            f"alpha {_fmt(row['alpha'])}, standardized {_fmt(row['standardized_alpha'])}, "
            f"omega total {_fmt(row['omega_total'])}"
        )
        for item_id, stats in row["items"].items():
            print(
                f"  {item_id}: item-rest r {_fmt(stats['item_rest_r'])}, "
                f"alpha if deleted {_fmt(stats['alpha_if_deleted'])}"
            )
    return 0


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _import_fhir(args: argparse.Namespace) -> int:
    text = _read(args.file)
    try:
        result = import_questionnaire(
            text, instrument_id=args.instrument_id, direction=args.direction
        )
    except InterchangeError as exc:
        raise CliError(_every_problem(args.file, exc)) from None
    return _emit_import(args, result)


def _every_problem(file: str, exc: InterchangeError) -> str:
    """One line per problem the importer found (it collects every item's reason)."""
    if len(exc.problems) == 1:
        return f"{file}: {exc}"
    lines = [f"{file}: nothing imported; {len(exc.problems)} problems:"]
    lines += [f"  {where}: {problem}" for where, problem in exc.problems]
    return "\n".join(lines)


def _import_redcap(args: argparse.Namespace) -> int:
    text = _read(args.file)
    try:
        result = import_redcap(
            text,
            form=args.form,
            instrument_id=args.instrument_id,
            version=args.version,
            missing_labels=args.missing_label,
        )
    except InterchangeError as exc:
        raise CliError(_every_problem(args.file, exc)) from None
    return _emit_import(args, result)


def _emit_import(args: argparse.Namespace, result: ImportResult) -> int:
    for skipped in result.not_imported:
        print(f"{args.file}: {skipped}", file=sys.stderr)
    for warning in result.warnings:
        print(f"{args.file}: warning: {warning}", file=sys.stderr)
    text = json.dumps(definition_to_dict(result.definition), indent=2, ensure_ascii=False)
    _emit(args.out, text + "\n")
    return 0


def _export_fhir(args: argparse.Namespace) -> int:
    definition = _definition(args.definition)
    if args.pack:
        try:
            packs = read_csv_packs(definition, _read(args.pack))
        except InterchangeError as exc:
            raise CliError(f"{args.pack}: {exc}") from None
        language = args.language or (next(iter(packs)) if len(packs) == 1 else None)
        if language not in packs:
            raise CliError(f"{args.pack}: choose --language from {', '.join(packs)}")
        definition = apply_pack(definition, packs[language])
    elif args.language:
        raise CliError("--language needs --pack")
    questionnaire = export_questionnaire(definition)
    _emit(args.out, json.dumps(questionnaire, indent=2, ensure_ascii=False) + "\n")
    return 0


def _export_redcap(args: argparse.Namespace) -> int:
    _emit(args.out, export_redcap(_definition(args.definition), form=args.form))
    return 0


def _definition(name: str) -> InstrumentDefinition:
    """A bundled definition by id, or a definition file by path."""
    if name.endswith(".json") or os.sep in name or Path(name).exists():
        return _load_file(name)
    try:
        return get_bundled(name)
    except KeyError as exc:
        raise CliError(str(exc.args[0])) from None


def _load_file(path: str) -> InstrumentDefinition:
    try:
        return load_definition(_read(path))
    except DefinitionError as exc:
        raise CliError(f"{path}: {exc}") from None


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot read: {exc}") from None


def _csv_header(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CliError(f"{path}: line 1: cannot read the header: {exc}") from None


def _emit(out: str | None, text: str) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        _write(out, text)


def _write(path: str, text: str) -> None:
    """Write all of ``text`` or nothing: a temporary file in the same folder, then a rename."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CliError(f"{path}: cannot write: {exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CliError(f"{path}: cannot write: {exc}") from None

"""``alliance analyze``: survival analysis for evaluators, from a CSV, without a database.

    alliance analyze survival --csv follow-up.csv --duration days --event reoffended \\
        --covariates completed,age,prior_offences [--json] [--svg curves.svg] [--group completed]
    alliance analyze survival --csv long.csv --id man --start start --stop stop \\
        --event reoffended --covariates employed,age --json
    alliance analyze adjusted --csv follow-up.csv --duration days --event reoffended \\
        --completed completed --covariates age,prior_offences,unemployed [--json] [--svg F]

With ``--start`` and ``--stop`` the file is in counting-process form (one row per man per
interval; covariates may change between intervals) and ``--duration`` is not used. Bad input
prints one line naming the column and the row, and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

# The analyses (lifelines, statsmodels, scipy) are imported by the commands that run them,
# not to build `alliance`'s argument parser: every `alliance ...` command starts faster.
if TYPE_CHECKING:
    from alliance.core.outcomes import SurvivalCurve

EXIT_ERROR = 2


class CliError(Exception):
    """A one-line message for stderr; the command exits with status 2."""


def add_subparsers(subparsers: Any) -> None:
    """Add the ``analyze`` sub-commands to an argparse sub-parser group."""
    p = subparsers.add_parser("survival", help="Cox model and Kaplan-Meier curves from a CSV")
    p.add_argument("--csv", required=True, metavar="FILE")
    p.add_argument("--duration", help="time at risk (static form)")
    p.add_argument("--event", required=True, help="1 if the follow-up ended in the event, else 0")
    p.add_argument("--covariates", required=True, help="comma-separated numeric columns")
    p.add_argument("--id", dest="id_column", help="man identifier (counting-process form)")
    p.add_argument("--start", help="interval start (counting-process form)")
    p.add_argument("--stop", help="interval stop (counting-process form)")
    p.add_argument("--group", help="column whose values split the Kaplan-Meier curves")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--svg", metavar="FILE", help="also write Kaplan-Meier curves as SVG")
    p.set_defaults(analyze_handler=_survival)

    p = subparsers.add_parser(
        "adjusted", help="completers vs non-completers, weighted for intake differences (IPW)"
    )
    p.add_argument("--csv", required=True, metavar="FILE")
    p.add_argument("--duration", required=True, help="time at risk after leaving")
    p.add_argument("--event", required=True, help="1 if the follow-up ended in the event, else 0")
    p.add_argument("--completed", required=True, help="1 for completers, 0 for the others")
    p.add_argument("--covariates", required=True, help="comma-separated intake covariates")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--svg", metavar="FILE", help="also write raw and weighted curves as SVG")
    p.set_defaults(analyze_handler=_adjusted)


def run(args: argparse.Namespace) -> int:
    from alliance.core.outcomes import OutcomeDataError

    handler = getattr(args, "analyze_handler", None)
    if handler is None:
        print("alliance analyze: choose one of survival, adjusted", file=sys.stderr)
        return EXIT_ERROR
    try:
        return int(handler(args))
    except (CliError, OutcomeDataError) as exc:
        print(f"alliance analyze: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _read(path: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise CliError(f"{path}: no such file") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: not a readable CSV ({exc})") from exc


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _survival(args: argparse.Namespace) -> int:
    from alliance.core.outcomes import (
        fit_cox,
        fit_cox_time_varying,
        log_rank,
        proportional_hazards_test,
    )

    frame = _read(args.csv)
    covariates = [c.strip() for c in args.covariates.split(",") if c.strip()]
    counting = args.start is not None or args.stop is not None
    if counting:
        if not (args.start and args.stop and args.id_column):
            raise CliError("the counting-process form needs --id, --start and --stop together")
        result = fit_cox_time_varying(
            frame,
            id_column=args.id_column,
            start=args.start,
            stop=args.stop,
            event=args.event,
            covariates=covariates,
        )
        ph = None
    else:
        if not args.duration:
            raise CliError("give --duration, or --id, --start and --stop")
        result, fitter = fit_cox(
            frame, duration=args.duration, event=args.event, covariates=covariates
        )
        ph = proportional_hazards_test(fitter, frame)
    output: dict[str, Any] = result.as_dict()
    output["concordance"] = _finite(result.concordance)
    if ph is not None:
        output["proportional_hazards_test"] = {
            "method": "Grambsch-Therneau, scaled Schoenfeld residuals, rank(time)",
            "p_values": ph.p_values,
            "violations_at_0.05": ph.violations(),
        }
    curves = _curves(frame, args, counting)
    if curves:
        output["kaplan_meier"] = {
            c.label: {"n": c.n, "events": c.n_events, "median": _median(c)} for c in curves
        }
        if len(curves) > 1 and args.group and not counting:
            lr = log_rank(
                frame[args.duration].astype(float),
                frame[args.event].astype(float).astype(int),
                frame[args.group].to_numpy(),
            )
            output["log_rank"] = {
                "statistic": lr.statistic,
                "df": lr.degrees_of_freedom,
                "p_value": lr.p_value,
            }
    if args.svg and curves:
        Path(args.svg).write_text(curves_svg(curves, xlabel=args.duration or "time"))
    if args.json:
        print(json.dumps(output, indent=2, sort_keys=True))
    else:
        _print_table(output)
    return 0


def _adjusted(args: argparse.Namespace) -> int:
    from alliance.core.outcomes import SurvivalCurve, compare_completers

    frame = _read(args.csv)
    covariates = [c.strip() for c in args.covariates.split(",") if c.strip()]
    result = compare_completers(
        frame,
        duration=args.duration,
        event=args.event,
        completed=args.completed,
        covariates=covariates,
    )

    def cox(c: Any) -> dict[str, Any]:
        return {
            "hazard_ratio": c.hazard_ratios["completed"],
            "ci_95": [c.ci_lower["completed"], c.ci_upper["completed"]],
            "p_value": c.p_values["completed"],
            "robust_standard_errors": c.robust,
        }

    smds = {b.covariate: {"before": b.smd_before, "after": b.smd_after} for b in result.balance}
    output: dict[str, Any] = {
        "caveat": result.caveat,
        "unadjusted": cox(result.raw_cox),
        "weighted": cox(result.weighted_cox),
        "log_rank_unadjusted_p": result.raw_log_rank.p_value,
        "standardized_mean_differences": smds,
        "effective_sample_size": dict(result.effective_sample_size),
        "n": {label: curve.n for label, curve in result.raw_curves.items()},
        "n_events": {label: curve.n_events for label, curve in result.raw_curves.items()},
    }
    if args.svg:
        raw = [
            SurvivalCurve(**{**c.__dict__, "label": f"{c.label} (unadjusted)"})
            for c in result.raw_curves.values()
        ]
        weighted = [
            SurvivalCurve(**{**c.__dict__, "label": f"{c.label} (weighted)"})
            for c in result.weighted_curves.values()
        ]
        Path(args.svg).write_text(curves_svg(raw + weighted, xlabel=args.duration, bands=False))
    if args.json:
        print(json.dumps(output, indent=2, sort_keys=True))
    else:
        print(
            "Hazard ratio, completers vs not: "
            f"unadjusted {result.raw_hazard_ratio:.3f}, weighted {result.adjusted_hazard_ratio:.3f}"
        )
        for name, smd in smds.items():
            print(f"  SMD {name:<20} before {smd['before']:+.3f}  after {smd['after']:+.3f}")
        print(f"\nCaveat: {result.caveat}")
    return 0


def _curves(frame: pd.DataFrame, args: argparse.Namespace, counting: bool) -> list[SurvivalCurve]:
    from alliance.core.outcomes import kaplan_meier

    if counting:
        return []  # a Kaplan-Meier curve needs one duration per man
    if args.group is None:
        return [kaplan_meier(frame[args.duration], frame[args.event], label="all")]
    if args.group not in frame.columns:
        raise CliError(f"column {args.group!r} is not in the data")
    return [
        kaplan_meier(part[args.duration], part[args.event], label=f"{args.group}={value}")
        for value, part in frame.groupby(args.group, sort=True)
    ]


def _median(curve: SurvivalCurve) -> float | None:
    below = curve.survival <= 0.5
    return float(curve.timeline[below.argmax()]) if below.any() else None


def curves_svg(curves: list[SurvivalCurve], *, xlabel: str, bands: bool = True) -> str:
    """Kaplan-Meier step curves with confidence bands as an SVG document (matplotlib)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["text.parse_math"] = False  # labels are data, never mathtext
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.subplots()
    for curve in curves:
        (line,) = ax.step(curve.timeline, curve.survival, where="post", label=curve.label)
        if not bands:
            continue
        ax.fill_between(
            curve.timeline,
            curve.lower,
            curve.upper,
            step="post",
            alpha=0.2,
            color=line.get_color(),
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Proportion without the event")
    ax.legend(loc="lower left", frameon=False)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def _print_table(output: dict[str, Any]) -> None:
    print(f"{'covariate':<20} {'coef':>9} {'se':>9} {'HR':>9} {'p':>9}")
    for name, coef in output["coefficients"].items():
        print(
            f"{name:<20} {coef:>9.4f} {output['standard_errors'][name]:>9.4f} "
            f"{output['hazard_ratios'][name]:>9.4f} {output['p_values'][name]:>9.4f}"
        )
    print(
        f"n = {output['n']}, events = {output['n_events']}, concordance = {output['concordance']}"
    )

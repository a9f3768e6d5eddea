"""Time the adjusted completer comparison at 10,000 and 100,000 men.

Run with ``python benchmarks/bench_outcomes.py`` (about two minutes). The cohort comes from the
simulator (``alliance.core.simulate``): intake covariates, completion, and official re-arrest
times with administrative censoring at 1-5 years, in whole days as dates give them; no-shows
are left out (they never started).
``compare_completers`` fits a logistic propensity model on seven intake covariates, computes
stabilised IPW weights and standardized mean differences, draws raw and weighted Kaplan-Meier
curves for both arms, a log-rank test, and an unweighted and a weighted Cox model (Efron ties,
robust sandwich variance). The baseline, in the same process on the same data, is one plain
Kaplan-Meier fit of every man (``alliance.core.outcomes.kaplan_meier``); lifelines'
``KaplanMeierFitter`` is timed too for reference, and a plain unweighted lifelines
``CoxPHFitter`` of completion alone on the same data is the second baseline. Best of
``REPEATS`` runs each. Prints a
Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable

import lifelines
import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter

from alliance.core.outcomes import compare_completers, kaplan_meier
from alliance.core.simulate import simulate_program

SIZES = (10_000, 100_000)
REPEATS = {10_000: 3, 100_000: 1}
COVARIATES = [
    "age",
    "prior_offences",
    "unemployed",
    "single",
    "substance_use",
    "mandated",
    "risk_score",
]


def best_of(repeats: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def cohort(n: int, seed: int) -> pd.DataFrame:
    program = simulate_program(n, rng=np.random.default_rng(seed))
    men = program.participants.merge(program.reoffences, on="participant_id")
    men = men[men["outcome"] != "no_show"]
    return pd.DataFrame(
        {
            # Follow-up is recorded as dates, so time at risk is whole days (at least one).
            "days": np.maximum(np.ceil(men["official_time_years"] * 365.25), 1.0),
            "event": men["official_event"].astype(int),
            "completed": (men["outcome"] == "completed").astype(int),
            "age": men["age"],
            "prior_offences": men["prior_offences"],
            "unemployed": (men["employment"] == "unemployed").astype(float),
            "single": men["relationship_status"].isin(["single", "separated"]).astype(float),
            "substance_use": men["substance_use_concern"].astype(float),
            "mandated": men["referral_source"].isin(["court", "probation"]).astype(float),
            "risk_score": men["risk_score"].astype(float),
        }
    ).reset_index(drop=True)


def main() -> None:
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"lifelines {lifelines.__version__}"
    )
    print(
        "| men referred | men analysed | events | compare_completers (s) "
        "| plain KM (s) | ratio | lifelines KM (s) | plain lifelines Cox (s) | ratio to Cox "
        "| raw HR | weighted HR | max abs SMD after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in SIZES:
        data = cohort(n, seed=n)
        repeats = REPEATS[n]
        start = time.perf_counter()
        result = compare_completers(
            data, duration="days", event="event", completed="completed", covariates=COVARIATES
        )
        adjusted = time.perf_counter() - start
        if repeats > 1:
            adjusted = min(
                adjusted,
                best_of(
                    repeats - 1,
                    lambda d=data: compare_completers(
                        d,
                        duration="days",
                        event="event",
                        completed="completed",
                        covariates=COVARIATES,
                    ),
                ),
            )
        plain = best_of(max(repeats, 5), lambda d=data: kaplan_meier(d["days"], d["event"]))
        reference = best_of(
            max(repeats, 3), lambda d=data: KaplanMeierFitter().fit(d["days"], d["event"])
        )
        # The baseline the evaluation would have without adjustment: one unweighted lifelines
        # Cox fit of completion alone (Efron ties, model-based SEs).
        simple = data[["days", "event", "completed"]]
        cox = best_of(
            repeats, lambda d=simple: CoxPHFitter().fit(d, duration_col="days", event_col="event")
        )
        print(
            f"| {n:,} | {len(data):,} | {int(data['event'].sum()):,} | {adjusted:.2f} "
            f"| {plain:.4f} | {adjusted / plain:,.0f}x | {reference:.3f} "
            f"| {cox:.2f} | {adjusted / cox:.1f}x "
            f"| {result.raw_hazard_ratio:.2f} | {result.adjusted_hazard_ratio:.2f} "
            f"| {result.max_abs_smd_after:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()

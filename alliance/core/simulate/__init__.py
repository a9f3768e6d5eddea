"""Literature-parameterised synthetic program generator (domain_science.md §6).

>>> import numpy as np
>>> program = simulate_program(200, rng=np.random.default_rng(7))
>>> sorted(program.participants["outcome"].unique())
['completed', 'dropped_out', 'no_show']
"""

from alliance.core.simulate.parameters import SimulationParameters, baseline_only
from alliance.core.simulate.program import (
    IsolationEffect,
    SimulatedProgram,
    ZoneEffect,
    simulate_program,
)

__all__ = [
    "IsolationEffect",
    "SimulatedProgram",
    "SimulationParameters",
    "ZoneEffect",
    "baseline_only",
    "simulate_program",
]

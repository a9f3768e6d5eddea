"""`alliance instruments ...` starts without the statistics stack (issue 16): building the
argument parser imports no statsmodels, scipy or lifelines; the commands that analyse import
them when they run."""

from __future__ import annotations

import subprocess
import sys


def test_listing_instruments_imports_no_statistics_library() -> None:
    probe = (
        "import sys; from alliance.cli import main; main(['instruments', 'list']); "
        "print(sorted(m for m in ('statsmodels', 'scipy', 'lifelines', 'sklearn') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"

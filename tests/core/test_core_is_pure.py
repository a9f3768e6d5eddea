"""alliance.core must stay free of Django, the web apps and I/O libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import alliance.core

CORE = Path(alliance.core.__file__).parent
FORBIDDEN = (
    "django",
    "alliance.organizations",
    "alliance.programs",
    "alliance.participants",
    "alliance.dashboard",
    "alliance.demo",
    "requests",
    "urllib.request",
    "socket",
)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_under_core_imports_django_or_the_web_apps() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(
            name
            for name in imported_modules(path)
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
        )
        for path in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_core_module_does_not_load_django() -> None:
    modules = sorted(
        "alliance.core."
        + ".".join(p.relative_to(CORE).with_suffix("").parts).replace(".__init__", "")
        for p in CORE.rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m.rstrip('.'))\n"
        "print(sorted(n for n in sys.modules if n == 'django' or n.startswith('django.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

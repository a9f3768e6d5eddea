"""`alliance --help` lists every command by the name to type, and the README agrees with what
`alliance demo` builds (findings D24)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alliance import cli
from alliance.demo.outcomes import ALUMNI_MIN_MEN, ALUMNI_PER_MAN

ROOT = Path(__file__).resolve().parent.parent


def _help(capsys: pytest.CaptureFixture[str]) -> str:
    cli.build_parser().print_help()
    return capsys.readouterr().out


def _project_commands() -> set[str]:
    """Every management command the project ships, as typed (dashes for the aliased ones)."""
    typed = {v: k for k, v in cli.COMMAND_ALIASES.items()}
    return {
        typed.get(path.stem, path.stem)
        for path in (ROOT / "alliance").glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    }


def test_help_lists_every_command_the_project_ships(capsys) -> None:
    text = _help(capsys)
    for name in _project_commands() | {"check", "migrate"}:
        assert re.search(rf"^\s+{re.escape(name)}\s", text, re.M), name
    for name in cli.OWN_COMMANDS - {"-h", "--help"}:
        assert name in text, name
    assert "totp_code" not in text
    assert "send_reminders" not in text


def test_no_arguments_prints_the_same_help(capsys) -> None:
    assert cli.main([]) == 0
    assert "totp-code" in capsys.readouterr().out


def test_a_dashed_command_s_usage_line_uses_the_dashed_name(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["totp-code", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: alliance totp-code")
    assert "totp_code" not in out


def test_the_readme_counts_the_demo_s_men_as_the_demo_builds_them() -> None:
    default = cli.build_parser().parse_args(["demo"]).participants
    assert default >= ALUMNI_MIN_MEN
    total = default * (1 + ALUMNI_PER_MAN)
    readme = re.sub(r"\s+", " ", (ROOT / "README.md").read_text())
    assert f"{default} men in the current programs" in readme
    assert f"{total} men in all" in readme

"""Strict parsing of configuration (alliance.env)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.env import ConfigurationError, env_bool, env_int, env_list, env_str


def test_values_come_from_the_environment_or_the_default() -> None:
    assert env_str("X", "default", {}) == "default"
    assert env_str("X", "default", {"X": "set"}) == "set"
    assert env_int("N", 3, {"N": "12"}) == 12
    assert env_list("L", [], {"L": "a, b,,c"}) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("0", False), ("YES", True), ("off", False)]
)
def test_booleans_accept_the_usual_spellings(raw: str, expected: bool) -> None:
    assert env_bool("B", not expected, {"B": raw}) is expected


def test_a_value_that_does_not_parse_names_the_variable() -> None:
    with pytest.raises(ConfigurationError, match=r"^DEBUG: expected one of"):
        env_bool("DEBUG", False, {"DEBUG": "maybe"})
    with pytest.raises(ConfigurationError, match=r"^PORT: expected a whole number"):
        env_int("PORT", 1, {"PORT": "80a"})


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    assert env_str("SECRET_KEY", "", {"SECRET_KEY_FILE": str(secret)}) == "s3cret"


def test_setting_both_a_value_and_its_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not both"):
        env_str("SECRET_KEY", "", {"SECRET_KEY": "a", "SECRET_KEY_FILE": str(tmp_path / "x")})


def test_an_unreadable_file_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"^SECRET_KEY_FILE: cannot read"):
        env_str("SECRET_KEY", "", {"SECRET_KEY_FILE": str(tmp_path / "missing")})

"""Strict parsing of configuration from environment variables.

Every setting can also be read from a file named by ``<NAME>_FILE`` so that secrets can come
from a container or systemd credential store instead of the process environment. A value that
does not parse stops start-up with a message naming the variable: a typo in production must
never fall back silently to a default.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path


class ConfigurationError(RuntimeError):
    """Raised when an environment variable is present but unusable."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: dict[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    file_name = env.get(f"{name}_FILE")
    if file_name is not None and name in env:
        raise ConfigurationError(f"Set {name} or {name}_FILE, not both.")
    if file_name is not None:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(f"{name}_FILE: cannot read {file_name!r}: {exc}") from exc
    return env.get(name)


def env_str(name: str, default: str, environ: dict[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, environ: dict[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigurationError(
        f"{name}: expected one of true/false/1/0/yes/no/on/off, got {value!r}."
    )


def env_int(name: str, default: int, environ: dict[str, str] | None = None) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name}: expected a whole number, got {value!r}.") from None


def env_list(name: str, default: list[str], environ: dict[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_networks(
    name: str, environ: dict[str, str] | None = None
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses or CIDR blocks (``10.0.0.0/8, ::1``); empty when unset.

    Strict: a block with host bits set (``10.0.0.1/8``) is refused, because it is usually a
    typo for something narrower than what it would trust.
    """
    networks = []
    for part in env_list(name, [], environ):
        try:
            networks.append(ipaddress.ip_network(part, strict=True))
        except ValueError as exc:
            raise ConfigurationError(
                f"{name}: {part!r} is not an address or CIDR block ({exc})."
            ) from None
    return tuple(networks)

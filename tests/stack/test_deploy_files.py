"""The files in deploy/ stay in step with the code: the systemd units' command lines parse,
the nginx site renders with nothing left unset and replaces (never appends to) the forwarded
headers, and the environment template names only settings Alliance reads."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings

from alliance.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _renderer():
    spec = importlib.util.spec_from_file_location(
        "render_nginx_site", ROOT / "scripts" / "render-nginx-site.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VALUES = {
    "SERVER_NAME": "alliance.example.org",
    "LISTEN": "443",
    "CERTIFICATE": "/etc/ssl/alliance.pem",
    "KEY": "/etc/ssl/private/alliance.key",
    "APP_SERVERS": "server 127.0.0.1:8001; server 127.0.0.1:8002;",
    "STATIC_ROOT": "/srv/alliance/staticfiles/",
    "PREFIX": "/var/lib/nginx",
}


@pytest.mark.parametrize("unit", ["alliance-web@.service", "alliance-worker@.service"])
def test_each_units_command_line_is_one_alliance_accepts(unit: str) -> None:
    text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
    command = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE)
    assert command is not None
    words = shlex.split(command.group(1).replace("%i", "8001").replace("%H", "host"))
    assert words[0].endswith("/alliance")
    args = build_parser().parse_args(words[1:])
    if args.command == "serve":
        assert (args.host, args.no_worker, args.no_setup) == ("127.0.0.1", True, True)
    else:
        assert args.command == "worker"
        assert args.schedule is True
    assert "EnvironmentFile=/etc/alliance/alliance.env" in text


def test_the_nginx_site_renders_completely_and_sets_the_forwarded_headers() -> None:
    site = _renderer().render(VALUES)
    assert not re.search(r"@[A-Z_]+@", site.split("upstream", 1)[1])
    assert "server 127.0.0.1:8001; server 127.0.0.1:8002;" in site
    # Replaced with the peer nginx saw, never appended to what the client sent.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site
    assert "proxy_set_header X-Forwarded-Proto https;" in site
    size = re.search(r"client_max_body_size (\d+)m;", site)
    assert size is not None
    assert int(size.group(1)) * 1024 * 1024 == settings.MAX_REQUEST_BYTES


def test_rendering_refuses_a_placeholder_left_unset() -> None:
    values = dict(VALUES)
    del values["CERTIFICATE"]
    with pytest.raises(SystemExit, match="CERTIFICATE"):
        _renderer().render(values)


def test_the_environment_template_names_only_settings_alliance_reads() -> None:
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "alliance").rglob("*.py")
    )
    names = re.findall(
        r"^#?\s*([A-Z][A-Z0-9_]+)=",
        (DEPLOY / "alliance.env.example").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert len(names) > 10
    unknown = [
        name
        for name in names
        if f'"{name.removesuffix("_FILE")}"' not in source and f'"{name}"' not in source
    ]
    assert unknown == []


def test_rotating_the_django_secret_keeps_pins_made_under_the_old_one() -> None:
    """With ALLIANCE_PIN_KEY unset the PIN key is derived from SECRET_KEY; the old secret in
    SECRET_KEY_FALLBACKS still verifies a PIN, which then moves to the new secret's key."""
    from django.test import override_settings

    from alliance.pin_hash import check_pin, hash_pin

    with override_settings(ALLIANCE_PIN_KEY="", SECRET_KEY="old-secret-" + "x" * 40):
        stored = hash_pin("4821")
    with override_settings(ALLIANCE_PIN_KEY="", SECRET_KEY="new-secret-" + "y" * 40):
        assert not check_pin("4821", stored).ok  # without the fallback: locked out
    with override_settings(
        ALLIANCE_PIN_KEY="",
        SECRET_KEY="new-secret-" + "y" * 40,
        SECRET_KEY_FALLBACKS=["old-secret-" + "x" * 40],
    ):
        moved = check_pin("4821", stored)
        assert moved.ok
        assert moved.rehashed is not None
        assert check_pin("4821", moved.rehashed) == type(moved)(True, None)
        assert not check_pin("4822", stored).ok

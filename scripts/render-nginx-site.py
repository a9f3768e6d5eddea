#!/usr/bin/env python3
"""Render deploy/nginx/alliance.conf.template: each --set NAME=VALUE replaces @NAME@.

    scripts/render-nginx-site.py --set SERVER_NAME=alliance.example.org --set LISTEN=443 \
        --set CERTIFICATE=/etc/ssl/alliance.pem --set KEY=/etc/ssl/private/alliance.key \
        --set "APP_SERVERS=server 127.0.0.1:8001; server 127.0.0.1:8002;" \
        --set STATIC_ROOT=/srv/alliance/staticfiles/ --set PREFIX=/var/lib/nginx \
        > /etc/nginx/sites-available/alliance

A placeholder left unset is an error (nothing half-rendered is written). PROXY_BIND is
optional (empty unless set): the address nginx connects to the app servers from.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1] / "deploy" / "nginx" / "alliance.conf.template"
OPTIONAL = {"PROXY_BIND": ""}


def render(values: dict[str, str], template: str | None = None) -> str:
    text = template if template is not None else TEMPLATE.read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    wanted = set(re.findall(r"@([A-Z_]+)@", body))
    merged = {**OPTIONAL, **values}
    missing = sorted(wanted - set(merged))
    if missing:
        raise SystemExit(f"render-nginx-site: set {', '.join(missing)} (--set NAME=VALUE)")
    return re.sub(r"@([A-Z_]+)@", lambda m: merged.get(m.group(1), m.group(0)), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    values = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--set {item!r}: expected NAME=VALUE")
        values[name] = value
    sys.stdout.write(render(values))
    return 0


if __name__ == "__main__":
    sys.exit(main())

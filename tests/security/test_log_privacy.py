"""Participant tokens are masked in every log line where the line is made (M1).

The live check (a real ``alliance serve``, a phone link, a kiosk, wrong PINs, dead tokens,
then the captured output scanned) is tests/reliability/test_tokens_never_logged.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver

from alliance.ops.gunicorn_logger import Logger as GunicornLogger
from alliance.ops.log_privacy import TOKEN_PREFIXES, MaskTokens, mask_tokens

TOKEN = "b1vvCrqyahSzdlbXW6JV78NpXaJuYFObKcDp6sgK48c"


def token_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from token_patterns(entry, pattern)
        elif isinstance(entry, URLPattern) and "<str:token>" in pattern:
            yield pattern


def test_every_url_that_carries_a_token_is_masked():
    patterns = list(token_patterns())
    assert len(patterns) >= 10  # /r/, /kiosk/ and /p/ pages
    for pattern in patterns:
        path = "/" + re.sub(r"<int:\w+>", "7", pattern).replace("<str:token>", TOKEN)
        assert pattern.split("/<str:token>")[0] in TOKEN_PREFIXES
        assert TOKEN not in mask_tokens(f"GET {path} HTTP/1.1"), pattern


def test_it_masks_paths_request_lines_and_referrers_but_nothing_else():
    line = (
        f'"POST /kiosk/{TOKEN}/man/10/ HTTP/1.1" 400 "https://alliance.example.org/p/{TOKEN}/do/3/"'
        f" Not Found: /r/{TOKEN}/ /participants/12/ /rights/r/x/"
    )
    assert mask_tokens(line) == (
        '"POST /kiosk/<token>/man/10/ HTTP/1.1" 400 "https://alliance.example.org/p/<token>/do/3/"'
        " Not Found: /r/<token>/ /participants/12/ /rights/r/x/"
    )
    assert mask_tokens(f"/p/{TOKEN}?next=1") == "/p/<token>?next=1"


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_the_filter_masks_the_message_and_its_arguments():
    masked = record("Bad Request: %s", f"/kiosk/{TOKEN}/man/10/")

    assert MaskTokens().filter(masked) is True
    assert masked.getMessage() == "Bad Request: /kiosk/<token>/man/10/"
    assert TOKEN not in logging.Formatter("%(message)s").format(masked)


def test_the_filter_masks_a_traceback_and_the_request_a_handler_reads():
    try:
        raise ValueError(f"no kiosk at /kiosk/{TOKEN}/")
    except ValueError:
        failing = record("Internal Server Error: %s", f"/r/{TOKEN}/", exc_info=sys.exc_info())
    request = SimpleNamespace(
        path=f"/r/{TOKEN}/", get_full_path=lambda: f"/r/{TOKEN}/?a=1", method="GET"
    )
    failing.request = request

    MaskTokens().filter(failing)

    assert TOKEN not in logging.Formatter().format(failing)
    assert failing.request.path == "/r/<token>/"
    assert failing.request.get_full_path() == "/r/<token>/?a=1"
    assert failing.request.method == "GET"  # everything else is the request's own


def test_django_and_its_request_loggers_go_through_the_filter():
    from django.conf import settings

    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["mask_tokens"]
    for name in ("django.request", "django.security.csrf", "django.server"):
        assert "mask_tokens" in settings.LOGGING["loggers"][name]["filters"]
    assert any(isinstance(f, MaskTokens) for f in logging.getLogger("django.request").filters)


def test_gunicorns_access_line_is_masked_and_names_the_client(settings):
    import ipaddress

    settings.TRUSTED_PROXIES = (ipaddress.ip_network("127.0.0.1/32"),)
    cfg = SimpleNamespace(
        access_log_format='%(h)s "%(r)s" %(s)s "%(f)s" %(U)s',
    )
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "198.51.100.7",
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/p/{TOKEN}/",
        "PATH_INFO": f"/p/{TOKEN}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"http://127.0.0.1/r/{TOKEN}/",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    logger = GunicornLogger.__new__(GunicornLogger)
    logger.cfg = cfg
    atoms = logger.atoms(response, [], environ, dt.timedelta(milliseconds=3))

    line = cfg.access_log_format % atoms
    assert TOKEN not in line
    assert (
        line
        == '198.51.100.7 "GET /p/<token>/ HTTP/1.1" 200 "http://127.0.0.1/r/<token>/" /p/<token>/'
    )


def test_gunicorns_error_log_is_masked_too(capsys):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)

    logger.error("Error handling request %s", f"/kiosk/{TOKEN}/checkout/")

    written = capsys.readouterr().err
    assert "Error handling request /kiosk/<token>/checkout/" in written
    assert TOKEN not in written

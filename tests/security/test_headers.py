"""Security headers on every response, and templates that a strict CSP can serve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import alliance

PAGES = ["/", "/participants/", "/sessions/{session}/", "/dashboard/"]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_the_sign_in_page_carries_a_strict_content_security_policy(client):
    response = client.get("/login/")

    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_pages_carry_the_same_headers(world, as_user, page):
    url = page.format(session=world.sessions_a[-1].pk)
    response = as_user(world.olga).get(url)

    assert response.status_code == 200
    assert "'unsafe-inline'" not in directives(response)["script-src"]
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_add_hsts_and_secure_cookies(world, as_user, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True

    response = as_user(world.olga).get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]


def test_without_production_settings_there_is_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login/", secure=True)


TEMPLATES = sorted(Path(alliance.__file__).parent.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
HTMX_ON = re.compile(r"\bhx-on|\bhx-vars|\bdata-hx-on|[\"']js:", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_template_runs_inline_script(path):
    source = path.read_text(encoding="utf-8")
    for pattern in (INLINE_SCRIPT, EVENT_HANDLER, HTMX_ON, JS_URL):
        match = pattern.search(source)
        assert match is None, f"{path}: {match.group(0)!r} needs a static JS file instead"


def test_htmx_is_configured_without_eval_in_every_base_template():
    for base in ("templates/base.html", "measures/templates/measures/bare.html"):
        source = (Path(alliance.__file__).parent / base).read_text(encoding="utf-8")
        assert '"allowEval": false' in source, base
        assert '"includeIndicatorStyles": false' in source, base

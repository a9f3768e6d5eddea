"""The shared cache: the database cache by default, Redis (django-redis) when REDIS_URL is set.

The settings module is read afresh with the environment of each case; no Redis server is
needed to see which backend it picks.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

import alliance
from alliance.env import ConfigurationError

SETTINGS = Path(alliance.__file__).with_name("settings.py")


def _settings(monkeypatch, **environ: str) -> dict:
    monkeypatch.delenv("REDIS_URL", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_redis_url_the_cache_is_the_database(monkeypatch) -> None:
    cache = _settings(monkeypatch)["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "alliance_cache"


def test_redis_url_picks_django_redis(monkeypatch) -> None:
    cache = _settings(monkeypatch, REDIS_URL="redis://cache.internal:6379/2")["CACHES"]["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"


def test_a_redis_url_that_is_not_one_stops_start_up_naming_it(monkeypatch) -> None:
    with pytest.raises(ConfigurationError, match="REDIS_URL"):
        _settings(monkeypatch, REDIS_URL="http://cache.internal:6379")


def test_tasks_default_to_the_database_backend(monkeypatch) -> None:
    monkeypatch.delenv("ALLIANCE_TASKS_BACKEND", raising=False)
    tasks = _settings(monkeypatch)["TASKS"]["default"]
    assert tasks["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.django_db
def test_a_chart_drawn_once_is_reused_from_the_shared_cache(monkeypatch) -> None:
    from django.core.cache import cache

    from alliance import charts

    draws: list[str] = []
    monkeypatch.setattr(charts, "_bar_svg", lambda *a: draws.append("x") or "<svg>bars</svg>")
    charts.clear_cache()
    assert charts.bar_svg(["A"], [0.5], title="t", xlabel="x") == "<svg>bars</svg>"
    assert charts.bar_svg(["A"], [0.5], title="t", xlabel="x") == "<svg>bars</svg>"
    assert draws == ["x"]
    # In the shared cache (what another app server reads), not in this process.
    assert any(cache.get(k) == "<svg>bars</svg>" for k in _keys(cache))


def _keys(cache) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM alliance_cache")
        return [row[0].split(":", 2)[2] for row in cursor.fetchall()]

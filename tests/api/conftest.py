"""The web personas (tests/web/conftest.py) for the REST API tests."""

from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    as_user,
    frozen_clock,
    world,
)

"""The web personas of ``tests/web/conftest.py``, reused for the bulk-import refresh tests."""

from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    as_user,
    frozen_clock,
    world,
)

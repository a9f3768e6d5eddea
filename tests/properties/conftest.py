"""The web personas of ``tests/web/conftest.py``, for the importer that writes to the database."""

from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    frozen_clock,
    world,
)

"""The web personas of tests/web (Riverside, frozen at Monday 10 March 2025 in Auckland)."""

from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    as_user,
    frozen_clock,
    world,
)

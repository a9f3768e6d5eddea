"""schemathesis against the API's own OpenAPI schema: no 500, every answer conforms.

The app is called in-process through Django's test handler (so the test's database
transaction holds), with a program manager's integration key.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, given, settings

from alliance.api.services import create_integration_key
from alliance.organizations.models import Role
from tests.factories import World


class TestWSGI:
    """A WSGI app over Django's test handler, which keeps the test's database connection
    open between requests (the production handler would close it after each one)."""

    def __init__(self) -> None:
        self.handler = ClientHandler()

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        response = self.handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]


@pytest.fixture
def api_schema(world: World):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", TestWSGI())


@pytest.fixture
def key(world: World) -> str:
    _, text = create_integration_key(
        actor=world.olga,  # type: ignore[arg-type]
        organization=world.riverside,
        name="Fuzzer",
        role=Role.PROGRAM_MANAGER,
        sites=[world.north],
    )
    return text


def test_every_operation_conforms_to_the_schema(world: World, key: str) -> None:
    """Each operation with generated parameters and bodies (25 cases each): no 5xx, and
    status code, content type, headers and body as the schema says."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", TestWSGI())
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            # The same cases every run: CI never meets a case no earlier run met.
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:  # type: ignore[no-untyped-def]
            headers = {"Authorization": f"Bearer {key}"}
            if case.method == "POST":
                headers["Idempotency-Key"] = "fuzz"
            case.call_and_validate(headers=headers)

        run()
    assert "POST /api/v1/attendance/" in labels
    assert len(labels) >= 16

"""Schema helpers for the API's OpenAPI document."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema


class RequiredBodySchema(AutoSchema):
    """The request body is required (a raw JSON schema is otherwise documented optional)."""

    def _get_request_body(self, direction: str = "request") -> Any:
        body = super()._get_request_body(direction)  # type: ignore[no-untyped-call]
        if body:
            body["required"] = True
        return body

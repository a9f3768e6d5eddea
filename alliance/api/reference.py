"""The API reference page: the OpenAPI schema drf-spectacular generates, rendered as a plain
server-side page (no JavaScript, no network), for staff who connect a system to Alliance."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

from alliance.organizations.permissions import require_membership

METHODS = ("get", "post", "put", "patch", "delete")


def _fields(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, str]]:
    ref = schema.get("$ref")
    if ref:
        schema = components.get(ref.rsplit("/", 1)[-1], {})
    if schema.get("type") == "array":
        return _fields(schema.get("items", {}), components)
    if "results" in schema.get("properties", {}):
        return _fields(schema["properties"]["results"], components)
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        if "$ref" in prop:
            kind = prop["$ref"].rsplit("/", 1)[-1]
        elif "allOf" in prop:
            kind = " ".join(p.get("$ref", "").rsplit("/", 1)[-1] for p in prop["allOf"])
        else:
            kind = prop.get("format") or prop.get("type", "")
        rows.append(
            {
                "name": name,
                "type": str(kind),
                "required": "yes" if name in required else "",
                "notes": "read only" if prop.get("readOnly") else "",
            }
        )
    return rows


@login_required
@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    require_membership(request.user)
    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            ok = next((c for c in ("200", "201") if c in op.get("responses", {})), None)
            response = (
                op["responses"][ok].get("content", {}).get("application/json", {}).get("schema")
                if ok
                else None
            )
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": (op.get("description") or "").strip(),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": p.get("schema", {}).get("type", ""),
                            "required": "yes" if p.get("required") else "",
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "request": _fields(body.get("schema", {}), components) if body else [],
                    "response": _fields(response, components) if response else [],
                }
            )
    context = {"info": schema.get("info", {}), "operations": operations}
    return render(request, "api/reference.html", context)

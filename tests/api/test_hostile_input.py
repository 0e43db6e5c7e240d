"""Every route in the OpenAPI document, fed what an attacker would send: never a 5xx.

Oversized integers, NUL bytes and other control characters, lone surrogates, dates at
the edge of the calendar, deep JSON and huge lists go into every path parameter, query
parameter and JSON body property the document declares, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

BIG = 2**63
HOSTILE_TEXT = ("a\x00b", "a\x01b", "\ud800", "x" * 30_000)
HOSTILE_INTEGERS: tuple[Any, ...] = (BIG, -BIG - 1, 4.99, 1e308, "12", True)
HOSTILE_DATES = ("9999-12-31", "0001-01-01", "2026-02-30")
DEEP = "[" * 1000 + "]" * 1000
WRITE_METHODS = ("post", "patch", "put")


def _encode(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _records(client: FlaskClient) -> dict[str, str]:
    """One record of each kind, so hostile bodies reach the code behind a found record."""
    audit = client.post("/audits", json={"title": "Sweep audit"}).json["id"]
    nc = client.post(
        "/nonconformities", json={"description": "Sweep", "severity": "Minor", "audit_id": audit}
    ).json["id"]
    assessment = client.post("/assessments", json={"clause_id": "4.1", "status": "Partial"}).json[
        "id"
    ]
    review = client.post("/management-reviews", json={"title": "Sweep review"}).json["id"]
    attachment = client.post(
        f"/assessments/{assessment}/attachments",
        data={"file": (io.BytesIO(b"plain evidence\n"), "evidence.txt")},
        content_type="multipart/form-data",
    ).json["id"]
    client.post("/v1/orgs", json={"id": "sweep-org", "name": "Sweep"})
    return {
        "audit_id": str(audit),
        "nonconformity_id": str(nc),
        "assessment_id": str(assessment),
        "review_id": str(review),
        "attachment_id": str(attachment),
        "org_id": "sweep-org",
        "clause_id": "4.1",
    }


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], list[Any]]]:
    """(path, method, operation, parameters), deletes last so records live for the rest."""
    found = []
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method in ("get", "post", "patch", "put", "delete"):
                found.append((path, method, operation, shared + operation.get("parameters", [])))
    yield from sorted(found, key=lambda op: op[1] == "delete")


def _fill(path: str, values: dict[str, str], override: dict[str, str] | None = None) -> str:
    for name, value in {**values, **(override or {})}.items():
        path = path.replace("{" + name + "}", value)
    return path


def _hostile_for(schema: dict[str, Any], spec: dict[str, Any]) -> tuple[Any, ...]:
    if "$ref" in schema:
        schema = _resolve(spec, schema["$ref"])
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        return HOSTILE_INTEGERS
    if kind == "string" and fmt in ("date", "date-time"):
        return (*HOSTILE_DATES, "a\x00b")
    if kind == "array":
        return (["x"] * 20_000, [DEEP], "not a list")
    if kind == "boolean":
        return ("maybe", 2)
    return HOSTILE_TEXT


def _resolve(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return dict(node)


def _json_properties(operation: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if not schema:
        return {}
    if "$ref" in schema:
        schema = _resolve(spec, schema["$ref"])
    return dict(schema.get("properties", {}))


def _requests(
    spec: dict[str, Any], records: dict[str, str]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, method, operation, parameters in _operations(spec):
        in_path = [p for p in parameters if p["in"] == "path"]
        in_query = [p for p in parameters if p["in"] == "query"]
        for parameter in in_path:
            is_int = parameter.get("schema", {}).get("type") == "integer"
            ids = (str(2**31), str(BIG), "-1", "0")
            for value in ids if is_int else ("a\x00b", "\x01", "x" * 5000):
                target = _fill(path, records, {parameter["name"]: _encode(value)})
                yield method, target, {"json": {}} if method in WRITE_METHODS else {}
        target = _fill(path, records)
        for parameter in in_query:
            for value in _hostile_for(parameter.get("schema", {}), spec):
                if isinstance(value, list):
                    continue
                query = f"{parameter['name']}={_encode(str(value))}"
                yield method, f"{target}?{query}", {}
        if method not in WRITE_METHODS:
            continue
        for body in (DEEP, json.dumps(["x"] * 100_000), "[]", '"text"', "null", "{"):
            yield method, target, {"data": body, "content_type": "application/json"}
        yield method, target, {"data": '{"a": 1}', "content_type": "text/plain"}
        for name, schema in _json_properties(operation, spec).items():
            for value in _hostile_for(schema, spec):
                try:
                    encoded = json.dumps({name: value})
                except ValueError:
                    continue
                yield method, target, {"data": encoded, "content_type": "application/json"}


def test_no_hostile_request_gets_a_server_error(client: FlaskClient) -> None:
    records = _records(client)
    spec = client.get("/openapi.json").json
    failures = []
    sent = 0
    for method, target, options in _requests(spec, records):
        response = client.open(target, method=method.upper(), **options)
        response.get_data()  # a streamed body fails while it is read
        response.close()
        sent += 1
        if response.status_code >= 500 or (not response.is_json and response.status_code >= 400):
            failures.append(f"{method.upper()} {target[:120]!r} -> {response.status_code}")
    assert sent > 1000
    assert failures == []


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_an_empty_if_match_is_a_stale_version_not_a_crash(client: FlaskClient, method: str) -> None:
    audit = client.post("/audits", json={"title": "Tagged"}).json["id"]
    response = client.open(
        f"/audits/{audit}", method=method, json={"title": "Changed"}, headers={"If-Match": '""'}
    )
    assert response.status_code == 412
    assert client.get(f"/audits/{audit}").json["title"] == "Tagged"

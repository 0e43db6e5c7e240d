"""What the OpenAPI document promises matches what the routes do.

File responses declare their media type and a binary body; every rate-limited operation
documents its 429 with Retry-After; If-Match is declared on the writes that honour it and
nowhere else; PATCH bodies, which must name a field, say so with `minProperties: 1`; request
fields state the bounds api.inputs enforces (64-bit integers, years 1000-9998, text without
control characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from api.base import DATE_PATTERN, TEXT_PATTERN
from core.config import Settings
from core.rules import is_text
from web.files import XLSX_TYPE
from web.hardening import limiter
from web.inputs import EARLIEST_DATE, INT64_MAX, LATEST_DATE

BINARY = {"type": "string", "format": "binary"}
HTTP_METHODS = ("get", "post", "patch", "delete", "put")
# A value for every path parameter, whether or not such a record exists.
PATH_VALUES = {"clause_id": "4.1", "org_id": "default"}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json
    return document


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def concrete(path: str) -> str:
    for name in (p[1:-1] for p in path.split("/") if p.startswith("{")):
        path = path.replace("{" + name + "}", PATH_VALUES.get(name, "1"))
    return path


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_file_responses_declare_their_media_type_and_a_binary_body(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    files: dict[str, set[str]] = {}
    for method, path, operation in operations(spec):
        for code, response in operation["responses"].items():
            if not code.startswith("2") or code == "204":
                continue
            content = response.get("content")
            assert content, f"{method.upper()} {path} {code} declares no media type"
            for media_type, media in content.items():
                if media_type != "application/json":
                    assert media["schema"] == BINARY, f"{method.upper()} {path}"
                    files.setdefault(f"{method.upper()} {path}", set()).add(media_type)
    expected: dict[str, set[str]] = {}
    for prefix in ("", "/v1"):
        for name in ("audits", "nonconformities", "assessments", "audit_nonconformities"):
            expected[f"GET {prefix}/export/{name}.csv"] = {"text/csv"}
            expected[f"GET {prefix}/export/{name}.xlsx"] = {XLSX_TYPE}
        # Evidence is served with the type judged at upload, from a configurable allow-list.
        expected[f"GET {prefix}/attachments/{{attachment_id}}/download"] = {
            "application/octet-stream",
            "*/*",
        }
        # What an export job made.
        expected[f"GET {prefix}/jobs/{{job_id}}/download"] = {XLSX_TYPE}
    assert files == expected
    assert len(files) == 20
    # The exports answer with the type they declare.
    for key, media_types in expected.items():
        if "/export/" in key:
            with client.get(key.split(" ", 1)[1]) as response:
                assert response.status_code == 200
                assert {response.mimetype} == media_types, key


def test_rate_limited_operations_document_429_with_retry_after(
    client: FlaskClient, settings: Settings, spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from server import create_app

    # The limiter is one object for every app of the process: restore it afterwards.
    for name, value in vars(limiter).items():
        monkeypatch.setattr(limiter, name, value)
    limited = create_app(
        settings.with_overrides(
            ratelimit_enabled=True,
            ratelimit_uploads="1 per hour",
            ratelimit_presign="1 per hour",
            ratelimit_exports="1 per hour",
        ),
        dashboard=False,
    ).test_client()
    throttled = set()
    for method, path, _ in operations(spec):
        # The limit is counted before the request is read: an empty request is enough.
        answers = [limited.open(concrete(path), method=method).status_code for _ in range(2)]
        if 429 in answers:
            throttled.add(f"{method.upper()} {path}")
    documented = {
        f"{method.upper()} {path}"
        for method, path, operation in operations(spec)
        if "429" in operation["responses"]
    }
    assert throttled and documented == throttled
    for method, path, operation in operations(spec):
        if "429" in operation["responses"]:
            response = resolve(spec, operation["responses"]["429"])
            assert "Retry-After" in response["headers"], f"{method.upper()} {path}"
            schema = response["content"]["application/json"]["schema"]
            assert set(resolve(spec, schema)["properties"]) >= {"code", "status", "message"}


def test_if_match_is_declared_only_on_the_writes_that_honour_it(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        assert not any(p["name"] == "If-Match" for p in item.get("parameters", [])), path
    declared = {
        f"{method.upper()} {path}"
        for method, path, operation in operations(spec)
        if any(p["name"] == "If-Match" for p in operation.get("parameters", []))
    }
    # Every record with a version (all but organisations) checks If-Match on PATCH and DELETE.
    versioned = {
        f"{method.upper()} {path}"
        for method, path, _ in operations(spec)
        if method in {"patch", "delete"} and "/orgs/" not in path
    }
    assert declared == versioned
    assert len(declared) == 20


def test_patch_bodies_must_name_a_field(spec: dict[str, Any]) -> None:
    patches = [(path, op) for method, path, op in operations(spec) if method == "patch"]
    assert len(patches) == 12
    for path, operation in patches:
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        assert resolve(spec, schema).get("minProperties") == 1, path


def test_request_fields_state_the_bounds_the_server_enforces(spec: dict[str, Any]) -> None:
    parameters = {
        p["name"]: p["schema"] for p in spec["paths"]["/v1/nonconformities"]["get"]["parameters"]
    }
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, INT64_MAX)
    assert parameters["audit_id"]["maximum"] == INT64_MAX
    assert parameters["clause_id"]["pattern"] == TEXT_PATTERN
    assert "pattern" not in parameters["status"]  # an enumeration needs none
    create = resolve(
        spec,
        spec["paths"]["/audits"]["post"]["requestBody"]["content"]["application/json"]["schema"],
    )
    assert create["properties"]["title"]["pattern"] == TEXT_PATTERN
    assert create["properties"]["scheduled_date"]["pattern"] == DATE_PATTERN
    # Responses are not bound: old data is served as it is.
    audit = spec["components"]["schemas"]["Audit"]["properties"]
    assert "pattern" not in audit["title"] and "pattern" not in audit["scheduled_date"]
    # The patterns agree with what api.inputs and core.rules accept.
    text = re.compile(TEXT_PATTERN)
    for code in range(0x80):
        assert bool(text.match(f"a{chr(code)}b")) == is_text(chr(code)), hex(code)
    dates = re.compile(DATE_PATTERN)
    for day in (EARLIEST_DATE, LATEST_DATE, date(1999, 1, 1), date(9990, 1, 1)):
        assert dates.match(day.isoformat()), day
    for outside in ("0999-12-31", "9999-01-01", "0001-01-01"):
        assert not dates.match(outside), outside

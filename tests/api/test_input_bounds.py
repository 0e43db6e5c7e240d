"""Input is bounded before it is deserialised, and odd but valid-looking input is a 4xx."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import fields, validate
from werkzeug.exceptions import HTTPException

from web.inputs import JSON_BODY_LIMIT, BoundedParser, InputSchema

BIG = 2**63
CONTROL = "Control characters other than tab, CR and LF are not allowed."


def test_json_without_its_content_type_is_a_415_naming_it(client: FlaskClient) -> None:
    for content_type in (None, "text/plain", "application/x-www-form-urlencoded"):
        response = client.post("/audits", data='{"title": "x"}', content_type=content_type)
        assert response.status_code == 415, content_type
        assert "application/json" in response.json["message"]
    assert client.get("/audits").headers["X-Total-Count"] == "0"


def test_a_body_over_the_json_cap_is_refused_before_it_is_read(client: FlaskClient) -> None:
    body = json.dumps({"title": "x", "scope_clause_ids": ["4.1"] * 300_000})
    assert len(body) > JSON_BODY_LIMIT
    response = client.post("/audits", data=body, content_type="application/json")
    assert response.status_code == 413
    assert str(JSON_BODY_LIMIT) in response.json["message"]


def test_lists_and_strings_are_measured_before_their_fields_deserialise(app: Flask) -> None:
    deserialised: list[Any] = []

    class Counting(fields.String):
        def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
            deserialised.append(value)
            return super()._deserialize(value, attr, data, **kwargs)

    class Body(InputSchema):
        ids = fields.List(Counting(), validate=validate.Length(max=3))
        name = fields.String(validate=validate.Length(max=5))

    parser = BoundedParser()
    for payload, field in (({"ids": ["a"] * 50}, "ids"), ({"name": "x" * 6}, "name")):
        with (
            app.test_request_context("/", method="POST", json=payload),
            pytest.raises(HTTPException) as refused,
        ):
            parser.parse(Body(), location="json")
        assert refused.value.code == 422
        assert field in refused.value.data["errors"]["json"]  # type: ignore[attr-defined]
    assert deserialised == []


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('{"title": "a\\u0000b"}', "title"),
        ('{"title": "a\\u0001b"}', "title"),
        ('{"title": "a\\ud800b"}', "title"),
        ('{"title": "ok", "scope_clause_ids": ["4.1\\u0000"]}', "scope_clause_ids.0"),
    ],
)
def test_text_with_control_characters_or_lone_surrogates_is_a_422(
    client: FlaskClient, body: str, where: str
) -> None:
    response = client.post("/audits", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json["errors"]["json"][where] == [CONTROL]
    assert client.get("/audits").headers["X-Total-Count"] == "0"


def test_tab_cr_and_lf_stay_allowed(client: FlaskClient) -> None:
    created = client.post("/audits", json={"title": "a\tb", "description": "line\r\nline"})
    assert created.status_code == 201
    assert created.json["description"] == "line\r\nline"


def test_json_nested_deeper_than_the_limit_is_a_422(client: FlaskClient) -> None:
    for depth in (40, 1000, 100_000):
        body = '{"title": ' + "[" * depth + "]" * depth + "}"
        response = client.post("/audits", data=body, content_type="application/json")
        assert response.status_code == 422, depth
        assert "deep" in response.json["message"] or "deep" in json.dumps(response.json)


def test_a_fraction_in_an_integer_field_is_refused_not_truncated(client: FlaskClient) -> None:
    created = client.post("/assessments", json={"clause_id": "4.1", "status": "Partial"}).json
    for value in (4.99, 0.5, "3.5"):
        response = client.patch(f"/assessments/{created['id']}", json={"maturity": value})
        assert response.status_code == 422, value
        assert "maturity" in response.json["errors"]["json"]
    assert client.get(f"/assessments/{created['id']}").json["maturity"] is None
    assert client.patch(f"/assessments/{created['id']}", json={"maturity": 4.0}).status_code == 200


@pytest.mark.parametrize("beyond", [2**31, BIG])
def test_every_path_id_beyond_the_id_columns_is_a_404(
    app: Flask, client: FlaskClient, beyond: int
) -> None:
    checked = 0
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(beyond))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, json={} if method != "GET" else None)
            assert response.status_code == 404, (method, path, response.status_code)
            assert response.is_json and response.json["message"]
            checked += 1
    assert checked >= 30


@pytest.mark.parametrize(
    "path",
    [
        "/audits?offset={big}",
        "/v1/nonconformities?audit_id={big}",
        "/history?limit=5&offset={big}",
        "/kpi/overdue_nonconformities?offset={big}",
        "/export/nonconformities.csv?audit_id={big}",
    ],
)
def test_query_integers_beyond_64_bits_are_a_422(client: FlaskClient, path: str) -> None:
    response = client.get(path.format(big=BIG))
    assert response.status_code == 422
    assert response.is_json and "between" in json.dumps(response.json["errors"])


@pytest.mark.parametrize(
    "path",
    [
        "/kpi/overview?created_to=9999-12-31",
        "/kpi/overview?as_of=0001-01-01",
        "/kpi/nc_trends?to_date=9999-12-31",
        "/kpi/overdue_nonconformities?as_of=0001-01-01&days=5",
        "/kpi/overdue_nonconformities?days=99999999999",
        "/export/audits.csv?created_to=9999-12-31",
        "/export/nonconformities.csv?due_to=9999-12-31",
        "/export/audits.xlsx?scheduled_from=0001-01-01",
        "/v1/export/assessments.csv?created_from=9999-12-31",
    ],
)
def test_dates_and_spans_the_calendar_cannot_hold_are_a_422(client: FlaskClient, path: str) -> None:
    client.post("/audits", json={"title": "Dated"})
    response = client.get(path)
    assert response.status_code == 422
    assert response.is_json and response.json["message"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/audits?status=Planned%00", 422),
        ("/nonconformities?clause_id=4.1%00", 422),
        ("/clauses?q=asset%01", 422),
        ("/export/assessments.csv?owner=a%00", 422),
        ("/clauses/4.1%00", 404),
        ("/v1/orgs/default%00", 404),
    ],
)
def test_control_characters_in_queries_and_paths_are_refused(
    client: FlaskClient, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.is_json and response.json["message"]


def test_concurrent_setups_with_migrations_all_succeed(app: Flask, database: Any) -> None:
    answers: list[int] = []

    def call() -> None:
        response = app.test_client().post("/setup", json={"run_migrations": True})
        answers.append(response.status_code)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers == [200] * 6


@pytest.mark.parametrize("stand_in", [0, 1, "yes", "true", None])
def test_json_booleans_are_true_or_false_nothing_else(
    client: FlaskClient, stand_in: object
) -> None:
    response = client.post("/setup", json={"verify_object_store": stand_in})
    assert response.status_code == 422
    assert "verify_object_store" in response.json["errors"]["json"]
    assert client.post("/setup", json={"verify_object_store": False}).status_code == 200


def test_a_refused_query_is_reported_against_the_query(client: FlaskClient) -> None:
    response = client.get("/export/audits.csv?created_from=2027-03-31&created_to=2027-02-28")
    assert response.status_code == 422
    assert "created_to" in response.json["errors"]["query"]

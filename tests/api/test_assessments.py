"""The assessment routes of API.md, legacy and /v1, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

NEW = {"clause_id": "6.2.1", "status": "Partial", "maturity": 2, "target_maturity": 4}


def create(client: FlaskClient, body: dict[str, Any] | None = None, **headers: str) -> Any:
    response = client.post("/assessments", json=body or NEW, headers=headers)
    assert response.status_code == 201, response.json
    return response


@pytest.mark.parametrize("prefix", ["", "/v1"])
def test_create_returns_record_with_audit_fields_and_etag(client: FlaskClient, prefix: str) -> None:
    body = {
        **NEW,
        "owner": "ana@example.com",
        "due_date": "2027-03-31",
        "evidence": "SAMP v3",
        "notes": "board approved",
    }
    response = client.post(f"{prefix}/assessments", json=body, headers={"X-Request-ID": "req-1"})
    assert response.status_code == 201
    record = response.json
    for name, value in body.items():
        assert record[name] == value
    assert record["org_id"] == "default"
    assert record["request_id"] == "req-1"
    assert record["version"] == 1
    assert record["created_at"].endswith("+00:00")
    assert response.headers["ETag"] == '"v1"'
    assert response.headers["X-Request-ID"] == "req-1"


def test_get_patch_delete_round_trip(client: FlaskClient) -> None:
    record = create(client).json
    url = f"/assessments/{record['id']}"
    fetched = client.get(url)
    assert fetched.status_code == 200 and fetched.json == record
    assert fetched.headers["ETag"] == '"v1"'

    patched = client.patch(url, json={"status": "Compliant", "maturity": 3, "owner": None})
    assert patched.status_code == 200
    assert patched.json["status"] == "Compliant" and patched.json["maturity"] == 3
    assert patched.json["version"] == 2 and patched.headers["ETag"] == '"v2"'
    assert patched.json["updated_at"] >= record["updated_at"]

    assert client.delete(f"/v1{url}").status_code == 204
    missing = client.get(url)
    assert missing.status_code == 404
    assert missing.json["message"] == f"Assessment {record['id']} not found"


def test_stale_if_match_is_412_and_changes_nothing(client: FlaskClient) -> None:
    record = create(client).json
    url = f"/assessments/{record['id']}"
    assert (
        client.patch(url, json={"status": "Compliant"}, headers={"If-Match": '"v1"'}).status_code
        == 200
    )

    stale = client.patch(url, json={"status": "Noncompliant"}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert "version 2" in stale.json["message"]
    assert client.get(url).json["status"] == "Compliant"

    refused = client.delete(url, headers={"If-Match": '"v1"'})
    assert refused.status_code == 412
    assert client.get(url).status_code == 200
    assert client.delete(url, headers={"If-Match": '"v2"'}).status_code == 204


def test_unparseable_if_match_is_stale(client: FlaskClient) -> None:
    record = create(client).json
    response = client.patch(
        f"/assessments/{record['id']}", json={"notes": "x"}, headers={"If-Match": '"abc"'}
    )
    assert response.status_code == 412


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "colour": "blue"}, "colour"),
        ({**NEW, "status": "Done"}, "status"),
        ({**NEW, "maturity": 6}, "maturity"),
        ({**NEW, "target_maturity": -1}, "target_maturity"),
        ({**NEW, "due_date": "31/03/2027"}, "due_date"),
        ({"status": "Partial"}, "clause_id"),
        ({"clause_id": "4.1"}, "status"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/assessments", json=body)
    assert response.status_code == 422
    assert response.json["code"] == 422
    assert response.json["status"] == "Unprocessable Entity"
    assert field in response.json["errors"]["json"]
    assert field in response.json["message"]
    assert client.get("/assessments").json == []


@pytest.mark.parametrize(
    ("clause_id", "phrase"), [("99.9", "Unknown clause_id '99.9'"), ("6.2", "groups other clauses")]
)
def test_unknown_or_parent_clause_is_422(client: FlaskClient, clause_id: str, phrase: str) -> None:
    response = client.post("/assessments", json={**NEW, "clause_id": clause_id})
    assert response.status_code == 422
    assert phrase in response.json["message"]
    assert "clause_id" in response.json["errors"]["json"]
    assert client.get("/assessments").headers["X-Total-Count"] == "0"


def test_patch_refuses_unknown_fields_nulling_required_and_empty_bodies(
    client: FlaskClient,
) -> None:
    record = create(client).json
    url = f"/assessments/{record['id']}"
    assert client.patch(url, json={"id": 5}).status_code == 422
    assert client.patch(url, json={"org_id": "other"}).status_code == 422
    assert client.patch(url, json={"status": None}).status_code == 422
    assert client.patch(url, json={"clause_id": "4"}).status_code == 422
    assert client.get(url).json == record


def test_list_filters_paging_and_envelope(client: FlaskClient) -> None:
    for clause_id, status, owner in [
        ("4.1", "Compliant", "a"),
        ("4.2", "Partial", "b"),
        ("4.2", "Compliant", "a"),
        ("5.1", "Noncompliant", "c"),
        ("5.2", "Compliant", "a"),
    ]:
        create(client, {"clause_id": clause_id, "status": status, "owner": owner})

    everything = client.get("/assessments")
    assert everything.headers["X-Total-Count"] == "5"
    ids = [item["id"] for item in everything.json]
    assert ids == sorted(ids)

    compliant = client.get("/assessments?status=Compliant&limit=2&offset=1")
    assert compliant.headers["X-Total-Count"] == "3"
    assert [item["clause_id"] for item in compliant.json] == ["4.2", "5.2"]

    assert client.get("/assessments?clause_id=4.2").headers["X-Total-Count"] == "2"
    assert client.get("/assessments?owner=a").headers["X-Total-Count"] == "3"

    envelope = client.get("/v1/assessments?owner=a&limit=1&offset=2")
    assert envelope.headers["X-Total-Count"] == "3"
    assert envelope.json["total"] == 3
    assert envelope.json["limit"] == 1 and envelope.json["offset"] == 2
    assert [item["owner"] for item in envelope.json["items"]] == ["a"]


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "offset=-1", "limit=abc", "status=Done"])
def test_out_of_range_list_arguments_are_422(client: FlaskClient, query: str) -> None:
    response = client.get(f"/assessments?{query}")
    assert response.status_code == 422
    assert response.json["message"].startswith("Invalid request (query:")


def test_organisations_see_only_their_own_assessments(client: FlaskClient) -> None:
    mine = create(client, {**NEW}, **{"X-Org-ID": "org-a"}).json
    create(client, {**NEW, "clause_id": "7.1"}, **{"X-Org-ID": "org-b"})
    a = {"X-Org-ID": "org-a"}
    b = {"X-Org-ID": "org-b"}
    assert [item["id"] for item in client.get("/assessments", headers=a).json] == [mine["id"]]
    assert client.get("/v1/assessments", headers=b).json["total"] == 1
    assert client.get("/assessments?clause_id=6.2.1", headers=b).headers["X-Total-Count"] == "0"
    url = f"/assessments/{mine['id']}"
    assert client.get(url, headers=b).status_code == 404
    assert client.patch(url, json={"status": "Compliant"}, headers=b).status_code == 404
    assert client.delete(url, headers=b).status_code == 404
    assert client.get(url, headers=a).json["status"] == "Partial"
    assert client.get("/assessments").json == []  # the built-in default org


def test_bad_org_header_is_400(client: FlaskClient) -> None:
    response = client.get("/assessments", headers={"X-Org-ID": "bad org/../"})
    assert response.status_code == 400
    assert "X-Org-ID" in response.json["message"]


@pytest.mark.parametrize("offered", ["", "x" * 65, "has space", "semi;colon"])
def test_malformed_request_ids_are_replaced(client: FlaskClient, offered: str) -> None:
    response = client.get("/health", headers={"X-Request-ID": offered})
    generated = response.headers["X-Request-ID"]
    assert generated != offered and len(generated) == 32

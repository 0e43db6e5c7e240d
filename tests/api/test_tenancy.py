"""Two organisations side by side: nothing of one is visible to the other."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

A = {"X-Org-ID": "org-a"}
B = {"X-Org-ID": "org-b"}


def populate(client: FlaskClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    post = lambda path, body: client.post(path, json=body, headers=headers).json  # noqa: E731
    audit = post("/audits", {"title": "Audit", "status": "InProgress"})
    return {
        "assessments": post(
            "/assessments", {"clause_id": "8.2", "status": "Partial", "owner": "owner"}
        ),
        "audits": audit,
        "nonconformities": post(
            "/nonconformities",
            {"description": "NC", "severity": "Minor", "audit_id": audit["id"], "clause_id": "8.2"},
        ),
        "management-reviews": post("/management-reviews", {"title": "Review"}),
    }


LIST_QUERIES = {
    "assessments": ["", "clause_id=8.2", "status=Partial", "owner=owner"],
    "audits": ["", "status=InProgress"],
    "nonconformities": ["", "status=Open", "severity=Minor", "state=New", "clause_id=8.2"],
    "management-reviews": [""],
}


@pytest.fixture
def records(client: FlaskClient) -> dict[str, dict[str, dict[str, Any]]]:
    return {"a": populate(client, A), "b": populate(client, B)}


def test_lists_filters_and_counts_show_only_the_callers_records(
    client: FlaskClient, records: dict[str, dict[str, dict[str, Any]]]
) -> None:
    for org, headers in (("a", A), ("b", B)):
        for resource, queries in LIST_QUERIES.items():
            mine = records[org][resource]["id"]
            for query in queries:
                legacy = client.get(f"/{resource}?{query}", headers=headers)
                assert [item["id"] for item in legacy.json] == [mine], (resource, query)
                assert legacy.headers["X-Total-Count"] == "1"
                assert client.get(f"/v1/{resource}?{query}", headers=headers).json["total"] == 1
        other_audit = records["b" if org == "a" else "a"]["audits"]["id"]
        assert client.get(f"/nonconformities?audit_id={other_audit}", headers=headers).json == []
        history = client.get("/v1/history?limit=200", headers=headers).json
        assert history["total"] == 4 and all(
            c["after"]["org_id"] == headers["X-Org-ID"] for c in history["items"]
        )


def test_another_organisations_record_is_404_for_every_item_route(
    client: FlaskClient, records: dict[str, dict[str, dict[str, Any]]]
) -> None:
    for resource, record in records["a"].items():
        url = f"/{resource}/{record['id']}"
        for method in ("get", "patch", "delete"):
            for prefix in ("", "/v1"):
                response = getattr(client, method)(
                    f"{prefix}{url}",
                    json={"owner": "intruder"} if method == "patch" else None,
                    headers=B,
                )
                assert response.status_code in (404, 422), (method, url)
                if method != "patch":
                    assert response.status_code == 404
        assert client.get(url, headers=A).json == record
    assert client.get("/v1/history", headers={"X-Org-ID": "org-c"}).json["total"] == 0


def test_patch_with_valid_body_on_foreign_record_is_404(
    client: FlaskClient, records: dict[str, dict[str, dict[str, Any]]]
) -> None:
    bodies = {
        "assessments": {"notes": "x"},
        "audits": {"title": "x"},
        "nonconformities": {"owner": "x"},
        "management-reviews": {"summary": "x"},
    }
    for resource, body in bodies.items():
        record = records["a"][resource]
        response = client.patch(f"/{resource}/{record['id']}", json=body, headers=B)
        assert response.status_code == 404
        assert client.get(f"/{resource}/{record['id']}", headers=A).json == record

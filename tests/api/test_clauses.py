"""The clause catalogue routes of API.md."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from core.rules import clause_sort_key


def test_lists_every_clause_in_natural_order(client: FlaskClient) -> None:
    response = client.get("/clauses?limit=200")
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "51"
    ids = [clause["clause_id"] for clause in response.json]
    assert ids == sorted(ids, key=clause_sort_key)
    assert ids[:3] == ["4", "4.1", "4.2"]
    assert ids.index("4.5") < ids.index("4.5.1") < ids.index("5")
    assert ids.index("9.3.3") < ids.index("10")
    assert sum(clause["is_leaf"] for clause in response.json) == 38


def test_clause_fields(client: FlaskClient) -> None:
    clause = client.get("/clauses/4.5.1").json
    assert clause["title"] == "Decision-making framework"
    assert clause["parent_id"] == "4.5"
    assert clause["level"] == 3
    assert clause["group_id"] == "4"
    assert isinstance(clause["keywords"], list) and clause["keywords"]
    top = client.get("/v1/clauses/10").json
    assert top["level"] == 1 and top["parent_id"] is None and top["is_leaf"] is False


@pytest.mark.parametrize(
    ("query", "expected"),
    [("SAMP", "6.2.1"), ("climate", "4.1"), ("6.2.3", "6.2.3"), ("predictive", "10.3")],
)
def test_search_matches_id_title_summary_keywords(
    client: FlaskClient, query: str, expected: str
) -> None:
    found = [clause["clause_id"] for clause in client.get(f"/clauses?q={query}").json]
    assert expected in found


def test_search_treats_wildcards_literally(client: FlaskClient) -> None:
    assert client.get("/clauses?q=%25").json == []
    assert client.get("/clauses?q=_").json == []


def test_v1_envelope_and_paging(client: FlaskClient) -> None:
    page = client.get("/v1/clauses?limit=5&offset=5").json
    assert page["total"] == 51 and page["limit"] == 5 and page["offset"] == 5
    assert [c["clause_id"] for c in page["items"]] == ["4.5", "4.5.1", "4.5.2", "4.5.3", "5"]


def test_unknown_clause_is_404_with_message(client: FlaskClient) -> None:
    response = client.get("/clauses/42")
    assert response.status_code == 404
    assert response.json == {
        "code": 404,
        "status": "Not Found",
        "message": "Clause '42' not found",
    }


def test_clause_detail_has_etag(client: FlaskClient) -> None:
    first = client.get("/clauses/7.5.3").headers["ETag"]
    assert first and first == client.get("/v1/clauses/7.5.3").headers["ETag"]

"""The shipped catalogue matches CLAUSES.md's structure and stays in our own words."""

from __future__ import annotations

from core.config import DATA_DIR
from core.services.catalogue import read_catalogue, read_crosswalk

LEAVES = [
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5.1",
    "4.5.2",
    "4.5.3",
    "5.1",
    "5.2",
    "5.3",
    "6.1.1",
    "6.1.2",
    "6.1.3",
    "6.2.1",
    "6.2.2",
    "6.2.3",
    "6.3",
    "7.1",
    "7.2",
    "7.3",
    "7.4",
    "7.5.1",
    "7.5.2",
    "7.5.3",
    "7.6",
    "7.7",
    "8.1",
    "8.2",
    "8.3",
    "9.1",
    "9.2.1",
    "9.2.2",
    "9.3.1",
    "9.3.2",
    "9.3.3",
    "10.1",
    "10.2",
    "10.3",
]


def test_catalogue_has_every_leaf_and_parent() -> None:
    entries = read_catalogue(DATA_DIR)
    ids = [e.clause_id for e in entries]
    assert len(ids) == len(set(ids)) == 51
    parents = {e.parent_id for e in entries if e.parent_id}
    assert [i for i in ids if i not in parents] == LEAVES
    seen: set[str] = set()
    for entry in entries:
        assert entry.parent_id is None or entry.parent_id in seen, entry.clause_id
        seen.add(entry.clause_id)
        assert entry.title and len(entry.summary.split()) >= 15
        assert entry.keywords and all(k == k.lower() for k in entry.keywords)
        assert "shall" not in entry.summary.lower()


def test_crosswalk_points_at_catalogue_clauses() -> None:
    ids = {e.clause_id for e in read_catalogue(DATA_DIR)}
    mappings = read_crosswalk(DATA_DIR)
    assert len(mappings) >= 9
    assert {m.to_clause for m in mappings} <= ids
    assert any(m.from_clause == "10.2" and m.to_clause == "10.3" for m in mappings)

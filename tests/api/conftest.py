"""Fixtures shared by the API tests."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def assessment(client: FlaskClient) -> int:
    return int(
        client.post("/assessments", json={"clause_id": "7.5.3", "status": "Partial"}).json["id"]
    )

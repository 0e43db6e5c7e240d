"""Mixed reads and writes against a running server (loopback only, bounded in time).

    make load        # gunicorn on PostgreSQL, 60 s, 20 users; prints req/s and percentiles

Each simulated user acts for one organisation: reads lists, KPIs and the catalogue most of
the time, and writes assessments and nonconformities (and moves them through CAPA) the rest.
"""

from __future__ import annotations

import random
from typing import Any

from locust import HttpUser, between, task

CLAUSES = ["4.1", "4.2", "5.1", "6.2.1", "6.2.3", "7.5.3", "8.1", "9.1", "9.2.2", "10.2"]


class ComplianceUser(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        self.org = f"load-{random.randint(1, 5)}"
        self.client.headers.update({"X-Org-ID": self.org})
        self.nonconformities: list[int] = []

    @task(6)
    def read_lists(self) -> None:
        self.client.get("/v1/assessments?limit=50", name="/v1/assessments")
        self.client.get("/v1/nonconformities?status=Open&limit=50", name="/v1/nonconformities")

    @task(4)
    def read_kpis(self) -> None:
        self.client.get("/kpi/overview", name="/kpi/overview")
        self.client.get("/kpi/nc_trends", name="/kpi/nc_trends")

    @task(2)
    def read_catalogue(self) -> None:
        self.client.get("/v1/clauses?q=plan", name="/v1/clauses")

    @task(3)
    def assess(self) -> None:
        body = {
            "clause_id": random.choice(CLAUSES),
            "status": random.choice(["Compliant", "Partial", "Noncompliant"]),
            "maturity": random.randint(0, 5),
            "target_maturity": 4,
        }
        self.client.post("/assessments", json=body, name="POST /assessments")

    @task(2)
    def raise_and_progress(self) -> None:
        if self.nonconformities and random.random() < 0.6:
            nc = self.nonconformities.pop()
            for state in ("Action", "Verification", "Closed"):
                self.client.patch(
                    f"/nonconformities/{nc}",
                    json={"state": state},
                    name="PATCH /nonconformities/{id}",
                )
            return
        body: dict[str, Any] = {
            "description": "Load-test finding",
            "severity": random.choice(["Minor", "Major", "Critical"]),
            "clause_id": random.choice(CLAUSES),
        }
        response = self.client.post("/nonconformities", json=body, name="POST /nonconformities")
        if response.status_code == 201:
            self.nonconformities.append(response.json()["id"])

"""Readiness now, as of a past day, and its trend, on the bench data set.

    python bench/readiness.py --database-url sqlite:///var/bench.db

The live figure is one SQL aggregation; `as_of` and the trend replay the organisation's
change history and its records' own dates (`core/queries/readiness_history.py`). Prints
the median of `--repeat` runs through the app (HTTP included) and the Python allocation
peak of one run.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

from core.config import Settings
from core.db import migrate
from server import create_app

ORG = "bench-1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:///var/bench.db")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = create_app(Settings(database_url=args.database_url), dashboard=False)
    migrate(app.extensions["iso55001"].database.engine)
    client = app.test_client()
    today = datetime.now(UTC).date()
    cases = {
        "GET /kpi/readiness": "/kpi/readiness",
        "GET /kpi/readiness?as_of=(90 days ago)": (
            f"/kpi/readiness?as_of={(today - timedelta(days=90)).isoformat()}"
        ),
        "GET /kpi/readiness_trend (12 months, monthly: 13 points)": "/kpi/readiness_trend",
        "GET /kpi/readiness_trend?interval=week (2 years: 105 points)": (
            f"/kpi/readiness_trend?interval=week&from_date={(today - timedelta(weeks=104))}"
        ),
    }
    print(f"\n{args.database_url.split(':')[0]}: organisation {ORG}; median of {args.repeat}\n")
    print("| case | ms | peak Python memory (MB) |")
    print("|---|---:|---:|")
    for name, path in cases.items():
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            answer = client.get(path, headers={"X-Org-ID": ORG})
            assert answer.status_code == 200, answer.json
            timings.append(time.perf_counter() - started)
        tracemalloc.start()
        client.get(path, headers={"X-Org-ID": ORG})
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        print(f"| {name} | {statistics.median(timings) * 1000:.0f} | {peak:.1f} |", flush=True)


if __name__ == "__main__":
    main()

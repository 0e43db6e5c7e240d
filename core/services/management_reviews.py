"""Management reviews (clause 9.3)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.caller import Caller
from core.models import ManagementReview
from core.services.records import Problems, RecordService
from core.specs.management_reviews import MANAGEMENT_REVIEW


class ManagementReviewService(RecordService[ManagementReview]):
    model = ManagementReview
    spec = MANAGEMENT_REVIEW

    def validate(
        self,
        session: Session,
        caller: Caller,
        values: dict[str, Any],
        current: ManagementReview | None,
    ) -> dict[str, Any]:
        start = values.get("period_start", current.period_start if current else None)
        end = values.get("period_end", current.period_end if current else None)
        problems = Problems()
        if start is not None and end is not None and end < start:
            problems.add("period_end", "Must not be before period_start.")
        problems.raise_if_any()
        return values

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.tracking import Tracked
from core.rules import ASSESSMENT_STATUSES, MATURITY_MAX, MATURITY_MIN


class Assessment(Tracked, Base):
    """One organisation's judgement of one leaf clause at a point in time."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint(
            f"maturity IS NULL OR maturity BETWEEN {MATURITY_MIN} AND {MATURITY_MAX}",
            name="maturity_range",
        ),
        CheckConstraint(
            f"target_maturity IS NULL OR target_maturity BETWEEN {MATURITY_MIN} AND {MATURITY_MAX}",
            name="target_maturity_range",
        ),
        Index("ix_assessments_org_id_id", "org_id", "id"),
        Index("ix_assessments_org_status_id", "org_id", "status", "id"),
        # Serves "latest assessment per clause" for readiness and the heatmap.
        Index("ix_assessments_org_clause_updated", "org_id", "clause_id", "updated_at", "id"),
        Index("ix_assessments_org_created", "org_id", "created_at"),
    )

    clause_id: Mapped[str] = mapped_column(ForeignKey("clauses.clause_id"), nullable=False)
    status: Mapped[str] = mapped_column(
        Enum(
            *ASSESSMENT_STATUSES,
            name="assessment_status",
            native_enum=False,
            create_constraint=True,
            length=16,
        ),
        nullable=False,
    )
    evidence: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(255))
    due_date: Mapped[date | None] = mapped_column(Date)
    maturity: Mapped[int | None] = mapped_column(Integer)
    target_maturity: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)

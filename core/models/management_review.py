from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.tracking import Tracked


class ManagementReview(Tracked, Base):
    """A top-management review of the asset management system (clause 9.3)."""

    __tablename__ = "management_reviews"
    __table_args__ = (Index("ix_management_reviews_org_id_id", "org_id", "id"),)

    title: Mapped[str] = mapped_column(String(255), nullable=False)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    decisions: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)

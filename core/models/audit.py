from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.tracking import Tracked
from core.rules import AUDIT_STATUSES


class Audit(Tracked, Base):
    """An internal audit (clause 9.2) over some clauses of the catalogue."""

    __tablename__ = "audits"
    __table_args__ = (
        Index("ix_audits_org_id_id", "org_id", "id"),
        Index("ix_audits_org_status_id", "org_id", "status", "id"),
        Index("ix_audits_org_scheduled", "org_id", "scheduled_date"),
        Index("ix_audits_org_created", "org_id", "created_at"),
    )

    title: Mapped[str] = mapped_column(String(255), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(
        Enum(
            *AUDIT_STATUSES,
            name="audit_status",
            native_enum=False,
            create_constraint=True,
            length=16,
        ),
        nullable=False,
        default="Planned",
    )
    scheduled_date: Mapped[date | None] = mapped_column(Date)
    completed_date: Mapped[date | None] = mapped_column(Date)
    lead_auditor: Mapped[str | None] = mapped_column(String(255))
    scope_clause_ids: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)

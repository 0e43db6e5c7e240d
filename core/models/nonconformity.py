from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.tracking import Tracked
from core.rules import NC_SEVERITIES, NC_STATES, NC_STATUSES


class Nonconformity(Tracked, Base):
    """A nonconformity and its corrective action (clause 10.2)."""

    __tablename__ = "nonconformities"
    __table_args__ = (
        # Lists page by id within an org and a filter: each index ends in id.
        Index("ix_nonconformities_org_id_id", "org_id", "id"),
        Index("ix_nonconformities_org_status_id", "org_id", "status", "id"),
        Index("ix_nonconformities_org_severity_id", "org_id", "severity", "id"),
        Index("ix_nonconformities_org_audit_id", "org_id", "audit_id", "id"),
        Index("ix_nonconformities_org_clause_id", "org_id", "clause_id", "id"),
        Index("ix_nonconformities_org_status_due", "org_id", "status", "due_date"),
        # KPIs: trends by creation and closure month (covering, so month counts and the
        # time-to-close histogram never touch the table), overdue lists by due date.
        Index("ix_nonconformities_org_created_sev", "org_id", "created_at", "severity"),
        Index(
            "ix_nonconformities_org_closed_created",
            "org_id",
            "closed_date",
            "created_at",
            "severity",
        ),
        Index("ix_nonconformities_org_due_id", "org_id", "due_date", "id"),
    )

    description: Mapped[str] = mapped_column(Text, nullable=False)
    severity: Mapped[str] = mapped_column(
        Enum(
            *NC_SEVERITIES, name="nc_severity", native_enum=False, create_constraint=True, length=16
        ),
        nullable=False,
    )
    status: Mapped[str] = mapped_column(
        Enum(*NC_STATUSES, name="nc_status", native_enum=False, create_constraint=True, length=16),
        nullable=False,
        default="Open",
    )
    state: Mapped[str] = mapped_column(
        Enum(*NC_STATES, name="nc_state", native_enum=False, create_constraint=True, length=16),
        nullable=False,
        default="New",
    )
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    clause_id: Mapped[str | None] = mapped_column(ForeignKey("clauses.clause_id"))
    corrective_action: Mapped[str | None] = mapped_column(Text)
    containment: Mapped[str | None] = mapped_column(Text)
    root_cause: Mapped[str | None] = mapped_column(Text)
    preventive_action: Mapped[str | None] = mapped_column(Text)
    verification_method: Mapped[str | None] = mapped_column(Text)
    verified_by: Mapped[str | None] = mapped_column(String(255))
    verified_on: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[str | None] = mapped_column(String(255))
    due_date: Mapped[date | None] = mapped_column(Date)
    closed_date: Mapped[date | None] = mapped_column(Date)

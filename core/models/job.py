from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow
from core.rules import JOB_KINDS, JOB_STATUSES


class Job(Base):
    """Long work run off the request thread (an XLSX export, a pack, an import), with its
    progress and, when it made one, a result file in the evidence store."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_org_created", "org_id", "created_at"),
        Index("ix_jobs_status_finished", "status", "finished_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(
        Enum(*JOB_KINDS, name="job_kind", native_enum=False, create_constraint=True, length=32),
        nullable=False,
    )
    status: Mapped[str] = mapped_column(
        Enum(
            *JOB_STATUSES, name="job_status", native_enum=False, create_constraint=True, length=16
        ),
        nullable=False,
        default="Queued",
    )
    progress: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    message: Mapped[str | None] = mapped_column(String(255))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    # Not answered: where the result file is stored, and which process runs the job.
    result_key: Mapped[str | None] = mapped_column(String(255))
    runner: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[str | None] = mapped_column(String(255))
    request_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

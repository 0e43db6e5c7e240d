from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class Clause(Base):
    """One entry of the global ISO 55001:2024 catalogue (parents and leaves)."""

    __tablename__ = "clauses"

    clause_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("clauses.clause_id"))
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    # Top-level clause ("4".."10") this clause rolls up to, for group aggregates.
    group_id: Mapped[str] = mapped_column(String(4), nullable=False)
    is_leaf: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # "004.005.001": orders 4.2 before 4.10 with a plain ORDER BY.
    sort_key: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    # Lower-cased id, title, summary and keywords, so search is one LIKE on both databases.
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")

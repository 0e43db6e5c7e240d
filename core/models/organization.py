from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow
from core.rules import OrgSettings


class Organization(Base):
    """A tenant. Business records reference it by id; it need not be registered first."""

    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    # Only what was set; `effective_settings` fills in the defaults.
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    @property
    def effective_settings(self) -> OrgSettings:
        return OrgSettings.from_stored(self.settings)

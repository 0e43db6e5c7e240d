"""What a running process shares: its settings and its database."""

from __future__ import annotations

from dataclasses import dataclass

from core.config import Settings
from core.db import Database


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        return cls(settings=settings, database=Database.from_url(settings.database_url))

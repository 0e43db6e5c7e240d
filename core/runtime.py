"""What a running process shares: settings, database, token verifier (with its key cache)."""

from __future__ import annotations

from dataclasses import dataclass

from core.auth.tokens import BearerVerifier
from core.config import Settings
from core.db import Database


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    verifier: BearerVerifier

    @classmethod
    def from_settings(cls, settings: Settings, database: Database | None = None) -> Runtime:
        return cls(
            settings=settings,
            database=database or Database.from_url(settings.database_url),
            verifier=BearerVerifier(settings),
        )

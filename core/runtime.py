"""What a running process shares: settings, database, token verifier, evidence store, jobs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.config import Settings
from core.db import Database
from core.jobs.backends import JobBackend, make_backend
from core.storage import make_store
from core.storage.base import EvidenceStore

if TYPE_CHECKING:
    from core.auth.tokens import BearerVerifier


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    verifier: BearerVerifier
    store: EvidenceStore
    jobs: JobBackend
    # SECRET_KEY, or a random one per process in dev (sign-ins then end on restart).
    secret: str

    @classmethod
    def from_settings(cls, settings: Settings, database: Database | None = None) -> Runtime:
        # Token verification (and its cryptography) is loaded by processes that serve
        # requests, not by job workers.
        from core.auth.tokens import BearerVerifier

        return cls(
            settings=settings,
            database=database or Database.from_url(settings.database_url),
            verifier=BearerVerifier(settings),
            store=make_store(settings),
            jobs=make_backend(settings),
            secret=settings.secret_key or secrets.token_hex(32),
        )

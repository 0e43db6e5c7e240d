"""Who is asking: the caller a service acts for, free of any web framework."""

from __future__ import annotations

from dataclasses import dataclass

from core.config import ROLES


@dataclass(frozen=True)
class Caller:
    org_id: str
    user: str | None = None
    role: str = "viewer"
    request_id: str | None = None

    def has_role(self, needed: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(needed)

"""Who is asking: the caller a service acts for, free of any web framework."""

from __future__ import annotations

from dataclasses import dataclass

from core.config import ROLES

PLATFORM_ADMIN = "platform-admin"


def role_at_least(role: str, needed: str) -> bool:
    """Roles are ordered (see ROLES): each one may do what the ones below it may."""
    return ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class Caller:
    org_id: str
    user: str | None = None
    role: str = "viewer"
    request_id: str | None = None

    def has_role(self, needed: str) -> bool:
        return role_at_least(self.role, needed)

    @property
    def is_platform_admin(self) -> bool:
        return self.has_role(PLATFORM_ADMIN)

    def administers(self, org_id: str) -> bool:
        """A tenant admin manages its own organisation; a platform admin manages all."""
        return self.is_platform_admin or (self.has_role("admin") and org_id == self.org_id)

from __future__ import annotations

from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Organization
from core.repositories.organizations import OrganizationRepository


def ensure_organization(session: Session, org_id: str, name: str) -> tuple[Organization, bool]:
    """The organisation with this id, registered now if it was not; True when created."""
    repository = OrganizationRepository(session)
    existing = repository.get(org_id)
    if existing is not None:
        return existing, False
    now = utcnow()
    organization = Organization(id=org_id, name=name, created_at=now, updated_at=now)
    repository.add(organization)
    return organization, True

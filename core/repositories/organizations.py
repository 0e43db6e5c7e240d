from __future__ import annotations

from sqlalchemy.orm import Session

from core.models import Organization


class OrganizationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, org_id: str) -> Organization | None:
        return self.session.get(Organization, org_id)

    def add(self, organization: Organization) -> None:
        self.session.add(organization)

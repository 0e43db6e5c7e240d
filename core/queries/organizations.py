"""Organisations, read side."""

from __future__ import annotations

from sqlalchemy import select

from core.db import Database
from core.errors import NotFound
from core.models import Organization
from core.paging import Page, PageRequest, fetch_page
from core.repositories.organizations import OrganizationRepository


def get_organization(database: Database, org_id: str) -> Organization:
    with database.session() as session:
        organization = OrganizationRepository(session).get(org_id)
    if organization is None:
        raise NotFound(f"Organization {org_id!r} not found")
    return organization


def list_organizations(database: Database, page: PageRequest) -> Page[Organization]:
    with database.session() as session:
        return fetch_page(session, select(Organization).order_by(Organization.id), page)

"""Organisations, read side, scoped to the caller.

A tenant admin sees its own organisation only; a platform admin sees every one. Without
a caller (set-up, the dev organisation switcher) nothing is filtered.
"""

from __future__ import annotations

from sqlalchemy import select

from core.caller import Caller
from core.db import Database
from core.errors import NotFound
from core.models import Organization
from core.paging import Page, PageRequest, fetch_page
from core.repositories.organizations import OrganizationRepository


def get_organization(database: Database, org_id: str, caller: Caller | None = None) -> Organization:
    """The organisation; one the caller does not administer is not found, like a missing one."""
    organization = None
    if caller is None or caller.administers(org_id):
        with database.session() as session:
            organization = OrganizationRepository(session).get(org_id)
    if organization is None:
        raise NotFound(f"Organization {org_id!r} not found")
    return organization


def list_organizations(
    database: Database, page: PageRequest, caller: Caller | None = None
) -> Page[Organization]:
    """Registered organisations. A tenant's own id lists nothing until it is registered."""
    query = select(Organization).order_by(Organization.id)
    if caller is not None and not caller.is_platform_admin:
        query = query.where(Organization.id == caller.org_id)
    with database.session() as session:
        return fetch_page(session, query, page)

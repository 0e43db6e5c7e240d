"""Organisations (tenants): idempotent registration, renaming and settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.caller import Caller
from core.db import Database, utcnow
from core.errors import InvalidInput, NotFound
from core.models import Organization
from core.repositories.organizations import OrganizationRepository
from core.rules import is_identifier, org_settings_problems
from core.services.history import record_change, snapshot


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


def _history(
    session: Session,
    actor: Caller | None,
    organization: Organization,
    action: str,
    before: dict[str, Any] | None,
) -> None:
    # An organisation's history belongs to that organisation, whoever administers it.
    record_change(
        session,
        Caller(
            org_id=organization.id,
            user=actor.user if actor else None,
            request_id=actor.request_id if actor else None,
        ),
        entity="organization",
        entity_id=organization.id,
        action=action,
        before=before,
        after=snapshot(organization),
    )


def register_organization(
    database: Database, org_id: str, name: str, actor: Caller | None = None
) -> tuple[Organization, bool]:
    """Create the organisation, or return the existing one unchanged (idempotent)."""
    if not is_identifier(org_id):
        raise InvalidInput(
            "id must be 1-64 characters of letters, digits, '.', '_' or '-'",
            {"id": ["Invalid organisation id."]},
        )
    with database.session() as session:
        try:
            organization, created = ensure_organization(session, org_id, name)
            if created:
                session.flush()  # the insert: where a concurrent create of this id collides
                _history(session, actor, organization, "create", None)
            session.commit()
        except IntegrityError:
            # Two concurrent creates of the same id: the other one won; answer with it.
            session.rollback()
            found = OrganizationRepository(session).get(org_id)
            if found is None:
                raise
            return found, False
        return organization, created


def update_organization(
    database: Database,
    org_id: str,
    actor: Caller | None = None,
    *,
    name: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Organization:
    """Rename it and/or change some settings (the others keep their values); an
    organisation the actor does not administer is not found."""
    if name is None and not settings:
        raise InvalidInput("The request names no field to change")
    problems = org_settings_problems(settings or {})
    if problems:
        summary = "; ".join(f"settings.{key}: {why}" for key, why in problems.items())
        raise InvalidInput(summary, {f"settings.{key}": [why] for key, why in problems.items()})
    with database.session() as session:
        organization = OrganizationRepository(session).get(org_id)
        if organization is None or (actor is not None and not actor.administers(org_id)):
            raise NotFound(f"Organization {org_id!r} not found")
        before = snapshot(organization)
        if name is not None:
            organization.name = name
        if settings:
            merged = replace(organization.effective_settings, **settings)
            organization.settings = merged.stored()
        if snapshot(organization) == before:
            return organization  # nothing changed: no history, same time stamp
        organization.updated_at = utcnow()
        _history(session, actor, organization, "update", before)
        session.commit()
        return organization

"""First-run and maintenance set-up: schema, catalogue, default organisation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core.db import migrate
from core.models import Clause
from core.runtime import Runtime
from core.services.catalogue import seed_clauses
from core.services.organizations import register_organization
from core.storage.base import StoreError


@dataclass(frozen=True)
class SetupOptions:
    run_migrations: bool = False
    reseed_clauses: bool = False
    verify_object_store: bool = False


def run_setup(runtime: Runtime, options: SetupOptions) -> list[str]:
    """Idempotent: each step does only what is missing and says what it did."""
    actions: list[str] = []
    database = runtime.database
    if options.run_migrations:
        migrate(database.engine)
        actions.append("migrations: database at head")
    with database.session() as session:
        clause_count = session.scalar(select(func.count()).select_from(Clause)) or 0
    if options.reseed_clauses or clause_count == 0:
        written = seed_clauses(database, runtime.settings.data_dir, reseed=options.reseed_clauses)
        actions.append(f"clauses: {written} written")
    else:
        actions.append(f"clauses: {clause_count} present, left as they are")
    org_id = runtime.settings.default_org_id
    if org_id:
        _, created = register_organization(database, org_id, org_id)
        actions.append(f"organization {org_id}: {'created' if created else 'already present'}")
    if options.verify_object_store:
        try:
            actions.append(f"evidence store: {runtime.store.check()}")
        except StoreError as exc:
            actions.append(f"evidence store: unavailable ({exc})")
    return actions

"""Typed SQLAlchemy entities; importing this package registers every table on Base."""

from core.models.assessment import Assessment
from core.models.clause import Clause
from core.models.organization import Organization

__all__ = ["Assessment", "Clause", "Organization"]

"""Typed SQLAlchemy entities; importing this package registers every table on Base."""

from core.models.assessment import Assessment
from core.models.attachment import Attachment
from core.models.audit import Audit
from core.models.clause import Clause
from core.models.history import ChangeRecord
from core.models.job import Job
from core.models.nonconformity import Nonconformity
from core.models.organization import Organization
from core.models.registers import model_of
from core.models.web_session import WebSession

__all__ = [
    "Assessment",
    "Attachment",
    "Audit",
    "ChangeRecord",
    "Clause",
    "Job",
    "Nonconformity",
    "Organization",
    "WebSession",
    "model_of",
]

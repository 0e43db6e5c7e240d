"""Evidence downloads for dashboard users: the signed-in session is the credential.

API routes take bearer tokens only; this path lives under /dashboard/ so the dashboard's
session (and its organisation) applies.
"""

from __future__ import annotations

from flask import Blueprint, Response

from web.files import evidence_download

evidence_files = Blueprint("dashboard_evidence", __name__)


@evidence_files.get("/dashboard/evidence/<int:attachment_id>")
def download(attachment_id: int) -> Response:
    # The sign-in guard has run; the download itself filters by the caller's organisation.
    return evidence_download(attachment_id)

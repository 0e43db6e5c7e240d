from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from core.db import affected, utcnow
from core.models import WebSession


class WebSessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def load(self, session_id: str) -> dict[str, Any] | None:
        """The session's data while it has not expired."""
        found = self.session.get(WebSession, session_id)
        if found is None or found.expires_at <= utcnow():
            return None
        return dict(found.data)

    def save(self, session_id: str, data: dict[str, Any], expires_at: datetime) -> None:
        found = self.session.get(WebSession, session_id)
        if found is None:
            self.session.add(WebSession(id=session_id, data=data, expires_at=expires_at))
        else:
            found.data = data
            found.expires_at = expires_at

    def delete(self, session_id: str) -> None:
        self.session.execute(delete(WebSession).where(WebSession.id == session_id))

    def purge_expired(self) -> int:
        return affected(self.session, delete(WebSession).where(WebSession.expires_at <= utcnow()))

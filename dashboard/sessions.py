"""Server-side sessions: the cookie carries a random id, the data stays in the database."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from core.db import utcnow
from core.repositories.web_sessions import WebSessionRepository
from web.runtime import runtime

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")


class ServerSession(CallbackDict[str, Any], SessionMixin):
    def __init__(self, initial: dict[str, Any] | None = None, sid: str | None = None) -> None:
        def on_update(_: Any) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.new = sid is None
        self.modified = False
        self.retired_sid: str | None = None

    def rotate(self) -> None:
        """Give the session a new id (on sign-in), so a planted id is worthless."""
        if self.sid is not None:
            self.retired_sid = self.sid
        self.sid = None
        self.modified = True


class DatabaseSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app), "")
        if SESSION_ID.match(sid):
            with runtime().database.session() as session:
                data = WebSessionRepository(session).load(sid)
            if data is not None:
                return ServerSession(data, sid)
        return ServerSession()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if not session.modified:
            return
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        with runtime().database.session() as db:
            repository = WebSessionRepository(db)
            for retired in (session.retired_sid, session.sid if not session else None):
                if retired:
                    repository.delete(retired)
            if not session:
                db.commit()
                response.delete_cookie(name, domain=domain, path=path)
                return
            if session.sid is None:
                session.sid = secrets.token_urlsafe(32)
                repository.purge_expired()
            expires = utcnow() + timedelta(hours=runtime().settings.session_hours)
            repository.save(session.sid, dict(session), expires)
            db.commit()
        response.set_cookie(
            name,
            session.sid,
            expires=expires,
            httponly=self.get_cookie_httponly(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
            domain=domain,
            path=path,
        )

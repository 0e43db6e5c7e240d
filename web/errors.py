"""One error shape for both doors: `{code, status, message, errors?}`.

Domain errors, database outages and values the database refuses become HTTP errors
here, for every route of the app, the API's and the dashboard's alike. The body is
rendered by the app's HTTPException handler (flask-smorest's, customised in api/base.py),
so a refusal reads the same whichever door it came through.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, request
from sqlalchemy.exc import DataError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, ServiceUnavailable, default_exceptions

from core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    StaleVersion,
    Unavailable,
    UnsupportedMedia,
)

log = logging.getLogger(__name__)
ERROR_STATUS_FOR: dict[type[DomainError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    StaleVersion: 412,
    Conflict: 409,
    Forbidden: 403,
    PayloadTooLarge: 413,
    UnsupportedMedia: 415,
    Unavailable: 503,
}
# What the database raises when it cannot be reached (refused, dropped, pool exhausted).
DATABASE_OUTAGES = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)
RETRY_AFTER_SECONDS = 5


def _render(error: HTTPException) -> Any:
    return current_app.handle_http_exception(error)


def handle_domain_error(error: DomainError) -> Any:
    code = next(c for kind, c in ERROR_STATUS_FOR.items() if isinstance(error, kind))
    http_error = default_exceptions[code](description=error.message)
    if isinstance(error, Unavailable):
        http_error = ServiceUnavailable(description=error.message, retry_after=RETRY_AFTER_SECONDS)
    data: dict[str, Any] = {"message": error.message}
    if isinstance(error, InvalidInput) and error.fields:
        # Reads take their input from the query string, writes from the body.
        location = "query" if request.method in ("GET", "HEAD") else "json"
        data["errors"] = {location: error.fields}
    http_error.data = data  # type: ignore[attr-defined]
    return _render(http_error)


def handle_database_outage(error: Exception) -> Any:
    """503 with Retry-After: the pool reconnects once the database is back."""
    log.warning("database unavailable: %s", type(error).__name__, exc_info=error)
    return _render(
        ServiceUnavailable(
            description="The database is unavailable; retry shortly",
            retry_after=RETRY_AFTER_SECONDS,
        )
    )


def handle_unstorable_value(error: DataError) -> Any:
    """A value the database refuses (range, encoding) that validation let through."""
    log.warning("database refused a value: %s", error.orig, exc_info=error)
    return _render(
        default_exceptions[422](description="A value is outside what the database can store")
    )


def install_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(DataError, handle_unstorable_value)
    for outage in DATABASE_OUTAGES:
        app.register_error_handler(outage, handle_database_outage)

"""What every request may ask of the process: the shared runtime and the request's id."""

from __future__ import annotations

import uuid

from flask import Flask, Response, current_app, g, request

from core.rules import is_identifier
from core.runtime import Runtime

EXTENSION_KEY = "iso55001"
# Everything under it is the dashboard's: Dash's own protocol, its pages and downloads.
DASHBOARD_PREFIX = "/dashboard/"


def install_runtime(app: Flask, runtime: Runtime) -> None:
    app.extensions[EXTENSION_KEY] = runtime


def runtime() -> Runtime:
    found: Runtime = current_app.extensions[EXTENSION_KEY]
    return found


def request_id() -> str:
    """The caller's X-Request-ID when well-formed, else one made for this request."""
    if "request_id" not in g:
        offered = request.headers.get("X-Request-ID", "")
        g.request_id = offered if is_identifier(offered) else uuid.uuid4().hex
    current: str = g.request_id
    return current


def install_request_id(app: Flask) -> None:
    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers["X-Request-ID"] = request_id()
        return response

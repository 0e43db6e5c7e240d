"""The API alone (no dashboard) served on loopback, for tools that speak HTTP to it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from core.config import Settings
from core.db import migrate
from core.runtime import Runtime
from core.services.catalogue import seed_clauses


@contextmanager
def serve_api(settings: Settings) -> Iterator[str]:
    """A fresh, migrated database with the seeded catalogue behind the API; yields its URL."""
    from server import create_app

    app = create_app(settings, dashboard=False)
    runtime: Runtime = app.extensions["iso55001"]
    migrate(runtime.database.engine)
    seed_clauses(runtime.database, settings.data_dir)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        runtime.database.dispose()

"""Outages: the database or the evidence store goes away, and comes back.

PostgreSQL is reached through a TCP relay on loopback that the test cuts and restores,
so the outage is a real one (refused and dropped connections), and so is the recovery.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.config import Settings
from core.db import Database, migrate
from core.runtime import Runtime
from tests.oidc_provider import free_port


class Relay:
    """Forwards 127.0.0.1:<port> to a target until cut; can be restored on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            closing = [self._listener] if self._listener is not None else []
            self._listener = None
            for sock in [*closing, *self._open]:
                _shut(sock)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed, or never connected
        sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def swap_database(
    app: Flask, database: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], Database]]:
    """Run the app against another database URL for this test (same settings otherwise)."""
    created: list[Database] = []
    current: Runtime = app.extensions["iso55001"]

    def swap(url: str) -> Database:
        other = Database.from_url(url)
        created.append(other)
        runtime = Runtime.from_settings(current.settings, other)
        monkeypatch.setitem(app.extensions, "iso55001", runtime)
        return other

    yield swap
    for other in created:
        other.dispose()


def _assert_unavailable(client: FlaskClient) -> None:
    for method, path, body in (
        ("GET", "/audits", None),
        ("GET", "/v1/kpi/overview", None),
        ("POST", "/audits", {"title": "During the outage"}),
        ("GET", "/export/audits.csv", None),
    ):
        response = client.open(path, method=method, json=body)
        assert response.status_code == 503, (method, path, response.status_code)
        assert response.headers["Retry-After"].isdigit()
        assert response.json["message"] == "The database is unavailable; retry shortly"
    ready = client.get("/ready")
    assert ready.status_code == 503 and "database" in ready.json["message"]


class SqliteOutage:
    """SQLite has no server to lose: what fails is opening its file, as each new
    connection does. A directory takes the file's place, then the file comes back."""

    def __init__(self, database: Database, path: Path) -> None:
        self.database, self.path = database, path
        self.kept = path.with_name(path.name + ".kept")

    def cut(self) -> None:
        self.database.engine.dispose()  # open connections would keep the old file
        self.path.rename(self.kept)
        self.path.mkdir()

    def restore(self) -> None:
        self.path.rmdir()
        self.kept.rename(self.path)


class PostgresOutage:
    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    def cut(self) -> None:
        self.relay.cut()

    def restore(self) -> None:
        self.relay.start()


def test_a_database_outage_is_a_503_and_recovers_without_a_restart(
    client: FlaskClient,
    settings: Settings,
    swap_database: Callable[[str], Database],
    tmp_path: Path,
) -> None:
    outage: SqliteOutage | PostgresOutage
    if settings.is_sqlite:
        path = tmp_path / "outage.db"
        database = swap_database(f"sqlite:///{path}")
        migrate(database.engine)
        outage = SqliteOutage(database, path)
    else:
        relay = Relay(("127.0.0.1", 5432))
        relay.start()
        swap_database(settings.database_url.replace("127.0.0.1:5432", f"127.0.0.1:{relay.port}"))
        outage = PostgresOutage(relay)
    try:
        assert client.post("/audits", json={"title": "Before"}).status_code == 201
        outage.cut()
        _assert_unavailable(client)
        outage.restore()
        assert client.post("/audits", json={"title": "After"}).status_code == 201
        titles = [audit["title"] for audit in client.get("/audits").json]
        assert titles == ["Before", "After"]
        assert client.get("/ready").status_code == 200
    finally:
        if isinstance(outage, PostgresOutage):
            outage.cut()


def test_ready_fails_naming_the_evidence_store_when_it_cannot_be_written(
    client: FlaskClient, reconfigure: Callable[..., Settings], tmp_path: Path
) -> None:
    assert client.get("/ready").json["checks"]["evidence_store"] == "ok"
    blocker = tmp_path / "a-file"
    blocker.write_text("evidence cannot live under a file")
    reconfigure(evidence_dir=blocker / "evidence")
    response = client.get("/ready")
    assert response.status_code == 503
    assert "evidence_store" in response.json["message"]
    assert response.json["errors"] == {"database": "ok", "evidence_store": "unavailable"}

"""A register declared in one spec module gets its table, service, routes and export.

The probe runs in a fresh interpreter whose `core.specs` package also searches a
temporary directory holding one new module, `widgets.py`: nothing else in the code
base names widgets, so everything the probe reaches was built from that declaration.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

WIDGETS_SPEC = """
from core.specs.record import FieldSpec, Kind, NotBefore, RecordSpec, Register

WIDGET = RecordSpec(
    entity="widget",
    label="Widget",
    fields=(
        FieldSpec("name", Kind.TEXT, "Name", required=True, max_length=40),
        FieldSpec("colour", Kind.ENUM, "Colour", choices=("Red", "Blue")),
        FieldSpec("made_on", Kind.DATE, "Made"),
        FieldSpec("checked_on", Kind.DATE, "Checked"),
        FieldSpec("count", Kind.INTEGER, "Count", minimum=0, maximum=9),
        FieldSpec("tags", Kind.STRINGS, "Tags", max_length=3),
        FieldSpec("notes", Kind.LONG_TEXT, "Notes", max_length=500, exported=False),
    ),
)

WIDGETS = Register(
    spec=WIDGET,
    table="widgets",
    path="/widgets",
    id_name="widget_id",
    group="Widgets",
    description="Things the probe declares",
    filters=("colour",),
    export="widgets",
    checks=(NotBefore("checked_on", "made_on"),),
)
"""


def probe(spec_dir: str, database_url: str, evidence_dir: str) -> None:
    """Runs in the subprocess: every door of the declared register, end to end."""
    import core.specs

    core.specs.__path__.append(spec_dir)

    from core.caller import Caller
    from core.config import Settings
    from core.db import migrate
    from core.errors import InvalidInput
    from core.models import model_of
    from core.services.registers import service_of
    from server import create_app

    app = create_app(
        Settings(database_url=database_url, evidence_dir=Path(evidence_dir)), dashboard=False
    )
    engine = app.extensions["iso55001"].database.engine
    migrate(engine)
    model_of("widget").__table__.create(engine)  # what the register's migration does
    client = app.test_client()

    spec = client.get("/openapi.json").json
    assert {"/widgets", "/widgets/{widget_id}", "/v1/widgets", "/export/widgets.csv"} <= set(
        spec["paths"]
    ), sorted(spec["paths"])
    assert "Widgets" in [tag["name"] for tag in spec["tags"]]

    body: dict[str, Any] = {
        "name": "Sprocket",
        "colour": "Red",
        "made_on": "2026-01-05",
        "count": 3,
        "tags": ["a", "b"],
    }
    created = client.post("/v1/widgets", json=body)
    assert created.status_code == 201, created.json
    widget = created.json
    assert {key: widget[key] for key in body} == body
    assert widget["version"] == 1 and created.headers["ETag"]
    client.post("/widgets", json={"name": "Cog", "colour": "Blue"})

    listed = client.get("/v1/widgets?colour=Red").json
    assert [item["name"] for item in listed["items"]] == ["Sprocket"] and listed["total"] == 1
    assert client.get("/widgets?colour=Green").status_code == 422

    refused = {
        "name": "x" * 41,  # declared length
        "colour": "Green",  # declared choices
        "count": 10,  # declared range
    }
    for field, value in refused.items():
        answer = client.post("/widgets", json={**body, field: value})
        assert answer.status_code == 422 and field in answer.json["errors"]["json"], answer.json
    stale = client.patch(f"/widgets/{widget['id']}", json={"count": 4}, headers={"If-Match": '"9"'})
    assert stale.status_code == 412
    before_made = client.patch(f"/widgets/{widget['id']}", json={"checked_on": "2026-01-04"})
    assert before_made.status_code == 422, before_made.json
    assert "checked_on: Must not be before made_on." in before_made.json["message"]
    changed = client.patch(
        f"/widgets/{widget['id']}",
        json={"checked_on": "2026-02-01"},
        headers={"If-Match": created.headers["ETag"]},
    )
    assert changed.status_code == 200 and changed.json["version"] == 2

    history = client.get(f"/history?entity=widget&entity_id={widget['id']}").json
    assert [row["action"] for row in history] == ["create", "update"], history

    export = client.get("/export/widgets.csv?colour=Red")
    assert export.status_code == 200
    lines = export.data.decode().splitlines()
    assert lines[0].startswith("id,name,colour,made_on,checked_on,count,tags,created_at")
    assert "notes" not in lines[0] and len(lines) == 2 and ",Sprocket,Red," in lines[1]

    # The dashboard's door: the service holds the declared rules by itself.
    caller = Caller(org_id=widget["org_id"], user="probe", role="editor", request_id="r")
    service = service_of("widget")(app.extensions["iso55001"].database)
    try:
        service.create(caller, {"name": "y" * 41})
    except InvalidInput as error:
        assert "name" in (error.fields or {})
    else:
        raise AssertionError("an over-long name reached the database")

    assert client.delete(f"/widgets/{widget['id']}").status_code == 204
    assert client.get(f"/widgets/{widget['id']}").status_code == 404
    print("probe passed")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_register_is_one_declaration(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from tests.conftest import make_database_url  # not at import: the probe imports this module

    spec_dir = tmp_path / "specs"
    spec_dir.mkdir()
    (spec_dir / "widgets.py").write_text(WIDGETS_SPEC)
    database_url = make_database_url(kind, tmp_path, request)
    script = (
        "import sys; from tests.integration.test_declared_register import probe; "
        "probe(*sys.argv[1:])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(spec_dir), database_url, str(tmp_path / "evidence")],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "probe passed" in result.stdout

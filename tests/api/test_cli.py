"""The iso55001 commands against the session's database."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from core.db import Database
from core.models import Assessment, Clause


def test_init_db_is_idempotent(app: Flask, database: Database) -> None:
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "0 clause(s) written" in result.output
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Clause)) == 51


def test_seed_demo_fills_organisations_once(app: Flask, database: Database) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "seed-demo",
            "--orgs",
            "2",
            "--rounds",
            "1",
            "--audits",
            "3",
            "--nonconformities",
            "10",
            "--reviews",
            "2",
            "--seed",
            "1",
        ]
    )
    assert result.exit_code == 0, result.output
    assert (
        "Demo data in 2 organisation(s): 76 assessments, 6 audits, 20 nonconformities, "
        "4 management_reviews" in result.output
    )
    with database.session() as session:
        orgs = set(session.scalars(select(Assessment.org_id).distinct()))
    assert orgs == {"default", "metro-transit"}
    again = runner.invoke(args=["seed-demo", "--orgs", "2", "--if-empty"])
    assert "0 assessments" in again.output


def test_backup_and_restore_commands(app: Flask, database: Database, tmp_path) -> None:
    runner = app.test_cli_runner()
    runner.invoke(
        args=[
            "seed-demo",
            "--orgs",
            "1",
            "--rounds",
            "1",
            "--audits",
            "2",
            "--nonconformities",
            "5",
            "--reviews",
            "1",
        ]
    )
    archive = tmp_path / "backup.tar.gz"
    made = runner.invoke(args=["backup", "--output", str(archive)])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output and "nonconformities: 5" in made.output
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1 and "Error:" in refused.output
    restored = runner.invoke(args=["restore", str(archive), "--replace"])
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.output
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Assessment)) == 38

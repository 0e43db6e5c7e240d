"""Every setting the platform reads from the environment, in one place.

`Settings.from_env()` is the only reader of `os.environ`; the rest of the code
receives a `Settings` value. Defaults are the embedded development setup: a SQLite
file and evidence directory under `./var/`, open writes, demo-friendly CORS.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

# The organisation of an installation that names none (DEFAULT_ORG_ID unset).
BUILT_IN_ORG = "default"

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
# Lowest to highest. `admin` manages its own organisation; `platform-admin` is the
# operator of the installation: every organisation, and the operator data in /metrics.
ROLES = ("viewer", "editor", "admin", "platform-admin")
DEFAULT_ALLOWED_MEDIA = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
)


JOBS_BACKENDS = ("thread", "rq")


class ConfigurationError(ValueError):
    """A setting is missing or unusable; the message names it."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _csv(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    env: str = "dev"
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'iso55001.db'}"
    secret_key: str | None = None
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000

    # Authentication and roles
    api_token: str | None = None
    api_role: str = "admin"
    metrics_token: str | None = None
    oidc_hs256_secret: str | None = None
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks: str | None = None
    oidc_jwks_path: str | None = None
    oidc_jwks_url: str | None = None
    oidc_discovery_url: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_scopes: str = "openid email profile"
    session_hours: int = 8

    # Tenancy and CORS
    default_org_id: str | None = None
    cors_allowed_origins: tuple[str, ...] = ("*",)

    # Evidence storage
    evidence_dir: Path = REPO_ROOT / "var" / "evidence"
    object_store_endpoint: str | None = None
    object_store_bucket: str | None = None
    object_store_access_key: str | None = None
    object_store_secret_key: str | None = None
    object_store_region: str = "us-east-1"
    object_store_use_path_style: bool = True
    max_upload_mb: int = 25
    presign_ttl_seconds: int = 900
    allowed_upload_media: tuple[str, ...] = DEFAULT_ALLOWED_MEDIA

    # Operations
    ratelimit_enabled: bool = False
    ratelimit_storage_uri: str = "memory://"
    ratelimit_uploads: str = "30 per minute"
    ratelimit_presign: str = "60 per minute"
    ratelimit_exports: str = "20 per minute"
    # An in-memory store counts per worker process: N workers allow N times the limit.
    ratelimit_allow_memory: bool = False
    otel_enabled: bool = False
    otel_exporter_otlp_endpoint: str | None = None
    otel_service_name: str = "iso55001"
    proxy_hops: int = 0
    web_concurrency: int = 2
    gunicorn_threads: int = 4
    gunicorn_timeout: int = 120
    prometheus_multiproc_dir: str | None = None
    # Jobs: long work off the request thread (core/jobs).
    jobs_backend: str = "thread"  # or "rq"
    jobs_workers: int = 2
    redis_url: str = "redis://127.0.0.1:6379/0"
    jobs_queue: str = "iso55001"
    jobs_timeout_seconds: int = 3600
    # How often an RQ worker renews a running job's heartbeat; RQ declares the job
    # abandoned 60 s after the last one.
    jobs_heartbeat_seconds: int = 10
    job_result_days: int = 7
    xlsx_sync_rows: int = 20_000

    data_dir: Path = DATA_DIR

    @property
    def is_prod(self) -> bool:
        return self.env == "prod"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def jwks_configured(self) -> bool:
        return bool(self.oidc_jwks or self.oidc_jwks_path or self.oidc_jwks_url)

    @property
    def sso_configured(self) -> bool:
        """Dashboard single sign-on: a client and somewhere to discover the provider."""
        return bool(self.oidc_client_id and (self.oidc_discovery_url or self.oidc_issuer))

    @property
    def discovery_url(self) -> str | None:
        if self.oidc_discovery_url:
            return self.oidc_discovery_url
        if self.oidc_issuer:
            return self.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"
        return None

    @property
    def fallback_org_id(self) -> str:
        """The organisation a dev request acts for when nothing names one."""
        return self.default_org_id or BUILT_IN_ORG

    def production_problems(self) -> list[str]:
        """What keeps these settings from running in production (empty when fine)."""
        if not self.is_prod:
            return []
        problems = []
        if not self.jwks_configured:
            problems.append("OIDC_JWKS, OIDC_JWKS_PATH or OIDC_JWKS_URL is required (RS256 tokens)")
        if not self.secret_key:
            problems.append("SECRET_KEY is required (signs the dashboard session)")
        elif len(self.secret_key) < 32:
            problems.append("SECRET_KEY must be at least 32 characters")
        if self.metrics_token is not None and len(self.metrics_token) < 32:
            problems.append("METRICS_TOKEN must be at least 32 characters")
        if self.oidc_jwks_url and not self.oidc_jwks_url.startswith("https://"):
            problems.append("OIDC_JWKS_URL must use https:// in production")
        if self.oidc_client_id and not self.oidc_client_secret:
            problems.append("OIDC_CLIENT_SECRET is required with OIDC_CLIENT_ID")
        if not self.cors_allowed_origins:
            problems.append("CORS_ALLOWED_ORIGINS must list the browser origins allowed")
        elif "*" in self.cors_allowed_origins:
            problems.append("CORS_ALLOWED_ORIGINS must not be '*' in production")
        if (
            self.ratelimit_enabled
            and self.web_concurrency > 1
            and self.ratelimit_storage_uri.startswith("memory://")
            and not self.ratelimit_allow_memory
        ):
            problems.append(
                "RATELIMIT_STORAGE_URI must name a shared store (redis://...) with "
                "WEB_CONCURRENCY > 1: each worker counts alone in memory "
                "(RATELIMIT_ALLOW_MEMORY=true accepts that)"
            )
        return problems

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        defaults = cls()

        def text(name: str) -> str | None:
            value = env.get(name)
            return value.strip() if value and value.strip() else None

        mode = (text("ENV") or "dev").lower()
        if mode not in {"dev", "prod"}:
            raise ConfigurationError(f"ENV must be 'dev' or 'prod', got {mode!r}")
        api_role = (text("API_ROLE") or "admin").lower()
        if api_role not in ROLES:
            raise ConfigurationError(
                f"API_ROLE must be one of {', '.join(ROLES)}, got {api_role!r}"
            )
        jobs_backend = (text("JOBS_BACKEND") or defaults.jobs_backend).lower()
        if jobs_backend not in JOBS_BACKENDS:
            raise ConfigurationError(
                f"JOBS_BACKEND must be one of {', '.join(JOBS_BACKENDS)}, got {jobs_backend!r}"
            )
        cors = _csv(env.get("CORS_ALLOWED_ORIGINS"))
        if not cors and mode == "dev":
            cors = ("*",)
        return cls(
            env=mode,
            database_url=text("DATABASE_URL") or defaults.database_url,
            secret_key=text("SECRET_KEY"),
            log_level=(text("LOG_LEVEL") or "INFO").upper(),
            host=text("HOST") or defaults.host,
            port=_int(env, "PORT", defaults.port),
            api_token=text("API_TOKEN"),
            api_role=api_role,
            metrics_token=text("METRICS_TOKEN"),
            oidc_hs256_secret=text("OIDC_HS256_SECRET"),
            oidc_issuer=text("OIDC_ISSUER"),
            oidc_audience=text("OIDC_AUDIENCE"),
            oidc_jwks=text("OIDC_JWKS"),
            oidc_jwks_path=text("OIDC_JWKS_PATH"),
            oidc_jwks_url=text("OIDC_JWKS_URL"),
            oidc_discovery_url=text("OIDC_DISCOVERY_URL"),
            oidc_client_id=text("OIDC_CLIENT_ID"),
            oidc_client_secret=text("OIDC_CLIENT_SECRET"),
            oidc_scopes=text("OIDC_SCOPES") or defaults.oidc_scopes,
            session_hours=_int(env, "SESSION_HOURS", defaults.session_hours),
            default_org_id=text("DEFAULT_ORG_ID"),
            cors_allowed_origins=cors,
            evidence_dir=Path(text("EVIDENCE_DIR") or defaults.evidence_dir),
            object_store_endpoint=text("OBJECT_STORE_ENDPOINT"),
            object_store_bucket=text("OBJECT_STORE_BUCKET"),
            object_store_access_key=text("OBJECT_STORE_ACCESS_KEY"),
            object_store_secret_key=text("OBJECT_STORE_SECRET_KEY"),
            object_store_region=text("OBJECT_STORE_REGION") or defaults.object_store_region,
            object_store_use_path_style=_flag(env.get("OBJECT_STORE_USE_PATH_STYLE"), True),
            max_upload_mb=_int(env, "MAX_UPLOAD_MB", defaults.max_upload_mb),
            presign_ttl_seconds=_int(env, "PRESIGN_TTL_SECONDS", defaults.presign_ttl_seconds),
            allowed_upload_media=_csv(env.get("ALLOWED_UPLOAD_MEDIA")) or DEFAULT_ALLOWED_MEDIA,
            ratelimit_enabled=_flag(env.get("RATELIMIT_ENABLED"), False),
            ratelimit_storage_uri=text("RATELIMIT_STORAGE_URI") or defaults.ratelimit_storage_uri,
            otel_enabled=_flag(env.get("OTEL_ENABLED"), False),
            otel_exporter_otlp_endpoint=text("OTEL_EXPORTER_OTLP_ENDPOINT"),
            otel_service_name=text("OTEL_SERVICE_NAME") or defaults.otel_service_name,
            ratelimit_uploads=text("RATELIMIT_UPLOADS") or defaults.ratelimit_uploads,
            ratelimit_presign=text("RATELIMIT_PRESIGN") or defaults.ratelimit_presign,
            ratelimit_exports=text("RATELIMIT_EXPORTS") or defaults.ratelimit_exports,
            ratelimit_allow_memory=_flag(env.get("RATELIMIT_ALLOW_MEMORY"), False),
            proxy_hops=_int(env, "PROXY_HOPS", defaults.proxy_hops),
            web_concurrency=_int(env, "WEB_CONCURRENCY", defaults.web_concurrency),
            gunicorn_threads=_int(env, "GUNICORN_THREADS", defaults.gunicorn_threads),
            gunicorn_timeout=_int(env, "GUNICORN_TIMEOUT", defaults.gunicorn_timeout),
            prometheus_multiproc_dir=text("PROMETHEUS_MULTIPROC_DIR"),
            jobs_backend=jobs_backend,
            jobs_workers=_int(env, "JOBS_WORKERS", defaults.jobs_workers),
            redis_url=text("REDIS_URL") or defaults.redis_url,
            jobs_queue=text("JOBS_QUEUE") or defaults.jobs_queue,
            jobs_timeout_seconds=_int(env, "JOBS_TIMEOUT_SECONDS", defaults.jobs_timeout_seconds),
            jobs_heartbeat_seconds=_int(
                env, "JOBS_HEARTBEAT_SECONDS", defaults.jobs_heartbeat_seconds
            ),
            job_result_days=_int(env, "JOB_RESULT_DAYS", defaults.job_result_days),
            xlsx_sync_rows=_int(env, "XLSX_SYNC_ROWS", defaults.xlsx_sync_rows),
        )

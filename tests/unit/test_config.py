from __future__ import annotations

from pathlib import Path

import pytest

from core.config import DEFAULT_ALLOWED_MEDIA, ConfigurationError, Settings


def test_dev_defaults_work_without_any_variable() -> None:
    settings = Settings.from_env({})
    assert settings.env == "dev" and not settings.is_prod
    assert settings.database_url.startswith("sqlite:///") and settings.is_sqlite
    assert settings.database_url.endswith("var/iso55001.db")
    assert settings.evidence_dir.parts[-2:] == ("var", "evidence")
    assert settings.cors_allowed_origins == ("*",)
    assert settings.allowed_upload_media == DEFAULT_ALLOWED_MEDIA
    assert settings.api_role == "admin"


def test_environment_overrides() -> None:
    settings = Settings.from_env(
        {
            "ENV": "prod",
            "DATABASE_URL": "postgresql+psycopg://u@db/app",
            "API_TOKEN": " tok ",
            "API_ROLE": "Editor",
            "CORS_ALLOWED_ORIGINS": "https://a.example, https://b.example",
            "EVIDENCE_DIR": "/srv/evidence",
            "MAX_UPLOAD_MB": "5",
            "OBJECT_STORE_USE_PATH_STYLE": "false",
            "ALLOWED_UPLOAD_MEDIA": "application/pdf,text/plain",
            "DEFAULT_ORG_ID": "acme",
            "OTEL_ENABLED": "yes",
        }
    )
    assert settings.is_prod and not settings.is_sqlite
    assert settings.api_token == "tok" and settings.api_role == "editor"
    assert settings.cors_allowed_origins == ("https://a.example", "https://b.example")
    assert settings.evidence_dir == Path("/srv/evidence")
    assert settings.max_upload_mb == 5
    assert settings.object_store_use_path_style is False
    assert settings.allowed_upload_media == ("application/pdf", "text/plain")
    assert settings.default_org_id == "acme" and settings.otel_enabled


def test_prod_gets_no_wildcard_cors_by_default() -> None:
    assert Settings.from_env({"ENV": "prod"}).cors_allowed_origins == ()


@pytest.mark.parametrize(
    ("env", "name"),
    [({"ENV": "staging"}, "ENV"), ({"API_ROLE": "root"}, "API_ROLE"), ({"PORT": "http"}, "PORT")],
)
def test_bad_values_name_the_setting(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env(env)

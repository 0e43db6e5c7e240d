"""Swagger UI's files, served from the installed swagger-ui-bundle package (no CDN)."""

from __future__ import annotations

from flask import Blueprint, Response, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from core.config import REPO_ROOT

SWAGGER_UI_STATIC = "/docs/static/"

swagger_files = Blueprint("swagger_ui_files", __name__)


@swagger_files.get(f"{SWAGGER_UI_STATIC}<path:filename>")
def swagger_ui_file(filename: str) -> Response:
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)


@swagger_files.get("/favicon.ico")
def favicon() -> Response:
    return send_from_directory(str(REPO_ROOT / "assets"), "favicon.ico", max_age=86400)

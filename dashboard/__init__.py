"""The Plotly Dash app, mounted on the shared Flask server at /dashboard/."""

from __future__ import annotations

from pathlib import Path

from dash import Dash
from flask import Flask

from core.config import REPO_ROOT
from dashboard.downloads import downloads
from dashboard.evidence import evidence_files
from dashboard.identity import install_session_identity
from dashboard.shell import shell_layout
from dashboard.sso import init_sso

URL_BASE = "/dashboard/"
PAGES_DIR = Path(__file__).resolve().parent / "pages"


def init_dashboard(server: Flask) -> Dash:
    server.register_blueprint(downloads)
    server.register_blueprint(evidence_files)
    app = Dash(
        __name__,
        server=server,  # type: ignore[arg-type]  # Dash accepts a Flask app here
        url_base_pathname=URL_BASE,
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(REPO_ROOT / "assets"),
        title="ISO 55001 Dashboard",
        update_title="",
        suppress_callback_exceptions=True,
        # Bootstrap is vendored in assets/: the dashboard makes no CDN requests.
        serve_locally=True,
    )
    # Screen readers pronounce the page in its language.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = shell_layout
    install_session_identity(server)
    init_sso(server)
    return app

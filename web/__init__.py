"""What both doors share: runtime access, who is calling, input bounds, hardening,
request logs and metrics, file responses and the one error shape.

`api/` and `dashboard/` depend on this package and on `core/`, never on each other
(tests/unit/test_core_is_framework_free.py enforces it).
"""

from __future__ import annotations

from flask import Flask

from core.config import Settings
from core.runtime import Runtime
from web.caller import install_production_guard
from web.errors import install_error_handlers
from web.hardening import init_hardening
from web.inputs import install_input_bounds
from web.observability import init_observability
from web.runtime import install_request_id, install_runtime


def init_web(app: Flask, settings: Settings, shared: Runtime) -> None:
    """Install the shared web layer; before any route, as path ids use its converter."""
    install_runtime(app, shared)
    install_request_id(app)
    init_observability(app, settings)
    init_hardening(app, settings)
    install_production_guard(app)
    install_input_bounds(app)
    install_error_handlers(app)

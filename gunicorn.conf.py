"""gunicorn settings for `iso55001 serve` and the container: all from the environment."""

from __future__ import annotations

from typing import Any

from core.config import Settings

settings = Settings.from_env()

wsgi_app = "server:create_app()"
bind = f"{settings.host}:{settings.port}"
workers = settings.web_concurrency
threads = settings.gunicorn_threads
worker_class = "gthread"
timeout = settings.gunicorn_timeout
graceful_timeout = 30
keepalive = 5
# One JSON line per request comes from the app itself (api/observability.py).
accesslog = None
errorlog = "-"
loglevel = settings.log_level.lower()
forwarded_allow_ips = "*" if settings.proxy_hops else "127.0.0.1"
# Exports stream for a long time: recycle workers now and then to bound memory drift.
max_requests = 2000
max_requests_jitter = 200


def child_exit(server: Any, worker: Any) -> None:
    """Drop a finished worker's live gauges from the shared Prometheus files."""
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)

"""Metrics, structured request logs and tracing for the whole server (API and dashboard).

- Prometheus at /metrics through prometheus-flask-exporter, multiprocess-safe under
  gunicorn (PROMETHEUS_MULTIPROC_DIR). RED metrics are labelled by URL rule, never by raw
  path, and Dash's internal requests are left out so series stay bounded. The series
  per organisation are operator data: readers need the scrape token or platform-admin.
- One JSON line per request on stdout; credentials are never part of it.
- OpenTelemetry spans for requests and SQL when OTEL_ENABLED is set.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, has_app_context, request
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from prometheus_flask_exporter import PrometheusMetrics
from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

from core.config import Settings
from core.queries.kpis import nonconformity_load
from web.caller import require_metrics_reader
from web.runtime import request_id, runtime

LABELS = ("method", "route", "status")
REQUESTS = Counter("http_requests_total", "HTTP requests answered", LABELS)
ERRORS = Counter("http_requests_errors_total", "HTTP requests answered with 4xx or 5xx", LABELS)
DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request",
    LABELS,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
# Dash's own requests and static files would add a series per asset and per callback.
UNMEASURED_PREFIXES = ("/dashboard/_", "/dashboard/assets/", "/docs/static/", "/metrics")
UNMATCHED = "<unmatched>"
access_log = logging.getLogger("iso55001.access")


def route_of() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


class NonconformityLoad(Collector):
    """Open and overdue nonconformities per organisation, counted by the database."""

    def _families(self) -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(
                "iso55001_nonconformities_open", "Nonconformities not closed", labels=["org_id"]
            ),
            GaugeMetricFamily(
                "iso55001_nonconformities_overdue",
                "Nonconformities not closed and past their due date",
                labels=["org_id"],
            ),
        )

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield from self._families()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        open_gauge, overdue_gauge = self._families()
        if not has_app_context():  # scraped outside a request: nothing to count against
            return
        for org_id, open_count, overdue_count in nonconformity_load(runtime().database):
            open_gauge.add_metric([org_id], open_count)
            overdue_gauge.add_metric([org_id], overdue_count)
        yield open_gauge
        yield overdue_gauge


def _metrics_readers_only(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        require_metrics_reader()
        return view(*args, **kwargs)

    return guarded


def _install_metrics(app: Flask, settings: Settings) -> None:
    shared_dir = settings.prometheus_multiproc_dir or os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    multiprocess = bool(shared_dir)
    if shared_dir:
        # Workers write their samples here; it must exist before the first metric moves.
        Path(shared_dir).mkdir(parents=True, exist_ok=True)
    exporter: Any = GunicornInternalPrometheusMetrics if multiprocess else PrometheusMetrics
    metrics = exporter(
        app,
        export_defaults=False,
        group_by="url_rule",
        excluded_paths=list(UNMEASURED_PREFIXES),
        metrics_decorator=_metrics_readers_only,
    )
    # Several apps in one process (tests) share the process-wide registry: register once.
    with contextlib.suppress(ValueError):
        metrics.registry.register(NonconformityLoad())

    @app.before_request
    def _start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        if request.path.startswith(UNMEASURED_PREFIXES):
            return response
        labels = (request.method, route_of(), str(response.status_code))
        REQUESTS.labels(*labels).inc()
        if response.status_code >= 400:
            ERRORS.labels(*labels).inc()
        DURATION.labels(*labels).observe(
            time.perf_counter() - g.get("started", time.perf_counter())
        )
        return response


class JsonFormatter(logging.Formatter):
    """Log records as one JSON object per line, with any structured fields attached."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        body.update(getattr(record, "fields", {}))
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.Formatter.converter = time.gmtime
    # The access line below replaces werkzeug's own request log.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _install_access_log(app: Flask) -> None:
    @app.after_request
    def _log(response: Response) -> Response:
        if request.path.startswith(UNMEASURED_PREFIXES):
            return response
        caller = g.get("caller")
        started = g.get("started")
        fields = {
            "request_id": request_id(),
            "method": request.method,
            "route": route_of(),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "user": caller.user if caller else None,
            "org": caller.org_id if caller else None,
            "user_agent": request.user_agent.string[:200],
            "client_ip": request.remote_addr,
        }
        access_log.info(
            "%s %s %s",
            request.method,
            fields["route"],
            response.status_code,
            extra={"fields": fields},
        )
        return response


def _install_tracing(app: Flask, settings: Settings) -> None:
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.flask import FlaskInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider(
            resource=Resource.create({"service.name": settings.otel_service_name})
        )
        endpoint = settings.otel_exporter_otlp_endpoint
        exporter = (
            OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")
            if endpoint
            else OTLPSpanExporter()
        )
        provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
    FlaskInstrumentor().instrument_app(app, excluded_urls="dashboard/_dash.*,dashboard/assets.*")
    # The instrumentation declares support up to SQLAlchemy 2.0; the engine events it
    # hooks are unchanged in 2.1 (covered by a test), so its version check is skipped.
    SQLAlchemyInstrumentor().instrument(
        engine=runtime_engine(app), tracer_provider=provider, skip_dep_check=True
    )


def runtime_engine(app: Flask) -> Any:
    with app.app_context():
        return runtime().database.engine


def init_observability(app: Flask, settings: Settings) -> None:
    _install_metrics(app, settings)
    _install_access_log(app)
    if settings.otel_enabled:
        _install_tracing(app, settings)

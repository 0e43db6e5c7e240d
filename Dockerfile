# ISO 55001 platform: API + dashboard under gunicorn.
FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system app && useradd --system --gid app --home-dir /app app
WORKDIR /app

# Dependencies first, from the lock (pinned, hash-checked), so code changes reuse the layer.
COPY requirements/run.txt requirements/run.txt
RUN pip install --require-hashes -r requirements/run.txt

COPY . .
RUN pip install --no-deps --no-build-isolation -e . \
    && mkdir -p /app/var /tmp/iso55001-metrics \
    && chown -R app:app /app/var /tmp/iso55001-metrics

USER app
# A container runs under production rules unless its environment says dev: started
# without its JWKS, SECRET_KEY and CORS origins it refuses to start, naming each.
ENV ENV=prod \
    HOST=0.0.0.0 \
    PORT=8000 \
    WEB_CONCURRENCY=2 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/iso55001-metrics
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=2)"]

# `serve` migrates to the latest schema, loads the clause catalogue, then starts gunicorn.
CMD ["iso55001", "serve"]

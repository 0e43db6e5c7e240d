"""JSON Web Key Sets from configuration: inline, a file, or a URL (cached)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import requests
from joserfc.jwk import KeySet

from core.auth.identity import AuthenticationError

FETCH_TIMEOUT_SECONDS = 5
# An unknown kid may mean the provider rotated keys; refetch, but not more often than
# this, so a flood of made-up kids cannot turn into a flood of requests upstream.
MIN_REFETCH_SECONDS = 30


class JwksSource:
    def __init__(
        self,
        *,
        inline: str | None = None,
        path: str | None = None,
        url: str | None = None,
        min_refetch_seconds: float = MIN_REFETCH_SECONDS,
    ) -> None:
        self._inline = inline
        self._path = path
        self._url = url
        self._min_refetch = min_refetch_seconds
        self._lock = threading.Lock()
        self._keys: KeySet | None = None
        self._fetched_at = 0.0

    @property
    def configured(self) -> bool:
        return bool(self._inline or self._path or self._url)

    def _load(self) -> dict[str, Any]:
        if self._inline:
            raw: Any = json.loads(self._inline)
        elif self._path:
            raw = json.loads(Path(self._path).read_text(encoding="utf-8"))
        else:
            assert self._url is not None
            response = requests.get(self._url, timeout=FETCH_TIMEOUT_SECONDS)
            response.raise_for_status()
            raw = response.json()
        if not isinstance(raw, dict) or not isinstance(raw.get("keys"), list):
            raise ValueError("a JWKS is a JSON object with a 'keys' list")
        return raw

    def _refresh(self) -> KeySet:
        try:
            self._keys = KeySet.import_key_set(self._load())  # type: ignore[arg-type]
        except (OSError, ValueError, requests.RequestException) as exc:
            # A failed refetch keeps serving the last good keys.
            if self._keys is None:
                raise AuthenticationError("The signing keys (JWKS) could not be loaded") from exc
        self._fetched_at = time.monotonic()
        return self._keys

    def key_set_for(self, kid: str | None) -> KeySet:
        """The key set, refetched from a URL when `kid` is not in the cached one."""
        with self._lock:
            keys = self._keys or self._refresh()
            known = {key.kid for key in keys.keys}
            stale = time.monotonic() - self._fetched_at >= self._min_refetch
            if kid is not None and kid not in known and self._url and stale:
                keys = self._refresh()
            return keys

"""The API's role check on a route, and how it is documented in OpenAPI.

Who is calling is decided in `web.caller`, shared with the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any, TypeVar

from web.caller import demand

F = TypeVar("F", bound=Callable[..., Any])
BEARER_SCHEME = "bearerAuth"


def requires(role: str) -> Callable[[F], F]:
    """Authenticate before anything else, then refuse callers below `role`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            demand(role)
            return view(*args, **kwargs)

        apidoc = deepcopy(getattr(view, "_apidoc", {}))
        manual = apidoc.setdefault("manual_doc", {})
        manual["security"] = (
            [{BEARER_SCHEME: []}] if role != "viewer" else [{}, {BEARER_SCHEME: []}]
        )
        manual["description"] = (
            manual.get("description", "") + f"\n\nRequired role: `{role}`."
        ).strip()
        responses = manual.setdefault("responses", {})
        responses.setdefault("401", "UNAUTHORIZED")
        if role != "viewer":
            responses.setdefault("403", "FORBIDDEN")
        guarded._apidoc = apidoc  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator

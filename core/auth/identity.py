"""Who a credential says the caller is: subject, highest role, organisation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.config import ROLES

ORG_CLAIMS = ("org_id", "org", "tenant", "tid")


class AuthenticationError(Exception):
    """The presented credential is not acceptable; the message says why (safe to show)."""


@dataclass(frozen=True)
class Identity:
    subject: str
    role: str
    org_id: str | None = None
    name: str | None = None
    claims: Mapping[str, Any] = field(default_factory=dict)


def _named_roles(claims: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    roles = claims.get("roles")
    if isinstance(roles, list | tuple):
        names.extend(str(role) for role in roles)
    elif isinstance(roles, str):
        names.append(roles)
    role = claims.get("role")
    if isinstance(role, str):
        names.append(role)
    scope = claims.get("scope")
    if isinstance(scope, str):
        names.extend(scope.split())
    return [name.lower() for name in names]


def role_from_claims(claims: Mapping[str, Any]) -> str:
    """The highest known role the claims name; a token naming none is a viewer."""
    named = set(_named_roles(claims))
    for role in reversed(ROLES):
        if role in named:
            return role
    return "viewer"


def org_from_claims(claims: Mapping[str, Any]) -> str | None:
    for name in ORG_CLAIMS:
        value = claims.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def identity_from_claims(claims: Mapping[str, Any]) -> Identity:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise AuthenticationError("The token has no subject (sub)")
    name = claims.get("name") or claims.get("email") or claims.get("preferred_username")
    return Identity(
        subject=subject,
        role=role_from_claims(claims),
        org_id=org_from_claims(claims),
        name=str(name) if name else None,
        claims=dict(claims),
    )

"""Domain errors. Core raises them; each edge maps them to its own responses."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base class: `message` is safe to show to the caller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The record does not exist, or belongs to another organisation."""


class InvalidInput(DomainError):
    """Well-formed input that breaks a domain rule, e.g. a reference to nothing."""

    def __init__(self, message: str, fields: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


class Conflict(DomainError):
    """The request clashes with the record's current state."""


class StaleVersion(Conflict):
    """The caller's version (If-Match) is not the current one."""


class Forbidden(DomainError):
    """The caller may not do this."""


class PayloadTooLarge(DomainError):
    """The upload is over the configured size limit."""


class UnsupportedMedia(DomainError):
    """The file's type is not accepted, or is not what it was declared to be."""


class Unavailable(DomainError):
    """Something the request needs (the job queue) cannot be reached; retrying may work."""

"""Pure domain rules: enumerations, the maturity scale, readiness scoring, clause order."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

ASSESSMENT_STATUSES: Final = ("Compliant", "Partial", "Noncompliant", "NotApplicable")
NOT_ASSESSED: Final = "NotAssessed"

MATURITY_MIN: Final = 0
MATURITY_MAX: Final = 5
MATURITY_LEVELS: Final = {
    0: "Innocent",
    1: "Aware",
    2: "Developing",
    3: "Competent",
    4: "Optimizing",
    5: "Excellent",
}

# Readiness credit of a leaf clause's latest assessment; unassessed leaves score 0
# and NotApplicable leaves leave the denominator.
READINESS_SCORES: Final = {"Compliant": 1.0, "Partial": 0.5, "Noncompliant": 0.0}

CLAUSE_GROUPS: Final = ("4", "5", "6", "7", "8", "9", "10")

# Anchored with \A and \Z, not ^ and $: `$` also matches before a trailing newline, so
# "acme\n" would pass wherever the pattern is used with match() (marshmallow's Regexp).
IDENTIFIER = re.compile(r"\A[A-Za-z0-9._-]{1,64}\Z")


def is_identifier(value: str) -> bool:
    """Org ids and request ids: 1-64 characters of letters, digits, '.', '_' or '-'."""
    return IDENTIFIER.fullmatch(value) is not None


# C0 controls other than tab, LF and CR, and lone UTF-16 surrogates: not text. Spreadsheets
# refuse them, PostgreSQL refuses NUL, and no person types them.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
NOT_TEXT_MESSAGE = "Control characters other than tab, CR and LF are not allowed."


def is_text(value: str) -> bool:
    return NOT_TEXT.search(value) is None


def clause_sort_key(clause_id: str) -> str:
    """Zero-padded key so that "4.2" sorts before "4.10" as text."""
    return ".".join(f"{int(part):03d}" for part in clause_id.split("."))


def clause_level(clause_id: str) -> int:
    return clause_id.count(".") + 1


def readiness_percent(score_sum: float, applicable: int) -> float:
    """Mean credit over applicable leaves as a percentage with one decimal."""
    if applicable <= 0:
        return 0.0
    return round(100.0 * score_sum / applicable, 1)


def maturity_name(level: int | None) -> str:
    return "Not rated" if level is None else f"{level} {MATURITY_LEVELS[level]}"


AUDIT_STATUSES: Final = ("Planned", "InProgress", "Completed", "Cancelled")
NC_SEVERITIES: Final = ("Minor", "Major", "Critical")
NC_STATUSES: Final = ("Open", "InProgress", "Closed")

JOB_KINDS: Final = (
    "export_xlsx",
    "review_pack",
    "audit_packet",
    "workbook_import",
    "predictive_run",
    "kpi_compute",
)
JOB_STATUSES: Final = ("Queued", "Running", "Succeeded", "Failed", "Cancelled")
# A job in one of these may still change; the others are final.
JOB_ACTIVE: Final = ("Queued", "Running")
NC_STATES: Final = ("New", "Analysis", "Action", "Verification", "Closed")

# The CAPA workflow (clause 10.2): the only moves a nonconformity's state may make, each
# state's forward moves before its way back (the order the API's description reads in).
NC_TRANSITIONS: Final[dict[str, tuple[str, ...]]] = {
    "New": ("Analysis", "Action"),
    "Analysis": ("Action", "Verification"),
    "Action": ("Verification",),
    "Verification": ("Closed", "Action"),
    "Closed": (),
}

# Moves made through the status rather than the CAPA state.
REOPEN: Final = "reopen"
ADMINISTRATIVE_CLOSE: Final = "close"
# A reopened nonconformity is being worked on again, so it reopens as InProgress.
REOPENED_STATUS: Final = "InProgress"

MOVE_LABELS: Final = {
    "Analysis": "Start analysis",
    "Action": "Plan action",
    "Verification": "Send to verification",
    "Closed": "Close (verified)",
    REOPEN: "Reopen",
    ADMINISTRATIVE_CLOSE: "Close (administrative)",
}


class RuleViolation(ValueError):
    """A change that the domain rules forbid; the message names what and why."""


class IllegalMove(RuleViolation):
    """A CAPA state move outside the workflow."""


def _state_move_refusal(current: str, target: str) -> str | None:
    """Why `current` -> `target` is not a CAPA move, or None when it is one."""
    if target in NC_TRANSITIONS[current]:
        return None
    allowed = ", ".join(sorted(NC_TRANSITIONS[current])) or "none (reopen by status)"
    return (
        f"A nonconformity cannot move from {current} to {target}; allowed from {current}: {allowed}"
    )


def check_state_move(current: str, target: str) -> None:
    """Raise unless `current` -> `target` is a CAPA move (staying put is always fine)."""
    if target == current:
        return
    refusal = _state_move_refusal(current, target)
    if refusal is not None:
        raise IllegalMove(refusal)


def workflow_description() -> str:
    """The CAPA rules in one sentence, written from NC_TRANSITIONS for the API's docs."""
    steps = ", ".join(
        f"{state} -> {'|'.join(targets)}" for state, targets in NC_TRANSITIONS.items() if targets
    )
    return f"The CAPA state moves {steps}; status Closed closes from any state."


def move_change(target: str) -> dict[str, str]:
    """The fields a change sets to make the move named `target` (see `capa_moves`)."""
    if target == REOPEN:
        return {"status": REOPENED_STATUS}
    if target == ADMINISTRATIVE_CLOSE:
        return {"status": "Closed"}
    return {"state": target}


@dataclass(frozen=True)
class Move:
    """One move a nonconformity knows: what it is called, what it changes, whether it may
    be made now and, when not, why."""

    target: str  # a CAPA state, REOPEN or ADMINISTRATIVE_CLOSE
    label: str
    allowed: bool
    reason: str | None = None

    @property
    def change(self) -> dict[str, str]:
        return move_change(self.target)

    @property
    def by_status(self) -> bool:
        """Reopening and the administrative close change the status, not the CAPA state."""
        return self.target in (REOPEN, ADMINISTRATIVE_CLOSE)


@dataclass(frozen=True)
class NcLifecycle:
    """The three fields that must agree: status, CAPA state and closure date."""

    status: str = "Open"
    state: str = "New"
    closed_date: date | None = None

    @classmethod
    def of(cls, record: Any) -> NcLifecycle:
        """The lifecycle of a stored nonconformity (anything with the three fields)."""
        return cls(record.status, record.state, record.closed_date)

    @property
    def closed(self) -> bool:
        return self.status == "Closed"


def next_lifecycle(
    current: NcLifecycle, changes: Mapping[str, Any], today: date, *, creating: bool = False
) -> NcLifecycle:
    """Apply `changes` (any of status, state, closed_date) and keep the three consistent.

    - state moves follow the CAPA workflow (any initial state is fine on creation);
    - status Closed is an administrative close from any state and closes the state too,
      and state Closed closes the status; closing dates the closure today unless given;
    - status back to Open/InProgress reopens: state Action, closure date cleared.
    """
    status = changes.get("status") or current.status
    state = changes.get("state") or current.state
    closed_date = changes.get("closed_date", current.closed_date)
    if "status" in changes and "state" in changes and (status == "Closed") != (state == "Closed"):
        raise RuleViolation(f"status {status} and state {state} disagree on whether it is closed")
    if current.closed and status != "Closed" and not creating:
        if "state" in changes and state != "Action":
            raise RuleViolation(f"Reopening moves the state to Action, not {state}")
        if changes.get("closed_date") is not None:
            raise RuleViolation("A reopened nonconformity has no closed_date")
        return NcLifecycle(status=status, state="Action", closed_date=None)
    if "state" in changes and not creating:
        check_state_move(current.state, state)
    if status == "Closed" or state == "Closed":
        if closed_date is None or (not current.closed and "closed_date" not in changes):
            closed_date = changes.get("closed_date") or today
        return NcLifecycle(status="Closed", state="Closed", closed_date=closed_date)
    if closed_date is not None:
        raise RuleViolation("closed_date applies only to a closed nonconformity")
    return NcLifecycle(status=status, state=state, closed_date=None)


def capa_moves(current: NcLifecycle) -> tuple[Move, ...]:
    """Every move the workflow knows, in workflow order, each allowed now or refused with
    the reason: the CAPA state moves, then reopening and the administrative close."""
    moves = []
    for target in NC_STATES:
        if target == "New":  # where a nonconformity starts; no move leads back to it
            continue
        reason = (
            f"It is already in {target}"
            if target == current.state
            else _state_move_refusal(current.state, target)
        )
        moves.append(Move(target, MOVE_LABELS[target], reason is None, reason))
    moves.append(
        Move(
            REOPEN,
            MOVE_LABELS[REOPEN],
            current.closed,
            None if current.closed else "Only a closed nonconformity reopens",
        )
    )
    moves.append(
        Move(
            ADMINISTRATIVE_CLOSE,
            MOVE_LABELS[ADMINISTRATIVE_CLOSE],
            not current.closed,
            "It is already closed" if current.closed else None,
        )
    )
    return tuple(moves)


def next_states(current: NcLifecycle) -> list[str]:
    """The CAPA states the record may move to now, sorted by name (the API's allowed_states)."""
    return sorted(
        move.target for move in capa_moves(current) if move.allowed and not move.by_status
    )


# Organisation settings ------------------------------------------------------------------

DEFAULT_READINESS_TARGET: Final = 80
ORG_SETTING_NAMES: Final = ("certification_date", "readiness_target", "capa_strict")


@dataclass(frozen=True)
class OrgSettings:
    """An organisation's choices, with the defaults for what it has not set."""

    certification_date: date | None = None
    readiness_target: int = DEFAULT_READINESS_TARGET
    # Strict CAPA: a state move needs its evidence recorded (see `strict_capa_refusal`).
    capa_strict: bool = False

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any] | None) -> OrgSettings:
        stored = stored or {}
        when = stored.get("certification_date")
        return cls(
            certification_date=date.fromisoformat(when) if when else None,
            readiness_target=int(stored.get("readiness_target", DEFAULT_READINESS_TARGET)),
            capa_strict=bool(stored.get("capa_strict", False)),
        )

    def stored(self) -> dict[str, Any]:
        """As the organisations table keeps it (JSON)."""
        return {
            "certification_date": (
                self.certification_date.isoformat() if self.certification_date else None
            ),
            "readiness_target": self.readiness_target,
            "capa_strict": self.capa_strict,
        }


def org_settings_problems(changes: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with a change of settings, by setting (every door checks this)."""
    found: dict[str, str] = {}
    for name in sorted(set(changes) - set(ORG_SETTING_NAMES)):
        found[name] = "Unknown setting."
    target = changes.get("readiness_target", DEFAULT_READINESS_TARGET)
    if "readiness_target" in changes and (
        isinstance(target, bool) or not isinstance(target, int) or not 0 <= target <= 100
    ):
        found["readiness_target"] = "Must be a whole number between 0 and 100."
    if "capa_strict" in changes and not isinstance(changes["capa_strict"], bool):
        found["capa_strict"] = "Must be true or false."
    when = changes.get("certification_date")
    if when is not None and not isinstance(when, date):
        found["certification_date"] = "Must be a date or null."
    return found


# Strict CAPA: what each move needs recorded first, and how a refusal reads.
STRICT_CAPA_NEEDS: Final[dict[str, tuple[str, ...]]] = {
    "Action": ("root_cause",),
    "Verification": ("corrective_action",),
    "Closed": ("verified_by", "verified_on"),
}
STRICT_CAPA_MESSAGES: Final = {
    "Action": "Moving to Action needs root_cause",
    "Verification": "Moving to Verification needs corrective_action",
    "Closed": "Closing needs verified_by and verified_on",
}


def strict_capa_refusal(target_state: str, record: Mapping[str, Any]) -> str | None:
    """Why strict CAPA refuses moving to `target_state` with `record`'s fields (as they
    would be stored, the same change included), or None when nothing is missing."""
    needs = STRICT_CAPA_NEEDS.get(target_state, ())
    missing = [name for name in needs if record.get(name) in (None, "")]
    return STRICT_CAPA_MESSAGES[target_state] if missing else None

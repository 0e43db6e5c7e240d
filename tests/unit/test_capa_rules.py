"""The CAPA workflow, exhaustively: every pair of states, closure and reopening."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules import (
    ADMINISTRATIVE_CLOSE,
    NC_STATES,
    REOPEN,
    IllegalMove,
    NcLifecycle,
    RuleViolation,
    capa_moves,
    check_state_move,
    next_lifecycle,
    next_states,
    workflow_description,
)

TODAY = date(2026, 11, 28)
ALLOWED = {
    ("New", "Analysis"), ("New", "Action"),
    ("Analysis", "Action"), ("Analysis", "Verification"),
    ("Action", "Verification"),
    ("Verification", "Closed"), ("Verification", "Action"),
}  # fmt: skip


def open_at(state: str) -> NcLifecycle:
    return (
        NcLifecycle(status="Closed", state="Closed", closed_date=date(2026, 1, 2))
        if (state == "Closed")
        else NcLifecycle(status="InProgress", state=state)
    )


@pytest.mark.parametrize("current", NC_STATES)
@pytest.mark.parametrize("target", NC_STATES)
def test_every_pair_of_states(current: str, target: str) -> None:
    before = open_at(current)
    if current == target or (current, target) in ALLOWED:
        check_state_move(current, target)
        after = next_lifecycle(before, {"state": target}, TODAY)
        assert after.state == target
        assert after.closed == (target == "Closed")
        if target == "Closed" and current != "Closed":
            assert after.closed_date == TODAY and after.status == "Closed"
        if current == target:
            assert after == before
    else:
        with pytest.raises(IllegalMove) as refused:
            next_lifecycle(before, {"state": target}, TODAY)
        assert current in str(refused.value) and target in str(refused.value)


@pytest.mark.parametrize("state", ["New", "Analysis", "Action", "Verification"])
def test_status_closed_is_an_administrative_close_from_any_state(state: str) -> None:
    after = next_lifecycle(open_at(state), {"status": "Closed"}, TODAY)
    assert after == NcLifecycle(status="Closed", state="Closed", closed_date=TODAY)


def test_closing_keeps_a_given_closed_date() -> None:
    given = date(2026, 11, 1)
    after = next_lifecycle(
        open_at("Verification"), {"state": "Closed", "closed_date": given}, TODAY
    )
    assert after.closed_date == given


@pytest.mark.parametrize("status", ["Open", "InProgress"])
def test_reopening_moves_to_action_and_clears_the_closed_date(status: str) -> None:
    after = next_lifecycle(open_at("Closed"), {"status": status}, TODAY)
    assert after == NcLifecycle(status=status, state="Action", closed_date=None)


def test_created_closed_is_dated_today() -> None:
    after = next_lifecycle(NcLifecycle(), {"status": "Closed"}, TODAY, creating=True)
    assert after == NcLifecycle(status="Closed", state="Closed", closed_date=TODAY)
    state_closed = next_lifecycle(NcLifecycle(), {"state": "Closed"}, TODAY, creating=True)
    assert state_closed.status == "Closed"


@pytest.mark.parametrize(
    ("before", "changes"),
    [
        (open_at("New"), {"status": "Open", "state": "Closed"}),
        (open_at("New"), {"closed_date": TODAY}),
        (open_at("Closed"), {"status": "Open", "state": "Verification"}),
        (open_at("Closed"), {"status": "Open", "closed_date": TODAY}),
    ],
)
def test_inconsistent_changes_are_refused(before: NcLifecycle, changes: dict) -> None:
    with pytest.raises(RuleViolation):
        next_lifecycle(before, changes, TODAY)


def test_status_moves_between_open_and_in_progress_freely() -> None:
    after = next_lifecycle(open_at("Analysis"), {"status": "Open"}, TODAY)
    assert after == NcLifecycle(status="Open", state="Analysis")


@pytest.mark.parametrize("current", NC_STATES)
def test_the_offered_moves_are_exactly_the_ones_next_lifecycle_accepts(current: str) -> None:
    before = open_at(current)
    moves = capa_moves(before)
    assert [move.target for move in moves] == [*NC_STATES[1:], REOPEN, ADMINISTRATIVE_CLOSE]
    for move in moves:
        assert move.allowed == (move.reason is None), move
        if not move.allowed:
            continue
        after = next_lifecycle(before, move.change, TODAY)
        assert after != before, move
    for move in moves:
        if move.allowed or move.target in (REOPEN, ADMINISTRATIVE_CLOSE):
            continue
        if move.target == current:
            assert move.reason == f"It is already in {current}"
        else:
            with pytest.raises(IllegalMove) as refused:
                next_lifecycle(before, move.change, TODAY)
            assert str(refused.value) == move.reason
    allowed_states = {
        (current, move.target) for move in moves if move.allowed and not move.by_status
    }
    assert allowed_states == {pair for pair in ALLOWED if pair[0] == current}
    assert next_states(before) == sorted(target for _, target in allowed_states)


def test_only_a_closed_nonconformity_reopens_and_only_an_open_one_closes() -> None:
    closed = {move.target: move for move in capa_moves(open_at("Closed"))}
    assert closed[REOPEN].allowed and closed[REOPEN].label == "Reopen"
    assert not closed[ADMINISTRATIVE_CLOSE].allowed
    assert closed[ADMINISTRATIVE_CLOSE].reason == "It is already closed"
    reopened = next_lifecycle(open_at("Closed"), closed[REOPEN].change, TODAY)
    assert reopened == NcLifecycle(status="InProgress", state="Action", closed_date=None)
    open_ = {move.target: move for move in capa_moves(open_at("Analysis"))}
    assert (
        not open_[REOPEN].allowed and open_[REOPEN].reason == "Only a closed nonconformity reopens"
    )
    assert open_[ADMINISTRATIVE_CLOSE].allowed


def test_the_workflow_description_is_written_from_the_transitions() -> None:
    assert workflow_description() == (
        "The CAPA state moves New -> Analysis|Action, Analysis -> Action|Verification, "
        "Action -> Verification, Verification -> Closed|Action; status Closed closes from "
        "any state."
    )

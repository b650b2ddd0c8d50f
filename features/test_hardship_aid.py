"""Steps of hardship_aid.feature: the five steps, escalation and withdrawal, who is paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from features.support import (
    AID_MOVES,
    AID_PATHS,
    Desk,
    assert_allowed_now,
    assert_outcome,
    cell,
    move,
    names,
    not_allowed,
    path,
)

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("hardship_aid.feature")

ENDED = {"escalated": "escalate", "withdrawn": "withdraw"}

#: Good approvals, one field of which an outline row spoils.
HELP: dict[str, dict[str, Any]] = {
    "one-off relief": {"kind": "one_off", "fund": "county-aid", "amount": Decimal("300")},
    "a monthly subsidy": {"kind": "monthly_subsidy", "fund": "county-aid",
                          "monthly_amount": Decimal("200"), "first_month": "2023-01"},
}


def view(desk: Desk) -> Any:
    """The aid case as `cw.aid.get` shows it."""
    return desk.cw.aid.get(desk.case)


def act(desk: Desk, name: str) -> None:
    move(AID_MOVES, name)(desk.cw, desk.case, desk.tick())


# --- the five steps -------------------------------------------------------------------


@when(parsers.re(r"the aid officer receives a request from (?P<worker>[\w-]+) by "
                 r"(?P<channel>\w+) \(接待\)"))
def receive_request(desk: Desk, worker: str, channel: str) -> None:
    desk.case = desk.cw.aid.receive(channel=channel, worker=worker, summary="lost his job",
                                    at=desk.tick(), actor="a-01")


@when("the aid officer accepts it (受理)")
def accept(desk: Desk) -> None:
    act(desk, "accept")


@when("the aid officer approves a re-employment referral (處理)")
def approve_referral(desk: Desk) -> None:
    act(desk, "approve")
    assert (view(desk).help or {}).get("kind") == "referral"


@when("the aid officer implements it (落實)")
def implement(desk: Desk) -> None:
    act(desk, "implement")


@when("the aid officer records the worker's feedback (反饋)")
def feedback(desk: Desk) -> None:
    act(desk, "record_feedback")
    assert view(desk).feedback


@when("the aid officer closes it")
def close(desk: Desk) -> None:
    act(desk, "close")


@then(parsers.parse("its history reads: {moves}"))
def history_reads(desk: Desk, moves: str) -> None:
    assert [s.type for s in view(desk).history] == names(moves)


@when(parsers.parse('the aid officer declines it because "{reason}"'))
def decline(desk: Desk, reason: str) -> None:
    desk.cw.aid.decline(desk.case, reason=reason, at=desk.tick(), actor="a-01")


@then(parsers.parse('the aid case is declined, because "{reason}"'))
def declined_because(desk: Desk, reason: str) -> None:
    v = view(desk)
    assert (v.state, v.reason) == ("declined", reason)


# --- the lifecycle --------------------------------------------------------------------


@given(parsers.re(r"an aid case that is (?P<state>\w+)"))
def aid_case_in_state(desk: Desk, state: str) -> None:
    desk.case = desk.cw.aid.receive(channel="phone", summary="medical bills", at=desk.tick(),
                                    actor="a-01")
    for name in path(AID_PATHS, state):
        act(desk, name)
    assert view(desk).state == state


@when(parsers.re(r"the aid officer tries to (?P<name>\w+) it"))
def try_move(desk: Desk, name: str) -> None:
    desk.before = view(desk)
    desk.tried = {"move": name}
    make = move(AID_MOVES, name)
    desk.attempt(lambda: make(desk.cw, desk.case, desk.tick()))


@when(parsers.re(r"the aid officer tries a move the lifecycle does not allow from "
                 r"(?P<state>\w+)"))
def try_forbidden_move(desk: Desk, state: str) -> None:
    try_move(desk, not_allowed(AID_MOVES, view(desk).allowed))


@then(parsers.parse("the outcome is {outcome}"))
def outcome_is(desk: Desk, outcome: str) -> None:
    assert_outcome(desk, view(desk), outcome)


@then(parsers.parse("it is refused, and the moves allowed now are: {allowed}"))
def refused_with_allowed(desk: Desk, allowed: str) -> None:
    assert_allowed_now(desk, view(desk), allowed)


# --- referral and withdrawal ------------------------------------------------------------


@when(parsers.re(r'the aid officer refers it to (?P<to>\w+) because "(?P<reason>.*)"'))
def refer(desk: Desk, to: str, reason: str) -> None:
    desk.before = view(desk)
    desk.tried = {"to": to}
    desk.attempt(lambda: desk.cw.aid.escalate(desk.case, to=to, reason=reason,
                                              at=desk.tick(), actor="a-01"))


@then(parsers.parse("the aid case is escalated, referred to {to}"))
def referred(desk: Desk, to: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    v = view(desk)
    assert (v.state, v.referred_to) == ("escalated", to)


# --- who can be paid ----------------------------------------------------------------------


@given(parsers.re(r"the aid case is (?P<state>escalated|withdrawn) before the quarter is paid"))
def ended_before_payout(desk: Desk, state: str) -> None:
    act(desk, ENDED[state])
    assert view(desk).state == state


@when(parsers.re(r"the aid officer approves (?P<help>one-off relief|a monthly subsidy) with "
                 r"(?P<field>\w+) = (?P<value>.*)"), converters={"value": cell})
def approve_badly(desk: Desk, help: str, field: str, value: Any) -> None:
    desk.before = view(desk)
    args = HELP[help] | {"at": desk.tick(), "actor": "a-01"}
    if value == "missing":
        del args[field]
    else:
        desk.tried = {field: value}
        args[field] = value
    desk.attempt(lambda: desk.cw.aid.approve(desk.case, **args))

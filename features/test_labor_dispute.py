"""Steps of labor_dispute.feature: the lifecycle, the 15-day clock, bad input. The
procedure's own rules (bodies, rules by date, extension, termination, agreements) are in
mediation_procedure.feature."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from features.support import (
    DATE,
    DISPUTE_MOVES,
    DISPUTE_PATHS,
    ENTERPRISE,
    Desk,
    assert_allowed_now,
    assert_outcome,
    cell,
    day,
    move,
    names,
    not_allowed,
    path,
)

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("labor_dispute.feature")

ENDED = {"resolved": "resolve", "terminated": "terminate", "withdrawn": "withdraw"}


def at_nine(d: date) -> datetime:
    return datetime.combine(d, time(9))


def petition(**changes: Any) -> dict[str, Any]:
    """A good petition, with `changes`."""
    return {
        "category": "wages", "workers": 3, "amount": Decimal("12000"), "channel": "visit",
        "employer": "Acme Textiles", "summary": "May wages unpaid",
        "petitioner": "Wang Xiaoming", "contact": "138-0000-0000", "actor": "m-01",
    } | changes


def view(desk: Desk, case: str | None = None) -> Any:
    """The dispute as `cw.disputes.get` shows it."""
    return desk.cw.disputes.get(case or desk.case)


def receive(desk: Desk, at: datetime, actor: str = "m-01", org: str | None = None) -> str:
    desk.case = desk.cw.disputes.receive(**petition(actor=actor, org=org), at=at)
    desk.cases.append(desk.case)
    return desk.case


def walk(desk: Desk, moves: tuple[str, ...], on: date | None = None) -> None:
    for name in moves:
        move(DISPUTE_MOVES, name)(desk.cw, desk.case, desk.tick(on))
        on = None


# --- the lifecycle -------------------------------------------------------------------


@given(parsers.re(r"a dispute that is (?P<state>\w+)"))
def dispute_in_state(desk: Desk, state: str) -> None:
    """Received at an enterprise committee (its rule allows an extension), then moved on
    after the law's 15 days from receipt (a party may apply for arbitration by then)."""
    desk.cw.bodies.register(ENTERPRISE, name="Acme Textiles mediation committee",
                            kind="enterprise_committee", at=desk.tick(), actor="s-01")
    receive(desk, desk.tick(), org=ENTERPRISE)
    desk.tick(desk.now.date() + timedelta(days=20))
    walk(desk, path(DISPUTE_PATHS, state))
    assert view(desk).state == state


@when(parsers.re(r"the mediator tries to (?P<name>\w+) it"))
def try_move(desk: Desk, name: str) -> None:
    desk.before = view(desk)
    desk.tried = {"move": name}
    make = move(DISPUTE_MOVES, name)
    desk.attempt(lambda: make(desk.cw, desk.case, desk.tick()))


@when(parsers.re(r"the mediator tries a move the lifecycle does not allow from (?P<state>\w+)"))
def try_forbidden_move(desk: Desk, state: str) -> None:
    try_move(desk, not_allowed(DISPUTE_MOVES, view(desk).allowed))


@then(parsers.parse("the outcome is {outcome}"))
def outcome_is(desk: Desk, outcome: str) -> None:
    assert_outcome(desk, view(desk), outcome)


@then(parsers.parse("it is refused, and the moves allowed now are: {allowed}"))
def refused_with_allowed(desk: Desk, allowed: str) -> None:
    assert_allowed_now(desk, view(desk), allowed)


@given(parsers.re(rf"a petition received on (?P<on>{DATE}) by (?P<actor>[\w-]+)"),
       converters={"on": day})
def petition_received(desk: Desk, on: date, actor: str) -> None:
    receive(desk, at_nine(on), actor)


@then(parsers.parse("the petitions are numbered {numbers}"))
def numbered(desk: Desk, numbers: str) -> None:
    assert desk.cases == names(numbers)


@then(parsers.re(rf"the history of (?P<case>\S+) is: (?P<what>\w+) by (?P<actor>\S+) "
                 rf"on (?P<on>{DATE})"), converters={"on": day})
def history_is(desk: Desk, case: str, what: str, actor: str, on: date) -> None:
    (step,) = view(desk, case).history
    assert (step.type, step.actor, step.at.date()) == (what, actor, on)


# --- the 15-day clock -----------------------------------------------------------------


@given(parsers.re(rf"a dispute received on (?P<received>{DATE})$"),
       converters={"received": day})
def dispute_received(desk: Desk, received: date) -> None:
    receive(desk, desk.tick(received))


@given(parsers.re(rf"a dispute received on (?P<received>{DATE}) and accepted on "
                  rf"(?P<accepted>{DATE})$"), converters={"received": day, "accepted": day})
def dispute_accepted(desk: Desk, received: date, accepted: date) -> None:
    receive(desk, desk.tick(received))
    walk(desk, ("accept",), accepted)


@given(parsers.re(rf"mediation started on (?P<on>{DATE})"), converters={"on": day})
def mediation_started(desk: Desk, on: date) -> None:
    walk(desk, ("start_mediation",), on)


@when(parsers.re(rf"it is (?P<ended>resolved|terminated|withdrawn) on (?P<on>{DATE})"),
      converters={"on": day})
def it_ended(desk: Desk, ended: str, on: date) -> None:
    walk(desk, (ENDED[ended],), on)
    assert view(desk).state == ended


@when(parsers.re(rf"the mediator tries to escalate it to (?P<to>\w+) on (?P<on>{DATE})"),
      converters={"on": day})
def escalated_to(desk: Desk, to: str, on: date) -> None:
    at = desk.tick(on)
    desk.before = view(desk)
    desk.tried = {"to": to}
    desk.attempt(lambda: desk.cw.disputes.escalate(desk.case, to=to, reason="15 days passed",
                                                   at=at, actor="m-02"))


@then(parsers.parse("the dispute is escalated, to {to}"))
def is_escalated(desk: Desk, to: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    v = view(desk)
    assert (v.state, v.escalated_to) == ("escalated", to)


@then(parsers.re(r"its rule is (?P<rule>[\w-]+)"))
def rule_is(desk: Desk, rule: str) -> None:
    assert view(desk).rule == rule


@then(parsers.re(rf"its mediation deadline is (?P<deadline>{DATE})"),
      converters={"deadline": day})
def deadline_is(desk: Desk, deadline: date) -> None:
    assert view(desk).mediation_deadline == deadline


@then("it has no mediation deadline")
def no_deadline(desk: Desk) -> None:
    assert view(desk).mediation_deadline is None


@then(parsers.re(rf"on (?P<on>{DATE}) it is (?P<status>overdue|not overdue)"),
      converters={"on": day})
def overdue_on(desk: Desk, on: date, status: str) -> None:
    assert view(desk).is_overdue(on=on) is (status == "overdue")


@given("disputes accepted for mediation:")
def disputes_accepted(desk: Desk, datatable: list[list[str]]) -> None:
    head, *rows = datatable
    for row in rows:
        r = dict(zip(head, row, strict=True))
        accepted = at_nine(day(r["accepted"]))
        case = receive(desk, accepted - timedelta(hours=1))
        assert case == r["case"]
        DISPUTE_MOVES["accept"](desk.cw, case, accepted)
        DISPUTE_MOVES["start_mediation"](desk.cw, case, accepted + timedelta(hours=1))
        if r["resolved"]:
            DISPUTE_MOVES["resolve"](desk.cw, case, at_nine(day(r["resolved"])))


@then(parsers.re(rf"the disputes overdue on (?P<on>{DATE}) are (?P<cases>.+)"),
      converters={"on": day})
def overdue_list(desk: Desk, on: date, cases: str) -> None:
    assert sorted(c.number for c in desk.cw.disputes.list(overdue_on=on)) == names(cases)


# --- bad input ------------------------------------------------------------------------


@when(parsers.re(r"a petition is received with (?P<field>\w+) = (?P<value>.*)"),
      converters={"value": cell})
def receive_bad(desk: Desk, field: str, value: Any) -> None:
    desk.before = desk.cw.disputes.list()
    desk.tried = {field: value}
    desk.attempt(lambda: desk.cw.disputes.receive(**petition(at=desk.tick()) | desk.tried))


@then(parsers.parse("no dispute was stored: the next good petition becomes {number}"))
def nothing_received(desk: Desk, number: str) -> None:
    assert desk.cw.disputes.list() == desk.before
    assert desk.cw.disputes.receive(**petition(), at=desk.tick()) == number


@given(parsers.re(rf"a dispute in mediation since (?P<on>{DATE})"), converters={"on": day})
def dispute_mediating(desk: Desk, on: date) -> None:
    dispute_accepted(desk, on - timedelta(days=2), on - timedelta(days=1))
    mediation_started(desk, on)


COMMAND_ARGS: dict[str, dict[str, Any]] = {
    "resolve": {"settled_amount": Decimal("11000")},
    "escalate": {"to": "labour_inspection", "reason": "no agreement"},
    "withdraw": {"reason": "settled with the employer"},
}


@when(parsers.re(r"the mediator tries to (?P<command>\w+) it with (?P<field>\w+) = "
                 r"(?P<value>.*)"), converters={"value": cell})
def try_bad_command(desk: Desk, command: str, field: str, value: Any) -> None:
    desk.before = view(desk)
    desk.tried = {field: value}
    args = {"case": desk.case, "at": desk.tick(), "actor": "m-02"} | COMMAND_ARGS[command]
    run = getattr(desk.cw.disputes, command)
    desk.attempt(lambda: run(**args | desk.tried))


@then(parsers.parse("the dispute is still {state}, its history unchanged"))
def unchanged(desk: Desk, state: str) -> None:
    after = view(desk)
    assert after.state == state
    assert after == desk.before

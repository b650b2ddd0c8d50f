"""Steps of hardship_register.feature: enrol, review, exit, re-enrol; counts at a date."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from features.support import DATE, Desk, cell, day, names

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("hardship_register.feature")

WORKER = r"(?P<worker>[\w-]+)"

#: Good arguments of each register command, one of which an outline row spoils.
COMMAND_ARGS: dict[str, dict[str, Any]] = {
    "enrol": {"reason": "illness"},
    "review": {"reason": "illness", "note": "re-verified at the yearly review"},
    "exit": {"reason": "recovered"},
}


def entry(desk: Desk, worker: str) -> Any:
    """The register entry as `cw.register.get` shows it."""
    return desk.cw.register.get(worker)


@given(parsers.re(rf"the aid officer enrols {WORKER} on (?P<on>{DATE}) for (?P<reason>\w+)"),
       converters={"on": day})
@when(parsers.re(rf"the aid officer enrols {WORKER} on (?P<on>{DATE}) for (?P<reason>\w+)"),
      converters={"on": day})
def enrol(desk: Desk, worker: str, on: date, reason: str) -> None:
    desk.cw.register.enrol(worker, reason=reason, name=f"worker {worker}", at=desk.tick(on),
                           actor="a-01")


@when(parsers.re(rf"the aid officer reviews {WORKER} on (?P<on>{DATE}), now for (?P<reason>\w+)"),
      converters={"on": day})
def review(desk: Desk, worker: str, on: date, reason: str) -> None:
    desk.cw.register.review(worker, reason=reason, note="yearly re-verification",
                            at=desk.tick(on), actor="a-01")


@given(parsers.re(rf"{WORKER} left the register on (?P<on>{DATE})"), converters={"on": day})
@when(parsers.re(rf"{WORKER} leaves the register on (?P<on>{DATE}), (?P<reason>\w+)"),
      converters={"on": day})
def leave(desk: Desk, worker: str, on: date, reason: str = "recovered") -> None:
    desk.cw.register.exit(worker, reason=reason, at=desk.tick(on), actor="a-01")


@given(parsers.re(rf"{WORKER} (?P<standing>on the register|off the register)"))
def standing(desk: Desk, worker: str, standing: str) -> None:
    enrol(desk, worker, date(2023, 1, 10), "illness")
    if standing == "off the register":
        leave(desk, worker, date(2023, 3, 1))


@then(parsers.re(rf"{WORKER} is on the register, for (?P<reason>\w+)"))
def on_register(desk: Desk, worker: str, reason: str) -> None:
    e = entry(desk, worker)
    assert (e.active, e.reason, e.exited_at, e.exit_reason) == (True, reason, None, None)


@then(parsers.re(rf"{WORKER} is off the register since (?P<on>{DATE}), (?P<reason>\w+)"),
      converters={"on": day})
def off_register(desk: Desk, worker: str, on: date, reason: str) -> None:
    e = entry(desk, worker)
    assert e.active is False
    assert (e.exited_at.date(), e.exit_reason) == (on, reason)


@then(parsers.re(rf"the register history of {WORKER} reads: (?P<moves>.+)"))
def history(desk: Desk, worker: str, moves: str) -> None:
    assert [s.type for s in entry(desk, worker).history] == names(moves)


@when(parsers.re(rf"the aid officer tries to (?P<command>enrol|review|exit) {WORKER} with "
                 rf"(?P<field>\w+) = (?P<value>.*)"), converters={"value": cell})
def try_command(desk: Desk, command: str, worker: str, field: str, value: Any) -> None:
    desk.before = entry(desk, worker)
    desk.tried = {field: value}
    args = {"worker": worker, "at": desk.tick(), "actor": "a-01"} | COMMAND_ARGS[command]
    run = getattr(desk.cw.register, command)
    desk.attempt(lambda: run(**args | desk.tried))


@then(parsers.re(rf"the register entry of {WORKER} is unchanged"))
def unchanged(desk: Desk, worker: str) -> None:
    assert entry(desk, worker) == desk.before, "a refused command stored something"


# --- counts at a date -------------------------------------------------------------------


@given("these register moves:")
def register_moves(desk: Desk, datatable: list[list[str]]) -> None:
    head, *rows = datatable
    for row in rows:
        r = dict(zip(head, row, strict=True))
        at = datetime.combine(day(r["on"]), time(9))
        if r["move"] == "enrol":
            desk.cw.register.enrol(r["worker"], reason="illness", org=r["org"], at=at,
                                   actor="a-01")
        else:
            assert r["move"] == "exit", r
            desk.cw.register.exit(r["worker"], reason="recovered", at=at, actor="a-01")


@then(parsers.re(rf"on (?P<on>{DATE}) the register of (?P<org>[\w-]+|every body) counts "
                 r"(?P<count>\d+)"), converters={"on": day, "count": int})
def counts(desk: Desk, on: date, org: str, count: int) -> None:
    """The read model and a replay of the log agree on the count."""
    body = None if org == "every body" else org
    for replay in (False, True):
        report = desk.cw.report(date(on.year, 1, 1), on, org=body, replay=replay)
        assert report.aid.registered_workers == count, f"replay={replay}"

"""Steps of access.feature: an actors directory over the scenario's store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from casework import Actor, Casework, Directory, PermissionDenied

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("access.feature")


@dataclass
class Office:
    store: str
    cw: Casework | None = None
    case: str = ""
    history: int = 0
    refused: PermissionDenied | None = None
    seen: Any = None
    worker: str = ""
    org: str = ""
    clock: datetime = field(default_factory=lambda: datetime(2023, 3, 1, 9))

    def tick(self) -> datetime:
        self.clock += timedelta(hours=1)
        return self.clock


@pytest.fixture
def office(store_url: str) -> Iterator[Office]:
    desk = Office(store_url)
    yield desk
    if desk.cw is not None:
        desk.cw.close()


def _table(datatable: list[list[str]]) -> list[dict[str, str]]:
    head, *rows = datatable
    return [dict(zip(head, row, strict=True)) for row in rows]


@given("these actors")
def these_actors(office: Office, datatable: list[list[str]]) -> None:
    actors = {r["actor"]: Actor(r["actor"], r["role"], tuple(r["bodies"].split(",")))
              for r in _table(datatable)}
    office.cw = Casework(store=office.store, actors=Directory(actors))


@given("no actors file")
def no_actors_file(office: Office) -> None:
    assert office.cw is not None
    office.cw.close()
    office.cw = Casework(store=office.store)


@given(parsers.parse("a dispute of {org} received by {actor}"))
def dispute_received(office: Office, org: str, actor: str) -> None:
    assert office.cw is not None
    office.case = office.cw.disputes.receive(
        category="wages", workers=2, amount=Decimal(8000), channel="visit", employer="Acme",
        petitioner="Wang Xiaoming", org=org, at=office.tick(), actor=actor)
    office.history = len(office.cw.disputes.get(office.case, actor="sup").history)


@given(parsers.parse("an accepted aid case of {org}"))
def accepted_aid_case(office: Office, org: str) -> None:
    cw = office.cw
    assert cw is not None
    for code, body in (("aid", org), ("subdistrict-aid", "subdistrict")):
        cw.funds.open(code, name="aid fund", org=body, at=office.tick(), actor="sup")
        cw.funds.contribute(code, amount=Decimal(10_000), source="allocation",
                            at=office.tick(), actor="sup")
    office.case = cw.aid.receive(channel="phone", org=org, at=office.tick(), actor="sup")
    cw.aid.accept(office.case, at=office.tick(), actor="sup")


def attempt(office: Office, command: object) -> None:
    try:
        command()  # type: ignore[operator]
    except PermissionDenied as e:
        office.refused = e


@when(parsers.parse("{actor} accepts the dispute"))
def accepts(office: Office, actor: str) -> None:
    cw = office.cw
    assert cw is not None
    attempt(office, lambda: cw.disputes.accept(office.case, at=office.tick(), actor=actor))


@when(parsers.parse("{actor} approves it as {help} of {amount}"))
def approves(office: Office, actor: str, help: str, amount: str) -> None:
    cw = office.cw
    assert cw is not None
    money = Decimal(amount)
    extra = ({"amount": money} if help == "one_off"
             else {"monthly_amount": money, "first_month": "2023-04"})
    attempt(office, lambda: cw.aid.approve(office.case, kind=help, fund="aid",
                                           at=office.tick(), actor=actor, **extra))


@then(parsers.parse("the command is {outcome}"))
def outcome_is(office: Office, outcome: str) -> None:
    assert (office.refused is None) == (outcome == "made"), office.refused


@then("the dispute is still received, its history unchanged")
def dispute_unchanged(office: Office) -> None:
    assert office.cw is not None
    view = office.cw.disputes.get(office.case, actor="sup")
    assert view.state == "received" and len(view.history) == office.history


@then(parsers.parse("{viewer} sees {n:d} refusal: {actor} tried to {move} the dispute"))
def sees_refusals(office: Office, viewer: str, n: int, actor: str, move: str) -> None:
    assert office.cw is not None
    refusals = office.cw.access.refusals(viewer)
    assert [(r.actor, r.move, r.record) for r in refusals] == [(actor, move, office.case)]
    assert len(refusals) == n


@then(parsers.parse("{viewer} may not read the refusals"))
def may_not_read(office: Office, viewer: str) -> None:
    assert office.cw is not None
    with pytest.raises(PermissionDenied):
        office.cw.access.refusals(viewer)


@when(parsers.parse("{actor} reads the dispute"))
def reads(office: Office, actor: str) -> None:
    cw = office.cw
    assert cw is not None
    office.seen = None
    attempt(office, lambda: setattr(office, "seen", cw.disputes.get(office.case, actor=actor)))


@then(parsers.parse("the read is {outcome}"))
def read_is(office: Office, outcome: str) -> None:
    if outcome == "refused":
        assert office.refused is not None and office.seen is None
        return
    assert office.refused is None, office.refused
    assert office.seen is not None and office.seen.number == office.case
    expected = None if outcome == "shown without the petitioner" else "Wang Xiaoming"
    assert office.seen.petitioner == expected


@given(parsers.parse("worker {worker} of {org} already had one-off aid of {a:d} and {b:d} "
                     "this year"))
def had_one_offs(office: Office, worker: str, org: str, a: int, b: int) -> None:
    cw = office.cw
    assert cw is not None
    cw.funds.open("aid", name="aid fund", org=org, at=office.tick(), actor="sup")
    cw.funds.contribute("aid", amount=Decimal(10_000), source="allocation", at=office.tick(),
                        actor="sup")
    for amount in (a, b):
        case = cw.aid.receive(channel="visit", worker=worker, org=org, at=office.tick(),
                              actor="sup")
        cw.aid.accept(case, at=office.tick(), actor="sup")
        cw.aid.approve(case, kind="one_off", fund="aid", amount=amount, at=office.tick(),
                       actor="sup")
    office.worker, office.org = worker, org


@when(parsers.parse("{actor} approves another one-off of {amount:d} for {worker}"))
def approves_another(office: Office, actor: str, amount: int, worker: str) -> None:
    cw = office.cw
    assert cw is not None
    office.refused = None
    case = cw.aid.receive(channel="visit", worker=worker, org=office.org, at=office.tick(),
                          actor="sup")
    cw.aid.accept(case, at=office.tick(), actor="sup")
    attempt(office, lambda: cw.aid.approve(case, kind="one_off", fund="aid", amount=amount,
                                           at=office.tick(), actor=actor))


@when(parsers.parse("{actor} decides one-off relief of {amount:d} from {body}'s fund"))
def approves_from(office: Office, actor: str, amount: int, body: str) -> None:
    cw = office.cw
    assert cw is not None
    attempt(office, lambda: cw.aid.approve(office.case, kind="one_off", fund=f"{body}-aid",
                                           amount=amount, at=office.tick(), actor=actor))


@then(parsers.parse("{viewer}, supervisor of {org} only, sees no refusal of {other}"))
def sees_own_bodies(office: Office, viewer: str, org: str, other: str) -> None:
    assert office.cw is not None
    assert all(r.org != other for r in office.cw.access.refusals(viewer))

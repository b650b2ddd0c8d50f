"""Steps of access.feature: an actors directory over the scenario's store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

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
        org=org, at=office.tick(), actor=actor)
    office.history = len(office.cw.disputes.get(office.case).history)


@given(parsers.parse("an accepted aid case of {org}"))
def accepted_aid_case(office: Office, org: str) -> None:
    cw = office.cw
    assert cw is not None
    cw.funds.open("aid", name="aid fund", org=org, at=office.tick(), actor="sup")
    cw.funds.contribute("aid", amount=Decimal(10_000), source="allocation", at=office.tick(),
                        actor="sup")
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
    view = office.cw.disputes.get(office.case)
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

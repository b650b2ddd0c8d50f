"""Two mediators on one case at the same moment: one wins, the other is told to retry.

Deterministic: two `Casework` instances on one store, and the loser's load is made to let
the winner's command in between its read and its write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from casework import Casework, ConcurrentUpdate, InvalidTransition, retry
from domain.aid import HardshipAidCase
from domain.disputes import LabourDispute
from domain.funds import AidFund

T0 = datetime(2023, 3, 1, 9)


def at(hour: int) -> datetime:
    return T0.replace(hour=hour)


@pytest.fixture
def other(store_url: str, cw: Casework) -> Iterator[Casework]:
    """A second mediator's Casework on the same store (another desk, another process)."""
    with Casework(store=store_url) as app:
        yield app


def dispute(cw: Casework) -> str:
    return cw.disputes.receive(category="wages", workers=4, amount=Decimal("20000"),
                               channel="visit", employer="Acme Textiles", at=T0, actor="m-01")


def events(cw: Casework, kind: Any, key: str) -> list[str]:
    stored = cw.log.recorder.select_events(kind.id_for(key))
    return [e.topic.rsplit(".", 1)[-1] for e in stored]


def interfere(loser: Casework, kind: Any, winner: Callable[[], None], times: int = 1) -> list[int]:
    """Make `loser`'s next loads of `kind` run `winner` after reading: a lost race."""
    real, ran = loser.log.load, [0]

    def load(k: Any, key: str) -> Any:
        record = real(k, key)
        if k is kind and ran[0] < times:
            ran[0] += 1
            winner()
        return record

    loser.log.load = load  # type: ignore[method-assign]
    return ran


def test_two_mediators_loading_the_same_case_one_wins(cw: Casework, other: Casework) -> None:
    case = dispute(cw)
    mine, theirs = cw.log.load(LabourDispute, case), other.log.load(LabourDispute, case)
    mine.accept(at=cw.clock.when(at(10)), actor="m-01")
    theirs.decline(reason="not a labour matter", notice_on=at(11).date(),
                   at=other.clock.when(at(11)), actor="m-02")
    cw.log.record(mine)
    with pytest.raises(ConcurrentUpdate) as lost:
        other.log.record(theirs)
    assert lost.value.key == case
    assert case in str(lost.value)
    assert "reload" in str(lost.value) and "retry" in str(lost.value)
    assert other.disputes.get(case).state == "accepted"
    assert events(cw, LabourDispute, case) == ["Received", "Accepted"]


def test_losing_command_through_the_api_stores_nothing(cw: Casework, other: Casework) -> None:
    case = dispute(cw)
    interfere(other, LabourDispute,
              lambda: cw.disputes.accept(case, at=at(10), actor="m-01"))
    with pytest.raises(ConcurrentUpdate, match=case):
        other.disputes.decline(case, reason="not a labour matter", notice_on=at(11).date(),
                               at=at(11), actor="m-02")
    assert cw.disputes.get(case).state == "accepted"
    assert [s.type for s in cw.disputes.get(case).history] == ["receive", "accept"]
    assert [line.state for line in cw.disputes.list()] == ["accepted"]


def test_retry_reruns_the_command_on_the_winners_state(cw: Casework, other: Casework) -> None:
    case = dispute(cw)
    cw.disputes.accept(case, at=at(10), actor="m-01")
    ran = interfere(other, LabourDispute, lambda: cw.disputes.start_mediation(
        case, mediator="m-01", at=at(11), actor="m-01"))
    # The winner started mediation: on reload, withdrawing is still allowed and goes through.
    retry(lambda: other.disputes.withdraw(case, reason="paid by the employer", at=at(12),
                                          actor="m-02"))
    assert ran == [1]
    view = cw.disputes.get(case)
    assert (view.state, view.mediator, view.reason) == ("withdrawn", "m-01",
                                                        "paid by the employer")
    assert events(cw, LabourDispute, case) == ["Received", "Accepted", "MediationStarted",
                                               "Withdrawn"]


def test_retry_does_not_repeat_a_move_the_winner_made(cw: Casework, other: Casework) -> None:
    case = dispute(cw)
    interfere(other, LabourDispute, lambda: cw.disputes.accept(case, at=at(10), actor="m-01"))
    with pytest.raises(InvalidTransition, match="is accepted: cannot accept"):
        retry(lambda: other.disputes.accept(case, at=at(11), actor="m-02"))
    assert events(cw, LabourDispute, case) == ["Received", "Accepted"]


def test_retry_gives_up_after_its_attempts(cw: Casework, other: Casework) -> None:
    fund = cw.funds.open("city-aid", name="City aid fund", at=T0, actor="a-01")
    amounts = iter(range(1, 100))
    ran = interfere(other, AidFund, lambda: cw.funds.contribute(
        fund, amount=next(amounts), source="drive", at=at(10), actor="a-01"), times=99)
    with pytest.raises(ConcurrentUpdate, match="city-aid"):
        retry(lambda: other.funds.contribute(fund, amount=500, source="allocation",
                                             at=at(11), actor="a-02"), attempts=4)
    assert ran == [4]
    assert cw.funds.balance(fund) == 1 + 2 + 3 + 4


def test_a_two_record_command_is_all_or_nothing(cw: Casework, other: Casework) -> None:
    """Paying one-off relief writes the case and its fund together: a race on the fund
    leaves the case unpaid too, and the error names the fund, not the case."""
    fund = cw.funds.open("city-aid", name="City aid fund", at=T0, actor="a-01")
    cw.funds.contribute(fund, amount=1000, source="drive", at=T0, actor="a-01")
    case = cw.aid.receive(channel="phone", summary="medical bills", at=T0, actor="a-01")
    cw.aid.accept(case, at=at(10), actor="a-01")
    cw.aid.approve(case, kind="one_off", fund=fund, amount=800, at=at(10), actor="a-01")
    interfere(other, AidFund, lambda: cw.funds.contribute(
        fund, amount=300, source="allocation", at=at(11), actor="a-01"))
    with pytest.raises(ConcurrentUpdate) as lost:
        other.aid.implement(case, at=at(12), actor="a-02")
    assert lost.value.key == fund
    assert cw.aid.get(case).state == "approved" and cw.aid.get(case).paid == 0
    assert cw.funds.get(fund).disbursed == 0 and cw.funds.balance(fund) == 1300
    assert events(cw, HardshipAidCase, case)[-1] == "Approved"

    retry(lambda: other.aid.implement(case, at=at(12), actor="a-02"))
    assert cw.aid.get(case).state == "implemented" and cw.aid.get(case).paid == 800
    assert cw.funds.balance(fund) == 500

"""Hardship aid, the register and funds through the public API, on both stores."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from casework import (
    AlreadyExists,
    Casework,
    InsufficientFunds,
    InvalidInput,
    InvalidTransition,
)


def events(cw: Casework) -> int:
    return cw.log.recorder.max_notification_id() or 0


@pytest.fixture
def fund(cw: Casework) -> str:
    cw.funds.open("relief", name="Relief fund", org="county", at=datetime(2022, 12, 1),
                  actor="a-01")
    cw.funds.contribute("relief", amount=Decimal("5000"), source="city allocation",
                        at=datetime(2022, 12, 2), actor="a-01")
    return "relief"


def subsidy(cw: Casework, fund: str, worker: str, monthly: int, first: str,
            months: int | None = None) -> str:
    cw.register.enrol(worker, reason="illness", org="county", at=datetime(2022, 12, 3),
                      actor="a-01")
    case = cw.aid.receive(channel="visit", worker=worker, org="county",
                          at=datetime(2022, 12, 5), actor="a-01")
    cw.aid.accept(case, at=datetime(2022, 12, 6), actor="a-01")
    cw.aid.approve(case, kind="monthly_subsidy", fund=fund, monthly_amount=monthly,
                   first_month=first, months=months, at=datetime(2022, 12, 7), actor="a-01")
    return case


def test_the_five_steps(cw: Casework, fund: str) -> None:
    case = cw.aid.receive(channel="phone", petitioner="Li Hua", org="county",
                          at=datetime(2023, 2, 1), actor="a-01")
    assert case == "HA-2023-0001"
    cw.aid.accept(case, at=datetime(2023, 2, 2), actor="a-01")
    cw.aid.approve(case, kind="one_off", fund=fund, amount=Decimal("1500"),
                   at=datetime(2023, 2, 3), actor="a-01")
    cw.aid.implement(case, at=datetime(2023, 2, 4), actor="a-01")
    cw.aid.record_feedback(case, feedback="received, thank you", at=datetime(2023, 2, 10),
                           actor="a-01")
    cw.aid.close(case, at=datetime(2023, 2, 11), actor="a-01")
    view = cw.aid.get(case)
    assert view.state == "closed"
    assert view.paid == Decimal("1500")
    assert [h.type for h in view.history] == [
        "receive", "accept", "approve", "implement", "record_feedback", "close"]
    assert cw.funds.balance(fund) == Decimal("3500")


def test_a_payment_that_would_overdraw_the_fund_stores_nothing(cw: Casework, fund: str) -> None:
    case = cw.aid.receive(channel="visit", org="county", at=datetime(2023, 2, 1), actor="a")
    cw.aid.accept(case, at=datetime(2023, 2, 2), actor="a")
    cw.aid.approve(case, kind="one_off", fund=fund, amount=Decimal("6000"),
                   at=datetime(2023, 2, 3), actor="a")
    before = events(cw)
    with pytest.raises(InsufficientFunds, match="relief"):
        cw.aid.implement(case, at=datetime(2023, 2, 4), actor="a")
    assert events(cw) == before
    assert cw.aid.get(case).state == "approved"
    assert cw.funds.balance(fund) == Decimal("5000")


def test_quarterly_payouts_pay_each_subsidy_once(cw: Casework, fund: str) -> None:
    january = subsidy(cw, fund, "C-1", 200, "2023-01")
    february = subsidy(cw, fund, "C-2", 150, "2023-02", months=1)
    july = subsidy(cw, fund, "C-3", 180, "2023-07")
    first = cw.aid.pay_quarter("2023Q1", at=datetime(2023, 3, 31), actor="a")
    assert {(p.to, p.amount) for p in first.paid} == {(january, 600), (february, 150)}
    again = cw.aid.pay_quarter("2023Q1", at=datetime(2023, 4, 1), actor="a")
    assert again.paid == ()
    assert set(again.already_paid) == {january, february}
    second = cw.aid.pay_quarter("2023Q2", at=datetime(2023, 6, 30), actor="a")
    assert [(p.to, p.amount) for p in second.paid] == [(january, Decimal(600))]
    assert cw.funds.balance(fund) == Decimal(5000 - 600 - 150 - 600)
    assert cw.aid.get(july).paid == 0
    assert cw.aid.get(january).paid_quarters == ("2023Q1", "2023Q2")


def test_a_payout_the_funds_cannot_cover_pays_nobody(cw: Casework, fund: str) -> None:
    for i in range(10):
        subsidy(cw, fund, f"C-{i}", 200, "2023-01")
    before = events(cw)
    with pytest.raises(InsufficientFunds):
        cw.aid.pay_quarter("2023Q1", at=datetime(2023, 3, 31), actor="a")
    assert events(cw) == before


def test_a_payout_is_not_made_before_its_quarter(cw: Casework, fund: str) -> None:
    subsidy(cw, fund, "C-1", 200, "2023-01")
    with pytest.raises(InvalidInput, match="before 2023-04-01"):
        cw.aid.pay_quarter("2023Q2", at=datetime(2023, 3, 31), actor="a")
    with pytest.raises(InvalidInput):
        cw.aid.pay_quarter("2023Q5", actor="a")


def test_campaigns_pay_registered_workers_once(cw: Casework, fund: str) -> None:
    for w in ("W-1", "W-2"):
        cw.register.enrol(w, reason="disability", org="county", at=datetime(2022, 12, 3),
                          actor="a")
    first = cw.aid.run_campaign("spring-2023", fund=fund, workers=["W-1", "W-2"],
                                amount=Decimal("300"), at=datetime(2023, 1, 16), actor="a")
    assert first.total == Decimal(600)
    again = cw.aid.run_campaign("spring-2023", fund=fund, workers=["W-1", "W-2"],
                                amount=Decimal("300"), at=datetime(2023, 1, 17), actor="a")
    assert again.paid == () and again.already_paid == ("W-1", "W-2")
    assert cw.funds.balance(fund) == Decimal(4400)
    cw.register.exit("W-2", reason="employed", at=datetime(2023, 2, 1), actor="a")
    before = events(cw)
    with pytest.raises(InvalidInput, match="W-2"):
        cw.aid.run_campaign("dragon-boat-2023", fund=fund, workers=["W-1", "W-2"],
                            amount=Decimal(100), at=datetime(2023, 6, 1), actor="a")
    assert events(cw) == before


def test_the_register(cw: Casework) -> None:
    cw.register.enrol("W-1", reason="illness", name="Zhao Min", org="county",
                      at=datetime(2023, 1, 5), actor="a")
    with pytest.raises(AlreadyExists):
        cw.register.enrol("W-1", reason="illness", at=datetime(2023, 1, 6), actor="a")
    cw.register.review("W-1", reason="disability", at=datetime(2023, 1, 7), actor="a")
    cw.register.exit("W-1", reason="recovered", at=datetime(2023, 4, 1), actor="a")
    assert not cw.register.get("W-1").active
    with pytest.raises(InvalidInput):
        cw.register.review("W-1", reason="illness", at=datetime(2023, 4, 2), actor="a")
    cw.register.enrol("W-1", reason="unemployment", at=datetime(2023, 5, 1), actor="a")
    entry = cw.register.get("W-1")
    assert entry.active and entry.reason == "unemployment"
    assert [h.type for h in entry.history] == ["enrol", "review", "exit", "enrol"]


def test_aid_moves_follow_the_lifecycle(cw: Casework, fund: str) -> None:
    case = cw.aid.receive(channel="letter", org="county", at=datetime(2023, 2, 1), actor="a")
    with pytest.raises(InvalidTransition, match="moves allowed now: accept, decline, withdraw"):
        cw.aid.approve(case, kind="referral", actor="a")
    with pytest.raises(InvalidInput) as refused:
        cw.aid.approve(case, kind="one_off", actor="a")
    assert set(refused.value.fields) == {"fund", "amount"}
    cw.aid.accept(case, at=datetime(2023, 2, 2), actor="a")
    cw.aid.escalate(case, to="civil_affairs", reason="needs minimum-living allowance",
                    at=datetime(2023, 2, 3), actor="a")
    assert cw.aid.get(case).state == "escalated"


def test_funds(cw: Casework, fund: str) -> None:
    with pytest.raises(AlreadyExists):
        cw.funds.open(fund, name="again", actor="a")
    with pytest.raises(InvalidInput):
        cw.funds.contribute(fund, amount=Decimal(0), source="nothing", actor="a")
    view = cw.funds.get(fund)
    assert (view.balance, view.contributed, view.disbursed) == (5000, 5000, 0)


def test_a_subsidy_stops_when_its_worker_leaves_the_register(cw: Casework, fund: str) -> None:
    case = subsidy(cw, fund, "C-1", 200, "2023-01")
    assert cw.aid.pay_quarter("2023Q1", at=datetime(2023, 3, 31), actor="a").total == 600
    cw.register.exit("C-1", reason="employed", at=datetime(2023, 4, 15), actor="a")
    payout = cw.aid.pay_quarter("2023Q2", at=datetime(2023, 6, 30), actor="a")
    assert (payout.paid, payout.stopped) == ((), (case,))
    assert cw.funds.balance(fund) == Decimal(4400)

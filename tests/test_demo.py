"""The acceptance test of the product: the demo's figures are the source document's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from casework import Casework
from casework.demo import build, reports
from casework.statistics.figures import Report


@pytest.fixture
def figures(cw: Casework) -> dict[str, Report]:
    build(cw)
    return reports(cw)


def test_subdistrict_federation(figures: dict[str, Report]) -> None:
    d = figures["subdistrict"].disputes
    assert (d.received, d.accepted, d.concluded, d.resolved) == (65, 15, 15, 14)
    # The one not resolved (FACTS.md: "1 escalated"): no agreement in the 15 days from
    # receipt, so the mediation was terminated and the party applied for arbitration itself
    # (LDMAL art. 14); the centre no longer escalates on a party's behalf.
    assert (d.terminated, d.arbitration_applied, d.escalated) == (1, 1, 0)
    assert d.terminated_by_reason == {"expired": 1, "party_refused": 0}
    # The 50 petitions not taken up are counted apart: consultations answered, referrals,
    # refusals (不予受理 with a written notice).
    assert d.answered + d.referred + d.declined == 50 and d.answered > 0 and d.referred > 0
    assert d.handling_rate == 1.0  # 調處率 100%
    assert d.success_rate == pytest.approx(0.9333, abs=1e-4)  # 成功率 93.3%, "90%以上"
    assert d.resolved_by_category == {"labor_contract": 3, "wages": 3, "work_injury": 5,
                                      "social_insurance": 0, "other": 3}
    assert d.workers_involved == 32
    assert d.amount_involved == Decimal("2940000")
    a = figures["subdistrict"].aid
    assert a.newly_registered == 5
    assert a.one_off_paid == Decimal("9500")
    assert (a.campaign_workers, a.campaigns_paid) == (76, Decimal("55700"))


def test_county_federation(figures: dict[str, Report]) -> None:
    a = figures["county"].aid
    assert a.received == 52
    assert set(a.received_by_channel) == {"visit", "phone", "letter"}  # 來人來電來信
    assert sum(a.received_by_channel.values()) == 52
    assert (a.accepted, a.handled) == (22, 20)
    assert a.handling_rate == pytest.approx(0.9091, abs=1e-4)  # 處理率 90%
    assert a.referrals == 1  # 介紹再就業1人
    assert a.subsidy_households == 50  # 確定了50户補助對象
    assert (a.subsidy_monthly_min, a.subsidy_monthly_max) == (Decimal(150), Decimal(200))
    assert a.workers_helped == 35  # 幫扶困難職工35人
    assert Decimal(40000) < a.amount_paid < Decimal(50000)  # 資金4萬多元
    assert a.amount_paid == a.one_off_paid + a.subsidies_paid + a.campaigns_paid
    assert figures["county"].disputes.received == 0


def test_department_union(figures: dict[str, Report]) -> None:
    a = figures["department"].aid
    assert a.campaigns_paid == Decimal(600)
    assert a.subsidies_paid == Decimal(2400)
    assert a.contributions == Decimal(3000)  # 一日捐
    assert a.fund_balances == {"department-aid": Decimal(5000)}


def test_rolled_up_is_the_sum_of_the_bodies(figures: dict[str, Report]) -> None:
    bodies = [figures[o] for o in ("subdistrict", "county", "department")]
    whole = figures["all"]
    for name in ("received", "accepted", "resolved", "workers_involved", "amount_involved"):
        assert getattr(whole.disputes, name) == sum(getattr(b.disputes, name) for b in bodies)
    for name in ("received", "accepted", "handled", "amount_paid", "newly_registered",
                 "registered_workers", "subsidy_households"):
        assert getattr(whole.aid, name) == sum(getattr(b.aid, name) for b in bodies)


def test_projection_and_replay_agree_on_the_demo(cw: Casework,
                                                 figures: dict[str, Report]) -> None:
    from datetime import date

    for org in ("subdistrict", "county", "department", None):
        replayed = cw.report(date(2023, 1, 1), date(2023, 6, 30), org=org, replay=True)
        assert replayed == figures[org or "all"]


def test_demo_refuses_a_store_that_already_holds_it(cw: Casework,
                                                   figures: dict[str, Report]) -> None:
    from casework import StoreError

    with pytest.raises(StoreError, match="already holds"):
        build(cw)

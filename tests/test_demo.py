"""The acceptance test of the product: the demo's figures are the source document's."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal

import pytest

from casework import Casework
from casework.demo import build, reports
from casework.statistics.figures import Report
from conftest import STORES, fresh_store


@pytest.fixture(scope="module", params=STORES)
def cw(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
       ) -> Iterator[Casework]:
    """The demo's store, recorded once for the module: its tests only read it (or are
    refused writing to it)."""
    with (fresh_store(request, tmp_path_factory.mktemp("demo")) as url,
          Casework(store=url) as app):
        build(app)
        yield app


@pytest.fixture(scope="module")
def figures(cw: Casework) -> dict[str, Report]:
    return reports(cw)


def test_subdistrict_federation(figures: dict[str, Report]) -> None:
    d = figures["subdistrict"].disputes
    assert (d.received, d.accepted, d.mediation_concluded, d.resolved) == (65, 15, 15, 14)
    assert (d.opening, d.concluded, d.closing) == (0, 65, 0)  # every petition concluded
    outcomes = d.concluded_by_outcome
    assert outcomes["resolved"] == 14 and outcomes["terminated"] == 1
    assert outcomes["answered"] + outcomes["referred"] + outcomes["declined"] == 50
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
    assert a.requests == 52  # 接待來人來電來信52人次
    channels = a.received_by_channel
    assert set(channels) == {"visit", "phone", "letter", "outreach"}
    assert channels["visit"] + channels["phone"] + channels["letter"] == 52
    assert channels["outreach"] == 50  # the March survey's households (生活現狀調查)
    assert (a.opening, a.received, a.concluded, a.closing) == (0, 102, 50, 52)
    assert (a.accepted, a.handled) == (22, 20)
    assert a.handling_rate == pytest.approx(0.9091, abs=1e-4)  # 處理率 90%
    assert a.referrals == 1  # 介紹再就業1人
    assert a.subsidy_households == 50  # 確定了50户補助對象
    assert (a.registered_workers, a.newly_registered) == (50, 50)  # 建立特困職工檔案, in March
    assert (a.subsidy_monthly_min, a.subsidy_monthly_max) == (Decimal(150), Decimal(200))
    assert a.workers_helped == 35  # 幫扶困難職工35人
    assert Decimal(40000) < a.amount_paid < Decimal(50000)  # 資金4萬多元
    assert a.amount_paid == a.one_off_paid + a.subsidies_paid + a.campaigns_paid
    assert figures["county"].disputes.received == 0


def test_department_union(figures: dict[str, Report]) -> None:
    a = figures["department"].aid
    assert a.campaigns_paid == Decimal(600)  # 慰問金額600元
    assert a.one_off_paid == Decimal(2400)  # 困難補助2400元, handed over at the same visits
    assert a.subsidies_paid == 0 and a.subsidy_households == 0
    assert a.requests == 0  # the union's own visits, not requests at a desk
    assert a.contributions == Decimal(3000)  # 一日捐
    assert a.fund_balances == {"department-aid": Decimal(5000)}


def test_rolled_up_is_the_sum_of_the_bodies(figures: dict[str, Report]) -> None:
    bodies = [figures[o] for o in ("subdistrict", "county", "department")]
    whole = figures["all"]
    for name in ("opening", "received", "concluded", "closing", "accepted", "resolved",
                 "workers_involved", "amount_involved"):
        assert getattr(whole.disputes, name) == sum(getattr(b.disputes, name) for b in bodies)
    for name in ("opening", "received", "concluded", "closing", "requests", "accepted",
                 "handled", "amount_paid", "newly_registered", "registered_workers",
                 "subsidy_households"):
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

    before = cw.log.last_position()
    with pytest.raises(StoreError, match="already holds"):
        build(cw)
    assert cw.log.last_position() == before


def test_months_chain_into_the_half_year(cw: Casework, figures: dict[str, Report]) -> None:
    """The closing of each month is the opening of the next; the months' flows add up to
    the half year's; opening + received − concluded = closing every month."""
    import calendar
    from datetime import date

    for org in ("subdistrict", "county", "department", None):
        half = figures[org or "all"]
        months = [cw.report(date(2023, m, 1), date(2023, m, calendar.monthrange(2023, m)[1]),
                            org=org) for m in range(1, 7)]
        for section in ("disputes", "aid", "warnings"):
            flows = [getattr(r, section) for r in months]
            whole = getattr(half, section)
            assert flows[0].opening == whole.opening and flows[-1].closing == whole.closing
            for before, after in itertools.pairwise(flows):
                assert before.closing == after.opening
            for f in flows:
                assert f.opening + f.received - f.concluded == f.closing
            for name in ("received", "concluded"):
                assert sum(getattr(f, name) for f in flows) == getattr(whole, name)


def test_the_cohort_is_kept_and_labelled(cw: Casework, figures: dict[str, Report]) -> None:
    from datetime import date

    r = cw.report(date(2023, 1, 1), date(2023, 6, 30), org="subdistrict", cohort=True)
    assert figures["subdistrict"].disputes.cohort is None  # the return is the default
    assert r.disputes.cohort is not None
    c = r.disputes.cohort
    assert (c.received, c.accepted, c.concluded, c.resolved) == (65, 15, 15, 14)
    assert r == cw.report(date(2023, 1, 1), date(2023, 6, 30), org="subdistrict",
                          cohort=True, replay=True)


@pytest.mark.parametrize("figure", ["disputes.received", "disputes.success_rate",
                                    "disputes.handling_rate", "disputes.workers_involved",
                                    "disputes.amount_involved", "aid.requests",
                                    "aid.handling_rate", "aid.concluded_by_outcome.closed"])
def test_explain_lists_the_cases_behind_a_figure(cw: Casework, figures: dict[str, Report],
                                                 figure: str) -> None:
    from datetime import date

    report = figures["all"]
    e = cw.explain(figure, date(2023, 1, 1), date(2023, 6, 30))
    section, name, *member = figure.split(".")
    value = getattr(getattr(report, section), name)
    if member:
        value = value[member[0]]
    if e.denominator is None:
        assert e.total == value
    else:
        assert round(len(e.numerator) / len(e.denominator), 4) == value

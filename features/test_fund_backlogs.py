"""Steps of fund_backlogs.feature (in Simplified Chinese): back-dated payments and
contributions, a past quarter's payout, corrections of a contribution."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

import casework
from casework import CaseworkError, InsufficientFunds, InvalidInput
from features.support import DATE, Desk, money

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("fund_backlogs.feature")

AMOUNT = r"-?\d+(?:\.\d+)?"
FUND = "county-aid"


def on(day: str, hour: int = 9) -> datetime:
    """A business time on `day`: what a paper slip says, typed in whenever."""
    return datetime.combine(date.fromisoformat(day), time(hour))


def approve(desk: Desk, worker: str, day: str, **help: object) -> str:
    """A request from `worker` received, accepted and approved on `day`."""
    at = on(day)
    desk.cw.register.enrol(worker, reason="illness", name=f"worker {worker}", at=at,
                           actor="a-01")
    case = desk.cw.aid.receive(channel="visit", worker=worker, at=at, actor="a-01")
    desk.cw.aid.accept(case, at=at + timedelta(minutes=1), actor="a-01")
    desk.cw.aid.approve(case, fund=FUND, at=at + timedelta(minutes=2), actor="a-01", **help)
    desk.named[worker] = case
    return case


@given(parsers.re(rf"帮困基金 (?P<code>[\w-]+) 于 (?P<day>{DATE}) 设立"))
def fund_opened(desk: Desk, code: str, day: str) -> None:
    desk.cw.funds.open(code, name="县总工会帮困基金", at=on(day), actor="a-01")


@given(parsers.re(rf"基金 (?P<code>[\w-]+) 收到 (?P<day>{DATE}) 的募集款 (?P<amount>{AMOUNT}) 元"))
@when(parsers.re(rf"基金 (?P<code>[\w-]+) 补录 (?P<day>{DATE}) 的募集款 (?P<amount>{AMOUNT}) 元"))
def contribution(desk: Desk, code: str, day: str, amount: str) -> None:
    desk.attempt(lambda: desk.cw.funds.contribute(code, amount=amount, source="一日捐",
                                                  at=on(day), actor="a-01"))


@given(parsers.re(rf"(?P<worker>[\w-]+) 的临时救助 (?P<amount>{AMOUNT}) 元于 (?P<day>{DATE}) 批准"
                  rf"(?:,并于 (?P<paid>{DATE}) 发放)?$"))
def one_off(desk: Desk, worker: str, amount: str, day: str, paid: str | None) -> None:
    case = approve(desk, worker, day, kind="one_off", amount=money(amount))
    if paid is not None:
        desk.cw.aid.implement(case, at=on(paid), actor="a-01")


@given(parsers.re(rf"(?P<worker>[\w-]+) 每月 (?P<amount>{AMOUNT}) 元的生活补助于 (?P<day>{DATE}) "
                  r"批准,自 (?P<first>\d{4}-\d{2}) 起 (?P<months>\d+) 个月"))
def subsidy(desk: Desk, worker: str, amount: str, day: str, first: str, months: str) -> None:
    approve(desk, worker, day, kind="monthly_subsidy", monthly_amount=money(amount),
            first_month=first, months=int(months))


@when(parsers.re(rf"补录 (?P<worker>[\w-]+) 的救助金,发放日期 (?P<day>{DATE})"))
def back_dated_delivery(desk: Desk, worker: str, day: str) -> None:
    case = desk.named[worker]
    desk.before = desk.cw.aid.get(case)
    desk.attempt(lambda: desk.cw.aid.implement(case, at=on(day, 10), actor="a-01"))


@when(parsers.re(rf"补发 (?P<quarter>\d{{4}}Q\d),发放日期 (?P<day>{DATE})"))
def past_quarter(desk: Desk, quarter: str, day: str) -> None:
    desk.attempt(lambda: desk.cw.aid.pay_quarter(quarter, at=on(day), actor="a-01"))


@when(parsers.re(rf"(?P<actor>[\w-]+) 更正基金 (?P<code>[\w-]+) 的第 (?P<number>\d+) 笔,金额改为 "
                 rf"(?P<amount>{AMOUNT}) 元,原因\"(?P<reason>[^\"]*)\""))
def correct(desk: Desk, actor: str, code: str, number: str, amount: str, reason: str) -> None:
    desk.attempt(lambda: desk.cw.funds.correct(code, movement=int(number), amount=amount,
                                               reason=reason, actor=actor))


@then("发放成功")
def delivered(desk: Desk) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"


@then(parsers.re(rf"被拒绝:基金 (?P<code>[\w-]+) 将在 (?P<day>{DATE}) 出现负余额,缺口 "
                 rf"(?P<short>{AMOUNT}) 元"))
def refused_short(desk: Desk, code: str, day: str, short: str) -> None:
    err = desk.refused(InsufficientFunds)
    assert isinstance(err, InsufficientFunds)
    assert (err.fund, err.on, err.short) == (code, date.fromisoformat(day), money(short))
    assert f"{day}, short by {short} yuan" in str(err)


@then(parsers.re(r"被拒绝:(?P<error>\w+),指明 (?P<field>\w+)"))
def refused_naming(desk: Desk, error: str, field: str) -> None:
    kind = getattr(casework, error)
    assert issubclass(kind, CaseworkError)
    err = desk.refused(kind)
    assert isinstance(err, InvalidInput) and err.fields.get(field), err


@then(parsers.re(r"(?P<worker>[\w-]+) 的案件仍为 (?P<state>\w+),什么也没有保存"))
def case_unchanged(desk: Desk, worker: str, state: str) -> None:
    after = desk.cw.aid.get(desk.named[worker])
    assert after.state == state
    assert after == desk.before, "a refused payment stored something"


@then(parsers.re(rf"基金 (?P<code>[\w-]+) 现有余额 (?P<balance>{AMOUNT}) 元"
                 rf"(?:,累计募集 (?P<contributed>{AMOUNT}) 元)?$"))
def balance_now(desk: Desk, code: str, balance: str, contributed: str | None) -> None:
    fund = desk.cw.funds.get(code)
    assert desk.cw.funds.balance(code) == fund.balance == money(balance)
    assert fund.balance == fund.contributed - fund.disbursed
    if contributed is not None:
        assert fund.contributed == money(contributed)


@then(parsers.re(rf"基金 (?P<code>[\w-]+) 在 (?P<day>{DATE}) 日终余额 (?P<balance>{AMOUNT}) 元"))
def balance_on(desk: Desk, code: str, day: str, balance: str) -> None:
    assert desk.cw.funds.balance(code, on=date.fromisoformat(day)) == money(balance)


@then(parsers.re(r"基金 (?P<code>[\w-]+) 的台账按业务时间排列:"))
def ledger(desk: Desk, code: str, datatable: list[list[str]]) -> None:
    _, *rows = datatable
    lines = desk.cw.funds.ledger(code)
    seen = [[str(m.number), desk.cw.clock.local_date(m.at).isoformat(), m.purpose,
             f"{m.amount:.2f}", f"{m.balance:.2f}"] for m in lines]
    assert seen == rows
    desk.result = lines


@then(parsers.re(r"台账编号 (?P<number>\d+) 写明 (?P<actor>[\w-]+)、原因\"(?P<reason>[^\"]+)\"和 "
                 rf"(?P<was>{AMOUNT}) → (?P<now>{AMOUNT})"))
def ledger_names_correction(desk: Desk, number: str, actor: str, reason: str, was: str,
                            now: str) -> None:
    line = next(m for m in desk.result if m.number == int(number))
    assert (line.purpose, line.actor, line.note) == ("correction", actor, reason)
    assert line.party == f"2: {money(was)} → {money(now)}"
    assert line.recorded_at > line.at  # recorded now, about a slip of 2023


@then(parsers.re(r"补发结果 (?P<outcome>.+)"))
def payout_outcome(desk: Desk, outcome: str) -> None:
    if outcome.startswith("支付 "):
        assert desk.refusal is None, f"refused: {desk.refusal}"
        assert desk.result.total == money(outcome.removeprefix("支付 "))
        return
    err = desk.refused(InsufficientFunds)
    assert isinstance(err, InsufficientFunds)
    found = f"被拒绝:将在 {err.on.isoformat()} 出现负余额,缺口 {err.short:.2f} 元"
    assert outcome.strip() == found


@then(parsers.re(rf"2023 年一季度报表的募集资金为 (?P<contributions>{AMOUNT}) 元,帮困基金余额 "
                 rf"(?P<balance>{AMOUNT}) 元"))
def first_quarter_return(desk: Desk, contributions: str, balance: str) -> None:
    for replay in (False, True):
        aid = desk.cw.report(date(2023, 1, 1), date(2023, 3, 31), replay=replay).aid
        assert aid.contributions == money(contributions)
        assert aid.fund_balances == {FUND: money(balance)}
    assert Decimal(balance) == desk.cw.funds.balance(FUND, on=date(2023, 3, 31))

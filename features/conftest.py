"""Fixtures and steps every feature shares. Each scenario runs on SQLite and PostgreSQL
through the root conftest's `cw` fixture."""

from __future__ import annotations

from decimal import Decimal

from pytest import fixture
from pytest_bdd import given, parsers, then, when

import casework
from casework import CaseNotFound, Casework, CaseworkError, InvalidInput
from features.support import DATE, Desk, day, money, names


@fixture
def desk(cw: Casework) -> Desk:
    return Desk(cw)


@then(parsers.re(r"it is refused with (?P<error>\w+) naming (?P<field>[\w-]+)"))
def refused_naming(desk: Desk, error: str, field: str) -> None:
    """The refusal is the named CaseworkError; InvalidInput says which field and why."""
    kind = getattr(casework, error, None)
    assert isinstance(kind, type) and issubclass(kind, CaseworkError), f"{error}: not public"
    err = desk.refused(kind)
    if isinstance(err, InvalidInput):
        assert field in err.fields, f"{err.fields} does not name {field}"
        assert err.fields[field], "the refusal does not say why"
    else:
        named = str(desk.tried.get(field, field)).strip()
        assert named in str(err), f"{err} does not name {named}"


# --- funds, the register, approved help: shared by the aid, fund and register features --

AMOUNT = r"-?\d+(?:\.\d+)?"
MONTH = r"\d{4}-\d{2}"


@given(parsers.re(rf"an aid fund (?P<code>[\w-]+) holding (?P<amount>{AMOUNT}) yuan"),
       converters={"amount": money})
def fund_holding(desk: Desk, code: str, amount: Decimal) -> None:
    desk.cw.funds.open(code, name=f"{code} (幫扶資金)", at=desk.tick(), actor="a-01")
    if amount:
        desk.cw.funds.contribute(code, amount=amount, source="one day's pay drive (一日捐)",
                                 at=desk.tick(), actor="a-01")


@then(parsers.re(rf"fund (?P<code>[\w-]+) holds (?P<balance>{AMOUNT}) yuan"),
      converters={"balance": money})
def fund_holds(desk: Desk, code: str, balance: Decimal) -> None:
    assert desk.cw.funds.balance(code) == balance


@then(parsers.re(rf"fund (?P<code>[\w-]+) holds (?P<balance>{AMOUNT}) yuan, having paid out "
                 rf"(?P<out>{AMOUNT})"), converters={"balance": money, "out": money})
def fund_holds_having_paid(desk: Desk, code: str, balance: Decimal, out: Decimal) -> None:
    fund = desk.cw.funds.get(code)
    assert (fund.balance, fund.disbursed) == (balance, out)
    assert fund.balance == fund.contributed - fund.disbursed


@given(parsers.re(r"a worker (?P<worker>[\w-]+) on the hardship register"))
def on_register(desk: Desk, worker: str) -> None:
    desk.cw.register.enrol(worker, reason="illness", name=f"worker {worker}",
                           at=desk.tick(), actor="a-01")


def aid_case_for(desk: Desk, worker: str) -> str:
    """An accepted request from `worker`, enrolled on the register if not yet there."""
    try:
        desk.cw.register.get(worker)
    except CaseNotFound:
        on_register(desk, worker)
    desk.case = desk.cw.aid.receive(channel="visit", worker=worker, at=desk.tick(),
                                    actor="a-01")
    desk.named[worker] = desk.case
    desk.cw.aid.accept(desk.case, at=desk.tick(), actor="a-01")
    return desk.case


@given(parsers.re(rf"an aid case for (?P<worker>[\w-]+) approved for one-off relief of "
                  rf"(?P<amount>{AMOUNT}) from (?P<fund>[\w-]+)"), converters={"amount": money})
def approved_one_off(desk: Desk, worker: str, amount: Decimal, fund: str) -> None:
    case = aid_case_for(desk, worker)
    desk.cw.aid.approve(case, kind="one_off", fund=fund, amount=amount, at=desk.tick(),
                        actor="a-01")


@given(parsers.re(r"an aid case for (?P<worker>[\w-]+) approved for (?P<kind>\w+) help"))
def approved_in_kind(desk: Desk, worker: str, kind: str) -> None:
    case = aid_case_for(desk, worker)
    desk.cw.aid.approve(case, kind=kind, note="arranged by the centre", at=desk.tick(),
                        actor="a-01")


@given(parsers.re(rf"an aid case for (?P<worker>[\w-]+) approved for a monthly subsidy of "
                  rf"(?P<amount>{AMOUNT}) from (?P<fund>[\w-]+) from (?P<first>{MONTH})"
                  rf"(?:, (?:open-ended|for (?P<months>\d+) months?))?"),
       converters={"amount": money})
def approved_subsidy(
    desk: Desk, worker: str, amount: Decimal, fund: str, first: str, months: str | None
) -> None:
    """A subsidy for `months` months, or open-ended (until a review ends it)."""
    case = aid_case_for(desk, worker)
    desk.cw.aid.approve(case, kind="monthly_subsidy", fund=fund, monthly_amount=amount,
                        first_month=first, months=None if months is None else int(months),
                        at=desk.tick(), actor="a-01")


@when(parsers.re(rf"the aid officer pays (?P<quarter>\d{{4}}Q\d)(?: on (?P<on>{DATE}))?"))
def pay_quarter(desk: Desk, quarter: str, on: str | None) -> None:
    at = desk.tick(None if on is None else day(on))
    desk.attempt(lambda: desk.cw.aid.pay_quarter(quarter, at=at, actor="a-02"))


@then("the payout pays nobody")
def pays_nobody(desk: Desk) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    assert desk.result.paid == ()


@then(parsers.re(r"the aid case is (?P<state>\w+)"))
def aid_case_is(desk: Desk, state: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    assert desk.cw.aid.get(desk.case).state == state


@then(parsers.parse("the aid case is still {state}, its history unchanged"))
def aid_case_unchanged(desk: Desk, state: str) -> None:
    after = desk.cw.aid.get(desk.case)
    assert after.state == state
    assert after == desk.before, "a refused command stored something"


@then(parsers.re(rf"the aid case has paid (?P<amount>{AMOUNT})"), converters={"amount": money})
def aid_case_paid(desk: Desk, amount: Decimal) -> None:
    assert desk.cw.aid.get(desk.case).paid == amount


# --- condolence campaigns: shared by the fund and register features ------------------


@when(parsers.re(rf"the aid officer runs campaign (?P<campaign>[\w-]+) paying "
                 rf"(?P<amount>{AMOUNT}) each to (?P<workers>.+)"))
def run_campaign(desk: Desk, campaign: str, amount: str, workers: str) -> None:
    desk.before = {w: desk.cw.register.get(w) for w in names(workers) if registered(desk, w)}
    desk.tried = {"amount": amount, "workers": workers, "fund": "county-aid"}
    at = desk.tick()
    desk.attempt(lambda: desk.cw.aid.run_campaign(
        campaign, fund="county-aid", workers=names(workers), amount=money(amount), at=at,
        actor="a-02"))


def registered(desk: Desk, worker: str) -> bool:
    try:
        desk.cw.register.get(worker)
    except CaseNotFound:
        return False
    return True


@then(parsers.re(rf"the campaign pays (?P<workers>.+) (?P<amount>{AMOUNT}) each"
                 rf"(?:, and says (?P<already>.+) (?:was|were) already paid)?"))
def campaign_paid(desk: Desk, workers: str, amount: str, already: str | None) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    paid = desk.result.paid
    assert [(p.to, p.amount, p.fund) for p in paid] == [
        (w, money(amount), "county-aid") for w in names(workers)]
    assert list(desk.result.already_paid) == names(already or "nobody")


@then(parsers.re(r"the register records (?P<campaign>[\w-]+) for (?P<workers>.+?)"
                 r"(?: but not (?P<others>.+))?"))
def register_records(desk: Desk, campaign: str, workers: str, others: str | None) -> None:
    for w in names(workers):
        assert campaign in desk.cw.register.get(w).campaigns, w
    for w in names(others or "nobody"):
        assert campaign not in desk.cw.register.get(w).campaigns, w


@then("no register entry changed")
def register_unchanged(desk: Desk) -> None:
    assert {w: desk.cw.register.get(w) for w in desk.before} == desk.before

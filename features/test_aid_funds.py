"""Steps of aid_funds.feature: no overdraft, quarterly payouts and campaigns paid once."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from pytest_bdd import parsers, scenarios, then, when

from casework import Casework, InsufficientFunds, retry
from features.support import DATE, Desk, day, money, names

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("aid_funds.feature")

AMOUNT = r"-?\d+(?:\.\d+)?"


def help_fund(desk: Desk, case: str) -> str:
    return str((desk.cw.aid.get(case).help or {})["fund"])


@when("the aid officer tries to deliver it (落實)")
def deliver(desk: Desk) -> None:
    desk.before = desk.cw.aid.get(desk.case)
    desk.tried = {"fund": help_fund(desk, desk.case)}
    at = desk.tick()
    desk.attempt(lambda: desk.cw.aid.implement(desk.case, at=at, actor="a-01"))


@then(parsers.re(r"the payment is (?P<outcome>made|refused)"))
def payment(desk: Desk, outcome: str) -> None:
    after = desk.cw.aid.get(desk.case)
    if outcome == "refused":
        desk.refused(InsufficientFunds)
        assert after == desk.before, "a refused payment stored a move"
        return
    assert desk.refusal is None, f"refused: {desk.refusal}"
    assert after.state == "implemented"
    assert after.paid == money(str((after.help or {})["amount"]))


@when(parsers.re(r"two officers deliver both at the same moment, each retrying a lost race"))
def deliver_together(desk: Desk, store_url: str) -> None:
    """Each officer on their own connection; both start when both are ready."""
    cases, at = list(desk.named.values()), desk.tick()
    start = threading.Barrier(len(cases))
    outcomes: list[Any] = [None] * len(cases)

    def officer(i: int, case: str) -> None:
        with Casework(store=store_url) as cw:
            start.wait()
            try:
                retry(lambda: cw.aid.implement(case, at=at, actor=f"a-0{i + 1}"))
                outcomes[i] = "paid"
            except Exception as e:  # the Then step says which refusal is right
                outcomes[i] = e

    threads = [threading.Thread(target=officer, args=(i, c)) for i, c in enumerate(cases)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    desk.result = outcomes


@then("one is paid and the other refused with InsufficientFunds")
def one_paid(desk: Desk) -> None:
    paid = [o for o in desk.result if o == "paid"]
    refused = [o for o in desk.result if isinstance(o, InsufficientFunds)]
    assert (len(paid), len(refused)) == (1, 1), desk.result
    states = sorted(desk.cw.aid.get(c).state for c in desk.named.values())
    assert states == ["approved", "implemented"]


@when(parsers.re(rf'the fund (?P<code>[\w-]+) receives (?P<amount>{AMOUNT}|NaN) yuan from '
                 r'"(?P<source>.*)"'))
def contribute(desk: Desk, code: str, amount: str, source: str) -> None:
    desk.tried = {"fund": code, "amount": amount, "source": source}
    at = desk.tick()
    desk.attempt(lambda: desk.cw.funds.contribute(code, amount=amount, source=source, at=at,
                                                  actor="a-01"))
    if desk.refusal is None:
        desk.result = desk.cw.funds.get(code)


@when(parsers.re(r"the aid officer opens fund (?P<code>[\w-]+) again"))
def open_again(desk: Desk, code: str) -> None:
    desk.tried = {"fund": code}
    at = desk.tick()
    desk.attempt(lambda: desk.cw.funds.open(code, name="another fund", at=at, actor="a-01"))


@then(parsers.re(rf"the payout pays the subsidy (?P<paid>nothing|{AMOUNT})"))
def payout_pays_subsidy(desk: Desk, paid: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    expected = [] if paid == "nothing" else [(desk.case, money(paid))]
    assert [(p.to, p.amount) for p in desk.result.paid] == expected


@then(parsers.re(rf"the payout pays (?P<payments>[\w-]+ {AMOUNT}(?: and [\w-]+ {AMOUNT})*)"))
def payout_pays(desk: Desk, payments: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    pairs = re.findall(rf"([\w-]+) ({AMOUNT})", payments)
    expected = [(desk.named[w], money(a)) for w, a in pairs]
    assert sorted((p.to, p.amount) for p in desk.result.paid) == sorted(expected)


@then(parsers.re(r"the payout pays nobody, and says (?P<already>.+) were already paid"))
def payout_already_paid(desk: Desk, already: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    assert desk.result.paid == ()
    assert sorted(desk.result.already_paid) == sorted(desk.named[w] for w in names(already))


@then(parsers.re(r"the payout is refused: fund (?P<code>[\w-]+) cannot cover it"))
def payout_refused(desk: Desk, code: str) -> None:
    err = desk.refused(InsufficientFunds)
    assert code in str(err)


@then(parsers.re(rf"the subsidy of (?P<worker>[\w-]+) has paid (?P<amount>{AMOUNT}), for "
                 r"(?P<quarters>.+)"))
def subsidy_paid(desk: Desk, worker: str, amount: str, quarters: str) -> None:
    case = desk.cw.aid.get(desk.named[worker])
    expected = [] if quarters == "no quarter" else names(quarters)
    assert (case.paid, list(case.paid_quarters)) == (money(amount), expected)


@when(parsers.re(rf"the aid officer withdraws the case of (?P<worker>[\w-]+) on (?P<on>{DATE})"),
      converters={"on": day})
def withdraw(desk: Desk, worker: str, on: Any) -> None:
    desk.cw.aid.withdraw(desk.named[worker], reason="moved away", at=desk.tick(on),
                         actor="a-01")

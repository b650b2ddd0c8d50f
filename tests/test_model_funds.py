"""Funds, the register and payouts against the reference model.

Money in (contributions, some bad), money out (one-off relief, quarterly subsidy payouts,
condolence campaigns — some overdrawing, some re-run), register entries coming and
going. After every step each fund's balance is never negative and equals contributions
minus payments, in the API and in the model alike (tests/reference.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from casework import CaseNotFound, Casework, InvalidInput
from tests.reference import MACHINE_SETTINGS, TZ, CentreMachine, Model, Twin, minutes, seldom

CODES = ("relief", "drive", "county-aid")
WORKERS = ("C-01", "C-02", "C-03", "C-04", "C-05")
ORGS = ("county", "department")
amounts = st.sampled_from([Decimal(100), Decimal("250.50"), Decimal(1000), Decimal(4000)])


class FundMachine(CentreMachine):
    @rule(code=st.sampled_from(CODES), org=st.sampled_from(ORGS), step=minutes)
    def open(self, code: str, org: str, step: int) -> None:
        at = self.tick(step)
        self.twin.run(lambda: self.cw.funds.open(code, name="Aid fund", org=org, at=at,
                                                 actor="a-01"),
                      lambda: self.model.open_fund(code, org, at))

    @rule(code=st.sampled_from([*CODES, "nope"]), amount=amounts, step=minutes, stale=seldom)
    def contribute(self, code: str, amount: Decimal, step: int, stale: bool) -> None:
        fund = self.model.funds.get(code)
        at = fund.last_at - timedelta(hours=1) if stale and fund else self.tick(step)
        self.twin.run(lambda: self.cw.funds.contribute(code, amount=amount, source="drive",
                                                       at=at, actor="a-01"),
                      lambda: self.model.contribute(code, amount, at))

    @rule(code=st.sampled_from(CODES),
          amount=st.sampled_from([0, "-5", "1.001", float("nan"), "lots", 10**13]))
    def contribute_bad(self, code: str, amount: Any) -> None:
        self.twin.refused(lambda: self.cw.funds.contribute(code, amount=amount, source="x",
                                                           at=self.now, actor="a-01"),
                          InvalidInput)

    @rule(worker=st.sampled_from(WORKERS), org=st.sampled_from(ORGS), step=minutes)
    def enrol(self, worker: str, org: str, step: int) -> None:
        at = self.tick(step)
        self.twin.run(lambda: self.cw.register.enrol(worker, reason="illness", org=org, at=at,
                                                     actor="a-01"),
                      lambda: self.model.enrol(worker, org, at))

    @rule(worker=st.sampled_from(WORKERS), step=minutes)
    def exit(self, worker: str, step: int) -> None:
        at = self.tick(step)
        self.twin.run(lambda: self.cw.register.exit(worker, reason="employed", at=at,
                                                    actor="a-01"),
                      lambda: self.model.exit(worker, at))

    @precondition(lambda self: self.model.funds)
    @rule(data=st.data(), org=st.sampled_from(ORGS), subsidy=st.booleans(), amount=amounts)
    def grant(self, data: st.DataObject, org: str, subsidy: bool, amount: Decimal) -> None:
        """A case taken to approval: one-off relief, or a subsidy from January for a year."""
        fund = data.draw(st.sampled_from(sorted(self.model.funds)))
        help: dict[str, Any] = (
            {"kind": "monthly_subsidy", "fund": fund, "monthly_amount": amount / 10,
             "first_month": "2023-01", "months": 12} if subsidy
            else {"kind": "one_off", "fund": fund, "amount": amount})
        at = self.tick(60)
        number = self.cw.aid.receive(channel="visit", org=org, at=at, actor="a-01")
        self.cw.aid.accept(number, at=at, actor="a-01")
        self.cw.aid.approve(number, at=at, actor="a-01", **help)
        self.model.receive(number, "aid", org=org, channel="visit", at=at)
        self.model.aid(number, "accept", at)
        self.model.aid(number, "approve", at, **help)

    @precondition(lambda self: self.numbers("aid"))
    @rule(data=st.data(), step=minutes)
    def implement(self, data: st.DataObject, step: int) -> None:
        """Deliver help: one-off relief may overdraw its fund, and must then be refused."""
        number = data.draw(st.sampled_from(self.numbers("aid")))
        at = self.tick(step)
        self.twin.run(lambda: self.cw.aid.implement(number, at=at, actor="a-01"),
                      lambda: self.model.aid(number, "implement", at))

    @precondition(lambda self: self.numbers("aid"))
    @rule(data=st.data())
    def implement_late(self, data: st.DataObject) -> None:
        """Deliver help dated at its case's last event: a paper slip typed up after newer
        movements of its fund, accepted if every balance from then on covers it."""
        number = data.draw(st.sampled_from(self.numbers("aid")))
        at = self.model.cases[number].last_at
        self.twin.run(lambda: self.cw.aid.implement(number, at=at, actor="a-01"),
                      lambda: self.model.aid(number, "implement", at))

    @precondition(lambda self: self.model.funds)
    @rule(data=st.data(), amount=amounts)
    def correct(self, data: st.DataObject, amount: Decimal) -> None:
        """A contribution's amount corrected, or a payment (or no movement) named wrongly."""
        code = data.draw(st.sampled_from(sorted(self.model.funds)))
        fund = self.model.funds[code]
        number = data.draw(st.integers(1, len(fund.numbers) + 1))
        self.twin.run(lambda: self.cw.funds.correct(code, movement=number, amount=amount,
                                                    reason="typo", at=self.now, actor="a-01"),
                      lambda: fund.correct(number, amount))

    @rule(step=minutes, org=st.sampled_from([None, *ORGS]), stale=seldom)
    def pay_quarter(self, step: int, org: str | None, stale: bool) -> None:
        """This quarter's payout, now and then dated before the latest event."""
        at = self.now - timedelta(hours=1) if stale else self.tick(step)
        quarter = f"{at.year}Q{(at.month - 1) // 3 + 1}"
        result = self.twin.run(
            lambda: self.cw.aid.pay_quarter(quarter, org=org, at=at, actor="a-01"),
            lambda: self.model.pay_quarter(quarter, org, at))
        if result is not None:
            assert {p.to: p.amount for p in result[0].paid} == result[1]

    @rule(name=st.sampled_from(["spring-festival", "mid-autumn"]),
          fund=st.sampled_from([*CODES, "nope"]), amount=amounts, step=minutes,
          workers=st.lists(st.sampled_from([*WORKERS, "C-99"]), max_size=5))
    def campaign(self, name: str, fund: str, amount: Decimal, step: int,
                 workers: list[str]) -> None:
        """A condolence campaign, perhaps re-run, overdrawn, or listing bad workers."""
        at = self.tick(step)
        result = self.twin.run(
            lambda: self.cw.aid.run_campaign(name, fund=fund, workers=workers, amount=amount,
                                             at=at, actor="a-01"),
            lambda: self.model.campaign(name, fund, workers, amount, at))
        if result is not None:
            assert [p.to for p in result[0].paid] == result[1]

    @rule()
    def unknown_records(self) -> None:
        self.twin.refused(lambda: self.cw.funds.get("nope"), CaseNotFound)
        self.twin.refused(lambda: self.cw.register.exit("C-99", reason="employed",
                                                        at=self.now, actor="a-01"),
                          CaseNotFound)


FundMachine.TestCase.settings = MACHINE_SETTINGS
TestFunds = FundMachine.TestCase


def test_a_payout_dated_before_a_case_s_last_event_pays_nobody(tmp_path: Path) -> None:
    with Casework(store=f"sqlite:///{tmp_path / 'cw.db'}", tz="Asia/Shanghai") as cw:
        model = Model(TZ)
        twin = Twin(cw, model)
        jan, apr10, apr20 = (datetime(2023, m, d, 9, tzinfo=TZ) for m, d in
                             ((1, 5), (4, 10), (4, 20)))
        cw.funds.open("f", name="F", org="county", at=jan, actor="a-01")
        cw.funds.contribute("f", amount=10000, source="drive", at=jan, actor="a-01")
        for _ in range(2):
            n = cw.aid.receive(channel="phone", org="county", at=jan, actor="a-01")
            cw.aid.accept(n, at=jan, actor="a-01")
            cw.aid.approve(n, kind="monthly_subsidy", fund="f", monthly_amount=200,
                           first_month="2023-01", at=jan, actor="a-01")
        cw.aid.implement(n, at=apr20, actor="a-01")  # the second case's clock is now 20 April
        twin.refused(lambda: cw.aid.pay_quarter("2023Q2", at=apr10, actor="a-01"),
                     InvalidInput)

"""Hardship-aid cases against the reference model: random valid and invalid commands.

Every move on every case, help of each kind (one-off relief leaves its fund on
implementation, subsidies are paid by quarterly payouts), wrong moves, bad help, unknown
funds and stale times. The base machine checks records, funds and statistics after each
step (tests/reference.py).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from casework import InvalidInput
from tests.reference import AID_MOVES, CHANNELS, MACHINE_SETTINGS, CentreMachine, minutes, seldom

ORGS = ("county", "department")
HELP = st.one_of(
    st.fixed_dictionaries({"kind": st.sampled_from(["referral", "legal_aid", "other"])}),
    st.fixed_dictionaries({"kind": st.just("one_off"), "fund": st.sampled_from(["big", "small"]),
                           "amount": st.sampled_from([Decimal(300), Decimal(2000)])}),
    st.fixed_dictionaries({
        "kind": st.just("monthly_subsidy"), "fund": st.sampled_from(["big", "small"]),
        "monthly_amount": st.sampled_from([Decimal(150), Decimal(200)]),
        "first_month": st.sampled_from(["2022-11", "2023-01", "2023-02", "2023-05"]),
        "months": st.sampled_from([None, 1, 4, 12])}),
)
BAD_HELP: list[dict[str, Any]] = [
    {"kind": "cash"}, {"kind": "one_off", "fund": "big"}, {"kind": "one_off", "amount": 100},
    {"kind": "one_off", "fund": "big", "amount": 0}, {"kind": "monthly_subsidy", "fund": "big"},
    {"kind": "monthly_subsidy", "fund": "big", "monthly_amount": 100, "first_month": "2023-13"},
    {"kind": "monthly_subsidy", "fund": "big", "monthly_amount": 100, "first_month": "2023-01",
     "months": 0},
]
FIELDS: dict[str, dict[str, Any]] = {
    "decline": {"reason": "income above the line"}, "record_feedback": {"feedback": "thanks"},
    "escalate": {"to": "civil_affairs"}, "withdraw": {"reason": "moved away"},
}


class AidMachine(CentreMachine):
    @initialize()
    def funds(self) -> None:
        at = self.tick(0)
        for code, org, amount in (("big", "county", Decimal(500000)),
                                  ("small", "department", Decimal(900))):
            self.cw.funds.open(code, name=code, org=org, at=at, actor="a-01")
            self.cw.funds.contribute(code, amount=amount, source="drive", at=at, actor="a-01")
            self.model.open_fund(code, org, at)
            self.model.contribute(code, amount, at)

    @rule(org=st.sampled_from(ORGS), channel=st.sampled_from(CHANNELS),
          worker=st.sampled_from([None, "C-01", "C-02"]), step=minutes)
    def receive(self, org: str, channel: str, worker: str | None, step: int) -> None:
        at = self.tick(step)
        expected = self.model.next_number("aid", at)
        number = self.cw.aid.receive(channel=channel, worker=worker, org=org, at=at,
                                     actor="a-01")
        assert number == expected
        self.model.receive(number, "aid", org=org, channel=channel, at=at, worker=worker)

    @rule(bad=st.sampled_from([("channel", "fax"), ("worker", "two words"), ("org", "a b"),
                               ("summary", "x" * 4001), ("at", "2023-02-30T10:00")]))
    def receive_bad(self, bad: tuple[str, Any]) -> None:
        kwargs: dict[str, Any] = {"channel": "phone", "org": "county", "at": self.now,
                                  "actor": "a-01", bad[0]: bad[1]}
        self.twin.refused(lambda: self.cw.aid.receive(**kwargs), InvalidInput)

    @precondition(lambda self: self.numbers("aid"))
    @rule(data=st.data(), moves=st.lists(st.tuples(st.sampled_from(sorted(AID_MOVES)), minutes,
                                                   seldom, HELP), min_size=1, max_size=6))
    def move(self, data: st.DataObject,
             moves: list[tuple[str, int, bool, dict[str, Any]]]) -> None:
        for move, step, stale, help in moves:
            number = data.draw(st.sampled_from(self.numbers("aid")))
            self.one_move(number, move, step, stale, help)

    def one_move(self, number: str, move: str, step: int, stale: bool,
                 help: dict[str, Any]) -> None:
        at = self.model.cases[number].last_at - timedelta(hours=1) if stale else self.tick(step)
        facts = help if move == "approve" else FIELDS.get(move, {})
        command = getattr(self.cw.aid, move)
        self.twin.run(lambda: command(number, at=at, actor="a-01", **facts),
                      lambda: self.model.aid(number, move, at, **facts))

    @precondition(lambda self: self.numbers("aid"))
    @rule(data=st.data(), help=st.sampled_from([*BAD_HELP, {"kind": "one_off", "fund": "nope",
                                                           "amount": 5}]))
    def approve_bad_help(self, data: st.DataObject, help: dict[str, Any]) -> None:
        number = data.draw(st.sampled_from(self.numbers("aid")))
        self.twin.run(lambda: self.cw.aid.approve(number, at=self.now, actor="a-01", **help),
                      lambda: self.model.aid(number, "approve", self.now, **help)
                      if help["kind"] == "one_off" and help.get("fund") == "nope"
                      else self.refuse_input())

    def refuse_input(self) -> None:
        from tests.reference import Refused

        raise Refused(InvalidInput)

    @rule(step=minutes, org=st.sampled_from([None, *ORGS]), early=seldom)
    def pay_quarter(self, step: int, org: str | None, early: bool) -> None:
        """This quarter's payout (or, now and then, next quarter's: too early)."""
        at = self.tick(step)
        index = at.year * 4 + (at.month - 1) // 3 + early
        quarter = f"{index // 4}Q{index % 4 + 1}"
        result = self.twin.run(
            lambda: self.cw.aid.pay_quarter(quarter, org=org, at=at, actor="a-01"),
            lambda: self.model.pay_quarter(quarter, org, at))
        if result is not None:
            payout, due = result
            assert {p.to: p.amount for p in payout.paid} == due


AidMachine.TestCase.settings = MACHINE_SETTINGS
TestAid = AidMachine.TestCase

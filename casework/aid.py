"""The hardship-aid centre: cases, quarterly subsidy payouts, condolence campaigns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from casework.errors import InsufficientFunds, InvalidInput
from casework.service import Numbers, Service
from casework.statistics.projection import CaseSummaries
from casework.views import AidView, CaseLine, View, steps
from domain.aid import HardshipAidCase
from domain.case import Record
from domain.funds import AidFund
from domain.register import RegisteredWorker
from domain.values import (
    AidReferral,
    AidRequest,
    Code,
    Help,
    LongText,
    PositiveMoney,
    Quarter,
    Text,
    check,
    validated,
)
from workflows.aid import AID, quarter_months, subsidy_months

When = datetime | str | None


class Payment(View):
    to: str
    amount: Decimal
    fund: str


class Payout(View):
    """What a quarterly payout or a campaign paid, and whom it skipped as already paid."""

    run: str
    paid: tuple[Payment, ...]
    already_paid: tuple[str, ...]
    #: Subsidies not paid because their worker has left the hardship register.
    stopped: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.paid), Decimal(0))


class Aid(Service):
    def __init__(self, *args: Any, numbers: Numbers, summaries: CaseSummaries) -> None:
        super().__init__(*args)
        self.numbers, self.summaries = numbers, summaries

    def receive(
        self, *, channel: str, summary: str = "", worker: str | None = None,
        petitioner: str | None = None, contact: str | None = None,
        id_number: str | None = None, org: str | None = None, at: When = None, actor: str,
    ) -> str:
        """Record a request for help (接待); returns its case number (HA-YYYY-NNNN)."""
        request = validated(
            AidRequest, org=org or self.org, channel=channel, summary=summary, worker=worker,
            petitioner=petitioner, contact=contact, id_number=id_number,
        )
        when = self.clock.when(at)
        who = self._may(self.access.who(actor), "aid", "receive", when,
                        ("a new request", request.org))
        case = self.numbers.create(
            "HA", HardshipAidCase, self.clock.local_date(when).year,
            lambda number: HardshipAidCase(number=number, **dict(request), at=when, actor=who),
        )
        return case.number

    def accept(self, case: str, *, at: When = None, actor: str) -> None:
        self._change(HardshipAidCase, case, at, actor, "accept",
                     lambda c, when, who: c.accept(at=when, actor=who))

    def decline(self, case: str, *, reason: str, at: When = None, actor: str) -> None:
        why = check(reason=(Text, reason))["reason"]
        self._change(HardshipAidCase, case, at, actor, "decline",
                     lambda c, when, who: c.decline(reason=why, at=when, actor=who))

    def approve(
        self, case: str, *, kind: str, fund: str | None = None,
        amount: Decimal | int | str | None = None,
        monthly_amount: Decimal | int | str | None = None, first_month: str | None = None,
        months: int | None = None, note: str = "", at: When = None, actor: str,
    ) -> None:
        """Decide the help (處理): one_off (amount from fund), monthly_subsidy (monthly_amount
        from first_month for months, or open-ended), referral, legal_aid or other."""
        help = validated(Help, kind=kind, fund=fund, amount=amount,
                         monthly_amount=monthly_amount, first_month=first_month,
                         months=months, note=note)
        if help.fund is not None:
            self.log.load(AidFund, help.fund)  # the fund must exist
        decided = help.model_dump(exclude_none=True)
        self._change(HardshipAidCase, case, at, actor, "approve",
                     lambda c, when, who: c.approve(help=decided, at=when, actor=who),
                     one_off=help.amount, monthly=help.monthly_amount)

    def implement(self, case: str, *, at: When = None, actor: str) -> None:
        """Deliver the help (落實); one-off relief leaves its fund in the same transaction."""
        acting = self.access.who(actor)
        when = self.clock.when(at)
        c = self.log.load(HardshipAidCase, self._key("case", case))
        help = c.help or {}
        fund = self.log.load(AidFund, help["fund"]) if help.get("kind") == "one_off" else None
        when = self._not_before(when, at, *(r for r in (c, fund) if r is not None))
        who = self._may(acting, "aid", "implement", when, (c.number, c.org))
        if fund is not None:
            c.implement(paid=help["amount"], at=when, actor=who)
            fund.disburse(amount=help["amount"], purpose="one_off", ref=c.beneficiary,
                          at=when, actor=who)
            self.log.record(c, fund)
        else:
            c.implement(paid=Decimal(0), at=when, actor=who)
            self.log.record(c)

    def record_feedback(self, case: str, *, feedback: str, at: When = None, actor: str) -> None:
        said = check(feedback=(LongText, feedback))["feedback"]
        self._change(HardshipAidCase, case, at, actor, "record_feedback",
                     lambda c, when, who: c.record_feedback(feedback=said, at=when, actor=who))

    def close(self, case: str, *, at: When = None, actor: str) -> None:
        self._change(HardshipAidCase, case, at, actor, "close",
                     lambda c, when, who: c.close(at=when, actor=who))

    def escalate(self, case: str, *, to: str, reason: str = "", at: When = None,
                 actor: str) -> None:
        v = check(to=(AidReferral, to), reason=(LongText, reason))
        self._change(HardshipAidCase, case, at, actor, "escalate",
                     lambda c, when, who: c.escalate(to=v["to"], reason=v["reason"],
                                                     at=when, actor=who))

    def withdraw(self, case: str, *, reason: str, at: When = None, actor: str) -> None:
        why = check(reason=(Text, reason))["reason"]
        self._change(HardshipAidCase, case, at, actor, "withdraw",
                     lambda c, when, who: c.withdraw(reason=why, at=when, actor=who))

    def get(self, case: str) -> AidView:
        c = self.log.load(HardshipAidCase, self._key("case", case))
        return AidView(
            number=c.number, org=c.org, state=c.state, received_at=c.received_at,
            allowed=AID.allowed(c.state), history=steps(c.history), channel=c.channel,
            summary=c.summary, worker=c.worker, petitioner=c.petitioner, contact=c.contact,
            help=c.help, paid=c.paid, paid_quarters=tuple(c.paid_quarters),
            feedback=c.feedback, reason=c.reason, referred_to=c.referred_to,
        )

    def list(self, *, state: str | None = None, org: str | None = None) -> list[CaseLine]:
        v = check(state=(Literal[AID.states] | None, state), org=(Code | None, org))
        return [CaseLine.of(r)
                for r in self.summaries.cases("aid", state=v["state"], org=v["org"])]

    def pay_quarter(
        self, quarter: str, *, org: str | None = None, at: When = None, actor: str
    ) -> Payout:
        """Pay every active monthly subsidy its months in `quarter` from its fund.

        Each case is paid with its fund in one transaction and remembers the quarter, so a
        payout run twice, or re-run after a crash, pays nobody twice. A payout that the
        funds cannot cover is refused before anyone is paid.
        """
        v = check(quarter=(Quarter, quarter), org=(Code | None, org))
        q, org = v["quarter"], v["org"]
        acting = self.access.who(actor)
        when = self.clock.when(at)
        first_day = date.fromisoformat(quarter_months(q)[0] + "-01")
        if self.clock.local_date(when) < first_day:
            raise InvalidInput({"at": f"a payout for {q} cannot be made before {first_day}"})
        due: list[tuple[HardshipAidCase, list[str], Decimal]] = []
        already: list[str] = []
        stopped: list[str] = []
        for row in self.summaries.cases("aid", org=org):
            if row.help_kind != "monthly_subsidy":
                continue
            c = self.log.load(HardshipAidCase, row.number)
            if q in c.paid_quarters:
                already.append(c.number)
                continue
            help = c.help or {}
            months = subsidy_months(help["first_month"], help.get("months"), q)
            if months and c.subsidy_due(q):
                if self._left_register(c):
                    stopped.append(c.number)
                else:
                    due.append((c, months, Decimal(help["monthly_amount"]) * len(months)))
        needs: dict[str, Decimal] = defaultdict(Decimal)
        for c, _, amount in due:
            needs[(c.help or {})["fund"]] += amount
        funds = self._cover(needs)
        when = self._run_time(when, at, [*(c for c, _, _ in due), *funds])
        who = self._may(acting, "aid", f"pay {q}", when, *((c.number, c.org) for c, _, _ in due))
        paid = []
        for c, months, amount in due:
            code = (c.help or {})["fund"]
            fund = self.log.load(AidFund, code)
            fund.disburse(amount=amount, purpose="subsidy", ref=c.beneficiary, at=when,
                          actor=who)
            c.pay_subsidy(quarter=q, months=months, amount=amount, at=when, actor=who)
            self.log.record(c, fund)
            paid.append(Payment(to=c.number, amount=amount, fund=code))
        return Payout(run=q, paid=tuple(paid), already_paid=tuple(already),
                      stopped=tuple(stopped))

    def _left_register(self, c: HardshipAidCase) -> bool:
        """A registered worker's subsidy ends when they leave the register (特困職工檔案
        動態管理); a case without a register entry is paid on its own decision."""
        if c.worker is None or not self.log.exists(RegisteredWorker, c.worker):
            return False
        return not self.log.load(RegisteredWorker, c.worker).active

    def run_campaign(
        self, campaign: str, *, fund: str, workers: Sequence[str],
        amount: Decimal | int | str, at: When = None, actor: str,
    ) -> Payout:
        """Pay each listed registered worker `amount` from `fund` (元旦春節慰問, say).

        Each payment is recorded on the worker's register entry with the campaign's name,
        together with the fund's movement, so re-running the campaign pays nobody twice.
        """
        if isinstance(workers, str):
            raise InvalidInput({"workers": "a list of register ids, not one string"})
        v = check(campaign=(Code, campaign), fund=(Code, fund), amount=(PositiveMoney, amount),
                  workers=(list[Code], workers))
        acting = self.access.who(actor)
        when = self.clock.when(at)
        if len(set(v["workers"])) != len(v["workers"]):
            raise InvalidInput({"workers": "a worker is listed twice"})
        entries = [self.log.load(RegisteredWorker, w) for w in v["workers"]]
        inactive = [e.key for e in entries if not e.active]
        if inactive:
            raise InvalidInput({"workers": f"not on the register: {', '.join(inactive)}"})
        due = [e for e in entries if not e.has_received(v["campaign"])]
        funds = self._cover({v["fund"]: v["amount"] * len(due)})
        when = self._run_time(when, at, [*due, *funds])
        who = self._may(acting, "worker", f"pay {v['campaign']}", when,
                        *((e.key, e.org) for e in due))
        paid = []
        for e in due:
            f = self.log.load(AidFund, v["fund"])
            f.disburse(amount=v["amount"], purpose="campaign", ref=e.key, at=when, actor=who)
            e.receive_condolence(campaign=v["campaign"], amount=v["amount"], fund=v["fund"],
                                 at=when, actor=who)
            self.log.record(e, f)
            paid.append(Payment(to=e.key, amount=v["amount"], fund=v["fund"]))
        already = tuple(e.key for e in entries if e not in due)
        return Payout(run=v["campaign"], paid=tuple(paid), already_paid=already)

    def _cover(self, needs: dict[str, Decimal]) -> Sequence[AidFund]:
        """Refuse a run its funds cannot cover, before anyone is paid."""
        funds = [self.log.load(AidFund, code) for code in needs]
        for fund in funds:
            if needs[fund.key] > fund.balance:
                raise InsufficientFunds(fund.key, fund.balance, needs[fund.key])
        return funds

    def _run_time(self, when: datetime, at: When, records: Sequence[Record]) -> datetime:
        """One time for a whole run, checked against every record it will touch before
        anyone is paid (so a run is not refused half-way for its date)."""
        when = self._not_before(when, at, *records)
        for r in records:
            r.check_time(when)
        return when

"""The hardship-aid centre: cases, quarterly subsidy payouts, condolence campaigns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from casework.access import ActorLike
from casework.cases import CaseCommands
from casework.clock import When
from casework.errors import ConcurrentUpdate, InvalidInput
from casework.funds import load_fund
from casework.views import View
from domain.aid import HardshipAidCase
from domain.case import Record
from domain.funds import AidFund
from domain.register import RegisteredWorker
from domain.values import Code, FundCode, PositiveMoney, Quarter, QuarterName, check
from workflows.access import SUPERVISOR, WINDOW_DAYS, Actor
from workflows.aid import quarter_months, subsidy_months

R = TypeVar("R", bound=Record)
WINDOW = timedelta(days=WINDOW_DAYS)
#: How often one payment of a run is tried again after losing a race for its fund.
RACES = 10


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


class AidHistory(Protocol):
    """What a worker already has from a body, and whom a payout pays: the commands ask,
    the read side (casework.queries.AidQueries) answers."""

    def subsidies(self, org: str | None) -> list[str]: ...
    def one_offs(self, worker: str, org: str, since: datetime) -> Decimal: ...
    def monthly(self, worker: str, org: str, on: date) -> Decimal: ...
    def campaigns(self, worker: str, org: str, since: datetime) -> Decimal: ...


class Aid(CaseCommands):
    """Aid's moves that pay: approval checks its fund and thresholds, delivery pays one-off
    relief from its fund, payouts and campaigns pay many at once."""

    def __init__(self, *args: Any, history: AidHistory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.history = history

    def approve(self, case: str, *, at: When = None, actor: ActorLike, **help: Any) -> None:
        """Decide the help (處理): one_off (amount from fund), monthly_subsidy (monthly_amount
        from first_month for months, or open-ended), referral, legal_aid or other."""
        decided = self.form(self.kind.moves["approve"], help)["help"]
        acting = self.access.who(actor)
        when = self.clock.when(at)
        c = self.log.load(HardshipAidCase, self._key("case", case))
        when = self._not_before(when, at, c)
        if decided.get("fund") is not None:  # the fund must exist, and be the body's to pay
            self._funds_may(acting, "pay from", when, [self.log.load(AidFund, decided["fund"])])
        counted = self._with_earlier(c, decided, when) if self._counts(acting) else {}
        who = self._may(acting, "aid", "approve", when, (c.number, c.org), **counted)
        c.approve(help=decided, at=when, actor=who)
        self.log.record(c)

    def _counts(self, acting: Actor) -> bool:
        """Whether thresholds apply: only under an actors directory, to non-supervisors
        (so single-user use never waits on the read model)."""
        return self.access.directory is not None and acting.role != SUPERVISOR

    def _with_earlier(self, c: HardshipAidCase, decided: dict[str, Any],
                      when: datetime) -> dict[str, Decimal | None]:
        """The help with what the worker already has from the body, as the thresholds
        count it: one-offs over the last 12 months, subsidies running at once."""
        one_off, monthly = decided.get("amount"), decided.get("monthly_amount")
        if c.worker is not None and one_off is not None:
            one_off += self.history.one_offs(c.worker, c.org, when - WINDOW)
        if c.worker is not None and monthly is not None:
            monthly += self.history.monthly(c.worker, c.org, self.clock.local_date(when))
        return {"one_off": one_off, "monthly": monthly}

    def implement(self, case: str, *, at: When = None, actor: ActorLike) -> None:
        """Deliver the help (落實); one-off relief leaves its fund in the same transaction."""
        acting = self.access.who(actor)
        when = self.clock.when(at)
        c = self.log.load(HardshipAidCase, self._key("case", case))
        help = c.help or {}
        fund = self._fund(help["fund"]) if help.get("kind") == "one_off" else None
        when = self._not_before(when, at, *(r for r in (c, fund) if r is not None))
        who = self._may(acting, "aid", "implement", when, (c.number, c.org))
        self._funds_may(acting, "pay from", when, [fund] if fund else [])
        if fund is not None:
            c.implement(paid=help["amount"], at=when, actor=who)
            fund.disburse(amount=help["amount"], purpose="one_off", ref=c.beneficiary,
                          at=when, actor=who)
            self.log.record(c, fund)
        else:
            c.implement(paid=Decimal(0), at=when, actor=who)
            self.log.record(c)

    def pay_quarter(
        self, quarter: QuarterName, *, org: str | None = None, at: When = None,
        actor: ActorLike,
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
        for number in self.history.subsidies(org):
            c = self.log.load(HardshipAidCase, number)
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
        funds = [self._fund(code) for code in needs]
        when = self._run_time(when, at, [*(c for c, _, _ in due), *funds])
        self._cover(funds, needs, when)
        who = self._may(acting, "aid", f"pay {q}", when, *((c.number, c.org) for c, _, _ in due))
        self._funds_may(acting, f"pay {q}", when, funds)
        paid = []
        for c, months, amount in due:
            code = (c.help or {})["fund"]

            def pay(case: HardshipAidCase, fund: AidFund, t: datetime, months: list[str] = months,
                    amount: Decimal = amount) -> None:
                fund.disburse(amount=amount, purpose="subsidy", ref=case.beneficiary, at=t,
                              actor=who)
                case.pay_subsidy(quarter=q, months=months, amount=amount, at=t, actor=who)

            if self._settle(HardshipAidCase, c.number, code, lambda c: c.subsidy_due(q), pay,
                            when, at):
                paid.append(Payment(to=c.number, amount=amount, fund=code))
            else:
                already.append(c.number)
        return Payout(run=q, paid=tuple(paid), already_paid=tuple(already),
                      stopped=tuple(stopped))

    def _left_register(self, c: HardshipAidCase) -> bool:
        """A registered worker's subsidy ends when they leave the register (特困職工檔案
        動態管理); a case without a register entry is paid on its own decision."""
        if c.worker is None or not self.log.exists(RegisteredWorker, c.worker):
            return False
        return not self.log.load(RegisteredWorker, c.worker).active

    def run_campaign(
        self, campaign: str, *, fund: FundCode, workers: Sequence[str],
        amount: Decimal | int | str, at: When = None, actor: ActorLike,
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
        funds = [self._fund(v["fund"])]
        when = self._run_time(when, at, [*due, *funds])
        self._cover(funds, {v["fund"]: v["amount"] * len(due)}, when)
        since = when - WINDOW
        for e in due:  # each worker's campaign money within 12 months counts together
            counted = ({"campaign": self.history.campaigns(e.key, e.org, since) + v["amount"]}
                       if self._counts(acting) else {})
            self._may(acting, "worker", f"pay {v['campaign']}", when, (e.key, e.org),
                      **counted)
        who = acting.id
        self._funds_may(acting, f"pay {v['campaign']}", when, funds)
        paid, raced = [], []

        def pay(entry: RegisteredWorker, fund: AidFund, t: datetime) -> None:
            fund.disburse(amount=v["amount"], purpose="campaign", ref=entry.key, at=t,
                          actor=who)
            entry.receive_condolence(campaign=v["campaign"], amount=v["amount"],
                                     fund=v["fund"], at=t, actor=who)

        for e in due:
            if self._settle(RegisteredWorker, e.key, v["fund"],
                            lambda e: not e.has_received(v["campaign"]), pay, when, at):
                paid.append(Payment(to=e.key, amount=v["amount"], fund=v["fund"]))
            else:
                raced.append(e.key)
        already = (*(e.key for e in entries if e not in due), *raced)
        return Payout(run=v["campaign"], paid=tuple(paid), already_paid=already)

    def _settle(self, kind: type[R], key: str, fund: str, due: Callable[[R], bool],
                pay: Callable[[R, AidFund, datetime], None], when: datetime,
                at: When) -> bool:
        """One payment of a run, with its fund, in one transaction: False if someone else
        paid it meanwhile. A concurrent desk's write to the fund or the record is absorbed:
        reload, check it is still due, pay from the new state (at a time not before the
        fund's latest movement, where the run was not given one), so each is paid once."""
        for _ in range(RACES):
            record, money = self.log.load(kind, key), self._fund(fund)
            if not due(record):
                return False
            pay(record, money, self._not_before(when, at, record, money))
            try:
                self.log.record(record, money)
                return True
            except ConcurrentUpdate:
                continue
        raise ConcurrentUpdate(f"{key} and {fund}")

    def _funds_may(self, who: Actor, move: str, when: datetime,
                   funds: Sequence[AidFund]) -> None:
        """Money leaves a fund only at the hands of someone who works for its body."""
        for fund in funds:
            self.access.check(who, self.roles, "fund", move, fund.key, fund.org, when)

    def _fund(self, code: str) -> AidFund:
        return load_fund(self.log, self.clock, code)

    @staticmethod
    def _cover(funds: Sequence[AidFund], needs: dict[str, Decimal], when: datetime) -> None:
        """Refuse a run its funds cannot cover, at its time and every later one, before
        anyone is paid."""
        for fund in funds:
            fund.check_cover(when, needs[fund.key])

    def _run_time(self, when: datetime, at: When, records: Sequence[Record]) -> datetime:
        """One time for a whole run, checked against every record it will touch before
        anyone is paid (so a run is not refused half-way for its date)."""
        when = self._not_before(when, at, *records)
        for r in records:
            r.check_time(when)
        return when

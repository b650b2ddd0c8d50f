"""Aid funds: opened by a union body, fed by drives and allocations, paid out by aid.

A fund's movements carry their business time (`at`); a paper backlog may be typed up
after newer ones, so the ledger and the balance on a day are in business-time order, and
each movement also says when it was recorded and by whom.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from casework.access import ActorLike
from casework.clock import Clock, When
from casework.errors import AlreadyExists, InvalidInput
from casework.log import CaseLog
from casework.service import Service
from casework.views import FundView, Movement
from domain.funds import AidFund
from domain.values import Code, FundCode, MovementNumber, PositiveMoney, Reason, Text, check
from workflows.aid import ROLES


def load_fund(log: CaseLog, clock: Clock, code: str) -> AidFund:
    """A fund, told the zone its refusals name days in."""
    fund = log.load(AidFund, code)
    fund.given(zone=clock.tz)
    return fund


class Funds(Service):
    roles = ROLES

    def open(self, code: FundCode, *, name: str, org: str | None = None, at: When = None,
             actor: str) -> str:
        """Open an aid fund of a union body."""
        v = check(code=(Code, code), name=(Text, name), org=(Code, org or self.org))
        when = self.clock.when(at)
        who = self._may(self.access.who(actor), "fund", "open", when, (v["code"], v["org"]))
        if self.log.exists(AidFund, v["code"]):
            raise AlreadyExists("fund", v["code"])
        self.log.record(AidFund(code=v["code"], org=v["org"], name=v["name"], at=when,
                                actor=who))
        return str(v["code"])

    def contribute(self, code: FundCode, *, amount: Decimal | int | str, source: str,
                   at: When = None, actor: str) -> None:
        """Money in: a donation drive (一日捐), an allocation from a higher federation; dated
        any day since the fund opened (a paper backlog)."""
        v = check(amount=(PositiveMoney, amount), source=(Text, source))
        self._change(AidFund, code, at, actor, "contribute",
                     lambda f, when, who: f.contribute(amount=v["amount"], source=v["source"],
                                                       at=when, actor=who), name="fund")

    def correct(self, code: FundCode, *, movement: MovementNumber, amount: Decimal | int | str,
                reason: Reason, at: When = None, actor: str) -> None:
        """Correct a contribution's amount (a typo), naming it by its number in the ledger.

        A payment to a worker is not corrected here: it belongs to the worker's case or
        register entry too. Money a worker paid back is a contribution of its own."""
        v = check(movement=(MovementNumber, movement), amount=(PositiveMoney, amount),
                  reason=(Reason, reason))
        who, when = self.access.who(actor), self.clock.when(at)
        fund = load_fund(self.log, self.clock, self._key("fund", code))
        when = self._not_before(when, at, fund)
        # the same rules as the contribution it corrects
        by = self._may(who, "fund", "contribute", when, (fund.key, fund.org))
        moment_of, was = self._contribution(fund, v["movement"])
        fund.correct_contribution(movement=v["movement"], moment_of=moment_of, was=was,
                                  amount=v["amount"], reason=v["reason"], at=when, actor=by)
        self.log.record(fund)

    def _contribution(self, fund: AidFund, number: int) -> tuple[datetime, Decimal]:
        """The business time and amount (as last corrected) of contribution `number`."""
        with self.log.faults(f"cannot read fund {fund.key}"):
            found = list(self.log.events.get(fund.id, gt=number - 1, lte=number))
        e = vars(found[0]) if found and number <= fund.version else {}
        if "purpose" in e:
            raise InvalidInput({"movement": (
                f"{number} is a payment to {e['ref']}, which is not corrected in the ledger: "
                "money the worker paid back is recorded as a contribution")})
        if "source" not in e:
            raise InvalidInput({"movement": f"{fund.key}'s ledger has no contribution {number}"})
        amount: Decimal = fund.corrected.get(str(number), e["amount"])
        return e["at"], amount

    def balance(self, code: FundCode, *, on: date | str | None = None,
                actor: ActorLike | None = None) -> Decimal:
        """The fund's balance now, or at the end of day `on` (business time)."""
        v = check(on=(date | None, on))
        f, _ = self._read(AidFund, code, actor, "fund")
        if v["on"] is None:
            return f.balance
        return f.balance_at(self._end_of(v["on"]))

    def _end_of(self, day: date) -> datetime:
        return datetime.combine(day + timedelta(days=1), time(), self.clock.tz) - \
            timedelta(microseconds=1)

    def ledger(self, code: FundCode, *, actor: ActorLike | None = None) -> list[Movement]:
        """Every movement in business-time order, with the balance after each; a correction
        is a line of its own at the time of the contribution it corrects."""
        f, _ = self._read(AidFund, code, actor, "fund")
        with self.log.faults(f"cannot read fund {f.key}"):
            events = list(self.log.events.get(f.id, gt=1))
        corrected, contributed, disbursed = (AidFund.event_for(m) for m in (
            "_correct_contribution", "_contribute", "_disburse"))
        lines = []
        for e in events:  # the fund's movements; its opening and any other event are not
            n, fields = e.originator_version, vars(e)
            if isinstance(e, corrected):
                lines.append((fields["moment_of"], n, "correction", fields["amount"] -
                              fields["was"], f"{fields['movement']}: {fields['was']} → "
                              f"{fields['amount']}", fields["reason"], e))
            elif isinstance(e, contributed):
                lines.append((fields["at"], n, "contribution", fields["amount"],
                              fields["source"], "", e))
            elif isinstance(e, disbursed):
                lines.append((fields["at"], n, fields["purpose"], -fields["amount"],
                              fields["ref"], "", e))
        balance, ledger = Decimal(0), []
        for at, n, purpose, amount, party, note, e in sorted(lines, key=lambda m: m[:2]):
            balance += amount
            ledger.append(Movement(number=n, at=at, purpose=purpose, amount=amount,
                                   party=party, note=note, actor=vars(e)["actor"],
                                   recorded_at=vars(e)["timestamp"], balance=balance))
        return ledger

    def get(self, code: FundCode, *, actor: ActorLike | None = None) -> FundView:
        """A fund's balance and totals."""
        f, _ = self._read(AidFund, code, actor, "fund")
        return FundView(code=f.key, org=f.org, name=f.name, balance=f.balance,
                        contributed=f.contributed, disbursed=f.disbursed)

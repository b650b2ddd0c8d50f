"""An aid fund: money in from drives and allocations, out to workers, never below zero.

Business time and recording time differ: a paper backlog is typed up after newer movements
were recorded. A fund therefore takes a movement dated at any moment since it was opened,
and refuses a payment that would leave it below zero at that moment or any later one. To
check that without replaying its movements, the fund keeps its net change per business
moment (`moments`, `changes`): a payment in date order looks at the last balance only; a
back-dated one sums the changes after its moment, in C (`sum`, `accumulate`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Record, record_id
from domain.errors import InsufficientFunds, InvalidInput

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TICK = timedelta(microseconds=1)


def moment(at: datetime) -> int:
    """A business time as a sortable whole number: microseconds since 1970 (UTC)."""
    return (at - _EPOCH) // _TICK


def fen(amount: Decimal) -> int:
    """Yuan as whole fen (amounts are checked to two decimals before they get here)."""
    return int(amount * 100)


class AidFund(Record):
    kind = "fund"
    keeps_history = False
    #: 2: the fund keeps its net change per business moment (back-dated movements).
    class_version = 2

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        org: str
        name: str
        balance: Decimal
        contributed: Decimal
        disbursed: Decimal
        opened_at: datetime
        #: Each business moment the fund moved at, ascending (`moment`), and its net change
        #: then, in fen: the balance at a moment is the sum of the changes up to it.
        moments: list[int]
        changes: list[int]
        #: Contributions whose amount was corrected, by movement number: the amount now.
        corrected: dict[str, Decimal]

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return record_id(AidFund.kind, code)

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A snapshot from before funds kept their moments: its events must be replayed
        (`replay`), and until they are, later events still apply to it."""
        state.update(replay=True, opened_at=state["last_at"], moments=[], changes=[],
                     corrected={})

    @event("Opened")
    def __init__(self, *, code: str, org: str, name: str, at: datetime, actor: str) -> None:
        self._begin(code, "open", at, actor)
        self.org, self.name = org, name
        self.balance = self.contributed = self.disbursed = Decimal(0)
        self.opened_at = at
        self.moments, self.changes, self.corrected = [], [], {}

    def given(self, *, zone: tzinfo) -> None:
        """The zone its days are named in (a refusal names the day the fund would go below
        zero); UTC unless given. Not state: no event sets it."""
        self.__dict__["_zone"] = zone

    def check_time(self, at: datetime) -> None:
        """Any moment since the fund was opened: its movements need not come in date order."""
        if at < self.opened_at:
            raise InvalidInput({"at": f"{at.isoformat()} is before fund {self.key} was opened "
                                      f"({self.opened_at.isoformat()})"})

    def balance_at(self, at: datetime) -> Decimal:
        """The balance just after every movement dated at or before `at`."""
        upto = bisect_right(self.moments, moment(at))
        return Decimal(sum(self.changes[:upto])) / 100

    def check_cover(self, at: datetime, amount: Decimal) -> None:
        """Refuse paying `amount` at `at` (InsufficientFunds, naming the first day the fund
        would go below zero, and by how much) unless every balance from `at` on covers it."""
        self._check_change(at, -fen(amount))

    def contribute(self, *, amount: Decimal, source: str, at: datetime, actor: str) -> None:
        """Money in: a donation drive, an allocation from a higher federation. Dated any
        time since the fund opened: it only raises balances."""
        self.check_time(at)
        self._contribute(amount=amount, source=source, at=at, actor=actor)

    def disburse(
        self, *, amount: Decimal, purpose: str, ref: str, at: datetime, actor: str
    ) -> None:
        """Money out to a worker; `purpose` is one_off, subsidy or campaign, `ref` whom."""
        self.check_time(at)
        self.check_cover(at, amount)
        self._disburse(amount=amount, purpose=purpose, ref=ref, at=at, actor=actor)

    def correct(self, *, movement: int, moment_of: datetime, was: Decimal, amount: Decimal,
                reason: str, at: datetime, actor: str) -> None:
        """A contribution's amount corrected (a typo on its slip): `movement` is its number,
        `moment_of` its business time and `was` its amount so far. Balances change from
        `moment_of` on, so a smaller amount must still cover every later payment."""
        self.check_time(at)
        if amount == was:
            raise InvalidInput({"amount": f"movement {movement} is already {was}"})
        self._check_change(moment_of, fen(amount) - fen(was))
        self._correct(movement=movement, moment_of=moment_of, was=was, amount=amount,
                      reason=reason, at=at, actor=actor)

    def _check_change(self, at: datetime, change: int) -> None:
        if change >= 0:
            return
        after = bisect_right(self.moments, moment(at))
        later = self.changes[after:]  # nothing, for a movement in date order
        start = fen(self.balance) - sum(later) + change
        if min(accumulate(later, initial=start)) >= 0:
            return
        balances = list(accumulate(later, initial=start))
        first = next(i for i, b in enumerate(balances) if b < 0)
        when = at if first == 0 else _EPOCH + self.moments[after + first - 1] * _TICK
        raise InsufficientFunds(self.key, Decimal(-balances[first]) / 100, self._day(when))

    def _day(self, at: datetime) -> date:
        zone: tzinfo = self.__dict__.get("_zone", UTC)
        return at.astimezone(zone).date()

    def _moved(self, at: datetime, change: Decimal, what: str, actor: str) -> None:
        """`change` yuan at business time `at`, wherever that falls among the others."""
        tick = moment(at)
        i = bisect_left(self.moments, tick)
        if i < len(self.moments) and self.moments[i] == tick:
            self.changes[i] += fen(change)
        else:
            self.moments.insert(i, tick)
            self.changes.insert(i, fen(change))
        self.balance += change
        self._happened(what, max(at, self.last_at), actor)

    @event("Contributed")
    def _contribute(self, amount: Decimal, source: str, at: datetime, actor: str) -> None:
        self.contributed += amount
        self._moved(at, amount, "contribute", actor)

    @event("Disbursed")
    def _disburse(self, amount: Decimal, purpose: str, ref: str, at: datetime, actor: str) -> None:
        self.disbursed += amount
        self._moved(at, -amount, "disburse", actor)

    @event("Corrected")
    def _correct(self, movement: int, moment_of: datetime, was: Decimal, amount: Decimal,
                 reason: str, at: datetime, actor: str) -> None:
        self.contributed += amount - was
        self.corrected[str(movement)] = amount
        self._moved(moment_of, amount - was, "correct", actor)
        self.last_at = max(at, self.last_at)

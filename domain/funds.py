"""An aid fund: money in from drives and allocations, out to workers, never below zero."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Record, record_id
from domain.errors import InsufficientFunds


class AidFund(Record):
    kind = "fund"
    keeps_history = False

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        org: str
        name: str
        balance: Decimal
        contributed: Decimal
        disbursed: Decimal

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return record_id(AidFund.kind, code)

    @event("Opened")
    def __init__(self, *, code: str, org: str, name: str, at: datetime, actor: str) -> None:
        self._begin(code, "open", at, actor)
        self.org, self.name = org, name
        self.balance = self.contributed = self.disbursed = Decimal(0)

    def contribute(self, *, amount: Decimal, source: str, at: datetime, actor: str) -> None:
        """Money in: a donation drive, an allocation from a higher federation."""
        self.check_time(at)
        self._contribute(amount=amount, source=source, at=at, actor=actor)

    def disburse(
        self, *, amount: Decimal, purpose: str, ref: str, at: datetime, actor: str
    ) -> None:
        """Money out to a worker; `purpose` is one_off, subsidy or campaign, `ref` whom."""
        if amount > self.balance:
            raise InsufficientFunds(self.key, self.balance, amount)
        self.check_time(at)
        self._disburse(amount=amount, purpose=purpose, ref=ref, at=at, actor=actor)

    @event("Contributed")
    def _contribute(self, amount: Decimal, source: str, at: datetime, actor: str) -> None:
        self.balance += amount
        self.contributed += amount
        self._happened("contribute", at, actor)

    @event("Disbursed")
    def _disburse(self, amount: Decimal, purpose: str, ref: str, at: datetime, actor: str) -> None:
        self.balance -= amount
        self.disbursed += amount
        self._happened("disburse", at, actor)

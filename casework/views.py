"""Read-only views of records: what `get` and `list` return, and what `--json` prints."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_serializer

from casework.statistics.fold import CaseRow
from workflows.disputes import is_overdue, mediation_deadline


class View(BaseModel):
    model_config = ConfigDict(frozen=True)

    @field_serializer("*", when_used="json")
    def _money(self, value: Any) -> Any:
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class Step(View):
    type: str
    at: datetime
    actor: str


class CaseView(View):
    number: str
    org: str
    state: str
    received_at: datetime
    allowed: tuple[str, ...]
    history: tuple[Step, ...]


class DisputeView(CaseView):
    category: str
    workers: int
    amount: Decimal
    channel: str
    employer: str
    summary: str
    petitioner: str | None
    contact: str | None
    industry: str | None
    accepted_on: date | None
    concluded_on: date | None
    mediator: str | None
    settled_amount: Decimal | None
    escalated_to: str | None
    reason: str | None

    @property
    def mediation_deadline(self) -> date | None:
        """The last day of the 15-day mediation clock (None until accepted)."""
        return None if self.accepted_on is None else mediation_deadline(self.accepted_on)

    def is_overdue(self, on: date) -> bool:
        return is_overdue(self.accepted_on, self.concluded_on, on)


class AidView(CaseView):
    channel: str
    summary: str
    worker: str | None
    petitioner: str | None
    contact: str | None
    help: dict[str, Any] | None
    paid: Decimal
    paid_quarters: tuple[str, ...]
    feedback: str | None
    reason: str | None
    referred_to: str | None


class WorkerView(View):
    worker: str
    org: str
    name: str | None
    reason: str
    active: bool
    enrolled_at: datetime
    exited_at: datetime | None
    exit_reason: str | None
    campaigns: tuple[str, ...]
    history: tuple[Step, ...]


class FundView(View):
    code: str
    org: str
    name: str
    balance: Decimal
    contributed: Decimal
    disbursed: Decimal


class CaseLine(View):
    """One case in a list: no personal data."""

    number: str
    kind: str
    org: str
    state: str
    received_at: datetime
    channel: str
    category: str | None
    employer: str | None
    workers: int
    amount: Decimal
    mediator: str | None
    worker: str | None
    help_kind: str | None

    @classmethod
    def of(cls, row: CaseRow) -> CaseLine:
        return cls(
            number=row.number, kind=row.kind, org=row.org, state=row.state,
            received_at=datetime.fromisoformat(row.received_at), channel=row.channel,
            category=row.category, employer=row.employer, workers=row.workers,
            amount=Decimal(row.amount), mediator=row.mediator, worker=row.worker,
            help_kind=row.help_kind,
        )


def steps(history: list[tuple[str, datetime, str]]) -> tuple[Step, ...]:
    return tuple(Step(type=t, at=at, actor=who) for t, at, who in history)

"""A worker's labour dispute, from petition to agreement or escalation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Case, record_id
from workflows.disputes import DISPUTE


class LabourDispute(Case):
    kind = "dispute"
    lifecycle = DISPUTE

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        category: str
        workers: int
        amount: Decimal
        channel: str
        employer: str
        summary: str
        petitioner: str | None
        contact: str | None
        industry: str | None  # since Received v2; None on older cases
        received_at: datetime
        accepted_at: datetime | None
        concluded_at: datetime | None
        mediator: str | None
        settled_amount: Decimal | None
        escalated_to: str | None
        reason: str | None

    #: v2 added `industry` (see Received); a snapshot taken before reads it as None.
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["industry"] = None

    @staticmethod
    def create_id(number: str, **_: Any) -> UUID:
        return record_id(LabourDispute.kind, number)

    class Received(Case.Created):
        """The petition as received. v2 added `industry`; v1 events read it as None."""

        class_version = 2

        number: str
        org: str
        category: str
        workers: int
        amount: Decimal
        channel: str
        employer: str
        summary: str
        petitioner: str | None
        contact: str | None
        at: datetime
        actor: str
        industry: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["industry"] = None

    # Not keyword-only: eventsourcing 9.5 reads a keyword-only parameter as required even
    # with a default, and `industry` must stay optional for callers written before v2.
    @event(Received)
    def __init__(
        self, number: str, org: str, category: str, workers: int, amount: Decimal,
        channel: str, employer: str, summary: str, petitioner: str | None,
        contact: str | None, at: datetime, actor: str, industry: str | None = None,
    ) -> None:
        self._opened(
            number, org, at, actor, category=category, workers=workers, amount=amount,
            channel=channel, employer=employer, summary=summary, petitioner=petitioner,
            contact=contact, industry=industry, received_at=at, accepted_at=None,
            concluded_at=None, mediator=None, settled_amount=None, escalated_to=None,
            reason=None,
        )

    def accept(self, *, at: datetime, actor: str) -> None:
        self._check("accept", at)
        self._accept(at=at, actor=actor)

    def decline(self, *, reason: str, at: datetime, actor: str) -> None:
        self._check("decline", at)
        self._decline(reason=reason, at=at, actor=actor)

    def start_mediation(self, *, mediator: str, at: datetime, actor: str) -> None:
        self._check("start_mediation", at)
        self._start_mediation(mediator=mediator, at=at, actor=actor)

    def resolve(self, *, settled_amount: Decimal, at: datetime, actor: str) -> None:
        self._check("resolve", at)
        self._resolve(settled_amount=settled_amount, at=at, actor=actor)

    def escalate(self, *, to: str, reason: str, at: datetime, actor: str) -> None:
        self._check("escalate", at)
        self._escalate(to=to, reason=reason, at=at, actor=actor)

    def withdraw(self, *, reason: str, at: datetime, actor: str) -> None:
        self._check("withdraw", at)
        self._withdraw(reason=reason, at=at, actor=actor)

    @event("Accepted")
    def _accept(self, at: datetime, actor: str) -> None:
        self.accepted_at = at
        self._moved("accept", at, actor)

    @event("Declined")
    def _decline(self, reason: str, at: datetime, actor: str) -> None:
        self.reason = reason
        self._moved("decline", at, actor)

    @event("MediationStarted")
    def _start_mediation(self, mediator: str, at: datetime, actor: str) -> None:
        self.mediator = mediator
        self._moved("start_mediation", at, actor)

    @event("Resolved")
    def _resolve(self, settled_amount: Decimal, at: datetime, actor: str) -> None:
        self.settled_amount = settled_amount
        self.concluded_at = at
        self._moved("resolve", at, actor)

    @event("Escalated")
    def _escalate(self, to: str, reason: str, at: datetime, actor: str) -> None:
        self.escalated_to, self.reason = to, reason
        if self.accepted_at is not None:
            self.concluded_at = at
        self._moved("escalate", at, actor)

    @event("Withdrawn")
    def _withdraw(self, reason: str, at: datetime, actor: str) -> None:
        self.reason = reason
        if self.accepted_at is not None:
            self.concluded_at = at
        self._moved("withdraw", at, actor)

"""A worker's labour dispute, from petition to agreement or escalation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Case, record_id
from domain.kind import Kind
from domain.values import EscalationTarget, Mediator, Petition, Reason, Settled
from workflows.disputes import DISPUTE, ROLES


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
        origin: str | None  # since Received v3: the early warning it came from
        accepted_at: datetime | None
        concluded_at: datetime | None
        mediator: str | None
        settled_amount: Decimal | None
        escalated_to: str | None
        reason: str | None

    #: v2 added `industry`, v3 `origin` (see Received); older snapshots read them as None.
    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["industry"] = None

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["origin"] = None

    @staticmethod
    def create_id(number: str, **_: Any) -> UUID:
        return record_id(LabourDispute.kind, number)

    class Received(Case.Created):
        """The petition as received: `domain.values.Petition`'s fields, as the library
        builds an event from a class's annotations (tests/test_kinds.py holds them equal).
        v2 added `industry`, v3 `origin`; older events read them as None."""

        class_version = 3

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
        origin: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["industry"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["origin"] = None

    # Not keyword-only: eventsourcing 9.5 reads a keyword-only parameter as required even
    # with a default, and the later fields must stay optional for earlier callers.
    @event(Received)
    def __init__(
        self, number: str, org: str, category: str, workers: int, amount: Decimal,
        channel: str, employer: str, summary: str, petitioner: str | None,
        contact: str | None, at: datetime, actor: str, industry: str | None = None,
        origin: str | None = None,
    ) -> None:
        self._opened(
            number, org, at, actor, category=category, workers=workers, amount=amount,
            channel=channel, employer=employer, summary=summary, petitioner=petitioner,
            contact=contact, industry=industry, origin=origin, accepted_at=None,
            concluded_at=None, mediator=None, settled_amount=None, escalated_to=None,
            reason=None,
        )

    @event("Accepted")
    def accept(self, at: datetime, actor: str) -> None:
        """Accept a petition for mediation (starts the 15-day clock)."""
        self.accepted_at = at

    @event("Declined")
    def decline(self, reason: Reason, at: datetime, actor: str) -> None:
        """Decline a petition: not admissible, or referred elsewhere."""
        self.reason = reason

    @event("MediationStarted")
    def start_mediation(self, mediator: Mediator, at: datetime, actor: str) -> None:
        """Start mediation with a mediator."""
        self.mediator = mediator

    @event("Resolved")
    def resolve(self, settled_amount: Settled, at: datetime, actor: str) -> None:
        """Record the mediation agreement."""
        self.settled_amount = settled_amount
        self.concluded_at = at

    @event("Escalated")
    def escalate(self, to: EscalationTarget, at: datetime, actor: str,
                 reason: Reason | None = None) -> None:
        """Send the dispute to arbitration, court, labour inspection or a higher union."""
        self.escalated_to, self.reason = to, reason or ""
        if self.accepted_at is not None:
            self.concluded_at = at

    @event("Withdrawn")
    def withdraw(self, reason: Reason, at: datetime, actor: str) -> None:
        """The petitioner withdraws."""
        self.reason = reason
        if self.accepted_at is not None:
            self.concluded_at = at


DISPUTES = Kind(
    name="dispute", plural="disputes", aggregate=LabourDispute, prefix="LD", intake=Petition,
    roles=ROLES, help="Labour-dispute cases.",
    summary={
        "receive": {c: c for c in ("channel", "category", "employer", "workers", "amount")},
        "start_mediation": {"mediator": "mediator"},
        "resolve": {"settled": "settled_amount"},
        "escalate": {"escalated_to": "to"},
    },
    commands={"start_mediation": "mediate"},
)

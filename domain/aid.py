"""A worker's request for hardship aid, through the centre's five steps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Case, record_id
from domain.errors import InvalidInput, InvalidTransition
from workflows.aid import AID, SUBSIDY_PAYING_STATES


class HardshipAidCase(Case):
    kind = "aid"
    lifecycle = AID

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        channel: str
        summary: str
        worker: str | None
        petitioner: str | None
        contact: str | None
        id_number: str | None
        received_at: datetime
        help: dict[str, Any] | None
        paid: Decimal
        paid_quarters: list[str]
        feedback: str | None
        reason: str | None
        referred_to: str | None

    @staticmethod
    def create_id(number: str, **_: Any) -> UUID:
        return record_id(HardshipAidCase.kind, number)

    @event("Received")
    def __init__(
        self, *, number: str, org: str, channel: str, summary: str, worker: str | None,
        petitioner: str | None, contact: str | None, id_number: str | None,
        at: datetime, actor: str,
    ) -> None:
        self._opened(
            number, org, at, actor, channel=channel, summary=summary, worker=worker,
            petitioner=petitioner, contact=contact, id_number=id_number, received_at=at,
            help=None, paid=Decimal(0), paid_quarters=[], feedback=None, reason=None,
            referred_to=None,
        )

    @property
    def beneficiary(self) -> str:
        """Who the help goes to: the registered worker, else the case itself."""
        return self.worker or self.key

    def accept(self, *, at: datetime, actor: str) -> None:
        self._check("accept", at)
        self._accept(at=at, actor=actor)

    def decline(self, *, reason: str, at: datetime, actor: str) -> None:
        self._check("decline", at)
        self._decline(reason=reason, at=at, actor=actor)

    def approve(self, *, help: dict[str, Any], at: datetime, actor: str) -> None:
        self._check("approve", at)
        self._approve(help=help, at=at, actor=actor)

    def implement(self, *, paid: Decimal, at: datetime, actor: str) -> None:
        """Deliver the help; `paid` is the one-off amount leaving the fund, else zero."""
        self._check("implement", at)
        self._implement(paid=paid, at=at, actor=actor)

    def record_feedback(self, *, feedback: str, at: datetime, actor: str) -> None:
        self._check("record_feedback", at)
        self._record_feedback(feedback=feedback, at=at, actor=actor)

    def close(self, *, at: datetime, actor: str) -> None:
        self._check("close", at)
        self._close(at=at, actor=actor)

    def escalate(self, *, to: str, reason: str, at: datetime, actor: str) -> None:
        self._check("escalate", at)
        self._escalate(to=to, reason=reason, at=at, actor=actor)

    def withdraw(self, *, reason: str, at: datetime, actor: str) -> None:
        self._check("withdraw", at)
        self._withdraw(reason=reason, at=at, actor=actor)

    def subsidy_due(self, quarter: str) -> bool:
        """Whether a quarterly payout for `quarter` should still pay this case."""
        return (
            self.help is not None
            and self.help["kind"] == "monthly_subsidy"
            and self.state in SUBSIDY_PAYING_STATES
            and quarter not in self.paid_quarters
        )

    def pay_subsidy(
        self, *, quarter: str, months: list[str], amount: Decimal, at: datetime, actor: str
    ) -> None:
        if not self.subsidy_due(quarter):
            if self.help is None or self.help["kind"] != "monthly_subsidy":
                raise InvalidInput({"case": f"{self.key} has no monthly subsidy"})
            if quarter in self.paid_quarters:
                raise InvalidInput({"quarter": f"{self.key} was already paid for {quarter}"})
            raise InvalidTransition(self.key, self.state, "pay_subsidy",
                                    self.lifecycle.allowed(self.state))
        self.check_time(at)
        self._pay_subsidy(quarter=quarter, months=months, amount=amount, at=at, actor=actor)

    @event("Accepted")
    def _accept(self, at: datetime, actor: str) -> None:
        self._moved("accept", at, actor)

    @event("Declined")
    def _decline(self, reason: str, at: datetime, actor: str) -> None:
        self.reason = reason
        self._moved("decline", at, actor)

    @event("Approved")
    def _approve(self, help: dict[str, Any], at: datetime, actor: str) -> None:
        self.help = help
        self._moved("approve", at, actor)

    @event("Implemented")
    def _implement(self, paid: Decimal, at: datetime, actor: str) -> None:
        self.paid += paid
        self._moved("implement", at, actor)

    @event("FeedbackRecorded")
    def _record_feedback(self, feedback: str, at: datetime, actor: str) -> None:
        self.feedback = feedback
        self._moved("record_feedback", at, actor)

    @event("Closed")
    def _close(self, at: datetime, actor: str) -> None:
        self._moved("close", at, actor)

    @event("Escalated")
    def _escalate(self, to: str, reason: str, at: datetime, actor: str) -> None:
        self.referred_to, self.reason = to, reason
        self._moved("escalate", at, actor)

    @event("Withdrawn")
    def _withdraw(self, reason: str, at: datetime, actor: str) -> None:
        self.reason = reason
        self._moved("withdraw", at, actor)

    @event("SubsidyPaid")
    def _pay_subsidy(
        self, quarter: str, months: list[str], amount: Decimal, at: datetime, actor: str
    ) -> None:
        self.paid += amount
        self.paid_quarters.append(quarter)
        self._happened("pay_subsidy", at, actor)

"""A worker's request for hardship aid, through the centre's five steps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Case, record_id
from domain.errors import InvalidInput, InvalidTransition
from domain.kind import Kind
from domain.values import AidReferral, AidRequest, Feedback, Help, Note, Reason
from workflows.aid import AID, ROLES, SUBSIDY_PAYING_STATES


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
            petitioner=petitioner, contact=contact, id_number=id_number, help=None,
            paid=Decimal(0), paid_quarters=[], feedback=None, reason=None, referred_to=None,
        )

    @property
    def beneficiary(self) -> str:
        """Who the help goes to: the registered worker, else the case itself."""
        return self.worker or self.key

    def subsidy_due(self, quarter: str) -> bool:
        """Whether a quarterly payout for `quarter` should still pay this case."""
        return (
            self.help is not None
            and self.help["kind"] == "monthly_subsidy"
            and self.state in SUBSIDY_PAYING_STATES
            and quarter not in self.paid_quarters
            and not self.is_voided
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
        self._pay_subsidy(quarter=quarter, months=months, amount=amount, at=at, actor=actor)

    @property
    def delivered(self) -> bool:
        """Whether help reached the worker: delivered (落實) or a subsidy paid."""
        return "implement" in self.recorded or bool(self.paid_quarters)

    def _check_correct(self, changes: list[dict[str, Any]]) -> None:
        """Once help was delivered, what the delivery recorded stays: the help decided
        and the worker it went to (money paid out of a fund is a fund movement)."""
        if not self.delivered:
            return
        paid = [c["field"] for c in changes if c["field"] in ("help", "worker")]
        if paid:
            raise InvalidInput({f: (
                f"{self.key} delivered its help ({self.paid} yuan paid): what was paid and "
                "to whom is a fund movement, corrected on the fund (cw.funds.correct)")
                for f in paid})

    def _check_void(self) -> None:
        if self.delivered:
            raise InvalidInput({"case": (
                f"{self.key} delivered its help ({self.paid} yuan paid): a payment is not "
                "voided with its case; correct the fund movement (cw.funds.correct), and "
                "withdraw or close the case")})

    @event("Accepted")
    def accept(self, at: datetime, actor: str) -> None:
        """Accept the request as a case (受理)."""

    @event("Declined")
    def decline(self, reason: Reason, at: datetime, actor: str) -> None:
        """Decline the request."""
        self.reason = reason

    @event("Approved")
    def approve(self, help: dict[str, Any], at: datetime, actor: str) -> None:
        """Decide the help (處理): one_off (amount from fund), monthly_subsidy
        (monthly_amount from first_month for months, or open-ended), referral, legal_aid
        or other."""
        self.help = help

    @event("Implemented")
    def implement(self, paid: Decimal, at: datetime, actor: str) -> None:
        """Deliver the help (落實); one-off relief is paid from its fund."""
        self.paid += paid

    @event("FeedbackRecorded")
    def record_feedback(self, feedback: Feedback, at: datetime, actor: str) -> None:
        """Record the worker's feedback (反饋)."""
        self.feedback = feedback

    @event("Closed")
    def close(self, at: datetime, actor: str) -> None:
        """Close the case."""

    @event("Escalated")
    def escalate(self, to: AidReferral, at: datetime, actor: str, reason: Note = "") -> None:
        """Refer the case upwards."""
        self.referred_to, self.reason = to, reason

    @event("Withdrawn")
    def withdraw(self, reason: Reason, at: datetime, actor: str) -> None:
        """The worker withdraws the request."""
        self.reason = reason

    @event("SubsidyPaid")
    def _pay_subsidy(
        self, quarter: str, months: list[str], amount: Decimal, at: datetime, actor: str
    ) -> None:
        self.paid += amount
        self.paid_quarters.append(quarter)


AID_CASES = Kind(
    name="aid", plural="aid", aggregate=HardshipAidCase, prefix="HA", intake=AidRequest,
    roles=ROLES, help="Hardship-aid cases, payouts, campaigns.",
    summary={
        "receive": {"channel": "channel", "worker": "worker"},
        "approve": {
            "help_kind": "help.kind", "fund": "help.fund", "help_amount": "help.amount",
            "monthly_amount": "help.monthly_amount", "first_month": "help.first_month",
            "months": "help.months",
        },
        "escalate": {"escalated_to": "to"},
    },
    forms={"approve": Help},
    computed={"implement": frozenset({"paid"})},
    commands={"record_feedback": "feedback"},
    not_reopened=("an aid case is not reopened: help decided and delivered belongs to the "
                  "case it was decided in (its payments are fund movements), so hardship "
                  "that comes back is a new request (aid receive)"),
)

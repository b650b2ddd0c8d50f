"""An early-warning report (预警信息): trouble in an enterprise before it is a dispute."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field

from domain.case import Case, record_id
from domain.kind import Kind, Spawn
from domain.values import Code, LongText, Reason, Text, Value, Workers
from workflows.warnings import ROLES, WARNING

Risk = Literal["wage_arrears", "closure", "layoffs", "relocation", "social_insurance", "other"]
How = Annotated[Text, Field(description="How the risk was resolved at the source (化解).")]


class WarningReport(Value):
    """What an early-warning officer reports."""

    org: Code
    enterprise: Text
    risk: Risk
    workers: Annotated[Workers, Field(description="Workers at risk.")]
    officer: Annotated[Code, Field(description="The early-warning officer's id (预警员).")]
    summary: LongText = ""


class EarlyWarning(Case):
    kind = "warning"
    lifecycle = WARNING
    opened_by = "report"

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        enterprise: str
        risk: str
        workers: int
        officer: str
        summary: str
        how: str | None
        reason: str | None
        dispute: str | None

    @staticmethod
    def create_id(number: str, **_: Any) -> UUID:
        return record_id(EarlyWarning.kind, number)

    @event("Reported")
    def __init__(
        self, *, number: str, org: str, enterprise: str, risk: str, workers: int,
        officer: str, summary: str, at: datetime, actor: str,
    ) -> None:
        self._opened(number, org, at, actor, enterprise=enterprise, risk=risk, workers=workers,
                     officer=officer, summary=summary, how=None, reason=None, dispute=None)

    @event("Verified")
    def verify(self, at: datetime, actor: str) -> None:
        """The union confirms the risk is real."""

    @event("Resolved")
    def resolve(self, how: How, at: datetime, actor: str) -> None:
        """Resolved at the source (源头化解), before any dispute."""
        self.how = how

    @event("BecameDispute")
    def to_dispute(self, dispute: str, at: datetime, actor: str) -> None:
        """The risk became a labour dispute: the centre receives it as a petition."""
        self.dispute = dispute

    @event("Dismissed")
    def dismiss(self, reason: Reason, at: datetime, actor: str) -> None:
        """No risk found."""
        self.reason = reason

    @event("Withdrawn")
    def withdraw(self, reason: Reason, at: datetime, actor: str) -> None:
        """The officer withdraws the report."""
        self.reason = reason

    @event("Reopened")
    def reopen(self, reason: Reason, at: datetime, actor: str) -> None:
        """The risk resolved at the source came back: the report is verified again."""
        self.reason = reason


WARNINGS = Kind(
    name="warning", plural="warnings", aggregate=EarlyWarning, prefix="YJ",
    intake=WarningReport, roles=ROLES, help="Early-warning reports (预警).",
    summary={
        "report": {c: c for c in ("enterprise", "risk", "workers", "officer")},
        "to_dispute": {"dispute": "dispute"},
    },
    spawns={"to_dispute": Spawn(  # the dispute's petition carries the warning's facts
        "dispute", "dispute", fixed={"channel": "referral"},
        carry={"org": "org", "employer": "enterprise", "workers": "workers",
               "summary": "summary", "origin": "number"},
    )},
)

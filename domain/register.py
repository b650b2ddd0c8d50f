"""The register of workers in special hardship (特困職工檔案), kept current."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Record, record_id
from domain.errors import InvalidInput


class RegisteredWorker(Record):
    """One worker's entry in a union body's hardship register."""

    kind = "worker"

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        org: str
        name: str | None
        id_number: str | None
        reason: str
        active: bool
        enrolled_at: datetime
        exited_at: datetime | None
        exit_reason: str | None
        reviewed_at: datetime | None
        campaigns: list[str]

    @staticmethod
    def create_id(worker: str, **_: Any) -> UUID:
        return record_id(RegisteredWorker.kind, worker)

    @event("Enrolled")
    def __init__(
        self, *, worker: str, org: str, name: str | None, id_number: str | None,
        reason: str, at: datetime, actor: str,
    ) -> None:
        self._begin(worker, "enrol", at, actor)
        self.org, self.name, self.id_number, self.reason = org, name, id_number, reason
        self.active, self.enrolled_at = True, at
        self.exited_at = self.exit_reason = self.reviewed_at = None
        self.campaigns = []

    def _check_active(self, what: str) -> None:
        if not self.active:
            raise InvalidInput({"worker": f"{self.key} has left the register; cannot {what}"})

    def review(self, *, reason: str, note: str, at: datetime, actor: str) -> None:
        """The yearly re-verification: still in hardship, perhaps for another reason."""
        self._check_active("review")
        self.check_time(at)
        self._review(reason=reason, note=note, at=at, actor=actor)

    def exit(self, *, reason: str, at: datetime, actor: str) -> None:
        self._check_active("exit")
        self.check_time(at)
        self._exit(reason=reason, at=at, actor=actor)

    def reenrol(self, *, reason: str, at: datetime, actor: str) -> None:
        if self.active:
            raise InvalidInput({"worker": f"{self.key} is already on the register"})
        self.check_time(at)
        self._reenrol(reason=reason, at=at, actor=actor)

    def has_received(self, campaign: str) -> bool:
        return campaign in self.campaigns

    def receive_condolence(
        self, *, campaign: str, amount: Decimal, fund: str, at: datetime, actor: str
    ) -> None:
        self._check_active("be paid")
        if self.has_received(campaign):
            raise InvalidInput({"campaign": f"{self.key} was already paid in {campaign}"})
        self.check_time(at)
        self._receive_condolence(campaign=campaign, amount=amount, fund=fund, at=at, actor=actor)

    @event("Reviewed")
    def _review(self, reason: str, note: str, at: datetime, actor: str) -> None:
        self.reason, self.reviewed_at = reason, at
        self._happened("review", at, actor)

    @event("Exited")
    def _exit(self, reason: str, at: datetime, actor: str) -> None:
        self.active, self.exited_at, self.exit_reason = False, at, reason
        self._happened("exit", at, actor)

    @event("Reenrolled")
    def _reenrol(self, reason: str, at: datetime, actor: str) -> None:
        self.active, self.reason, self.exited_at, self.exit_reason = True, reason, None, None
        self._happened("enrol", at, actor)

    @event("CondolencePaid")
    def _receive_condolence(
        self, campaign: str, amount: Decimal, fund: str, at: datetime, actor: str
    ) -> None:
        self.campaigns.append(campaign)
        self._happened("condolence", at, actor)

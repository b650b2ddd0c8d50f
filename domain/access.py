"""The audit trail of refused commands: kept apart from the cases they did not change."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Record, record_id


class RefusalLog(Record):
    """One actor's refused commands, for a supervisor to see."""

    kind = "refusals"

    @staticmethod
    def create_id(actor: str, **_: Any) -> UUID:
        return record_id(RefusalLog.kind, actor)

    @event("Started")
    def __init__(self, *, actor: str, at: datetime) -> None:
        self._begin(actor, "start", at, actor)

    @event("Refused")
    def refused(
        self, *, actor: str, role: str, move: str, record: str, org: str, reason: str,
        at: datetime,
    ) -> None:
        """Only ever appended: a refusal is a fact, whatever its command was."""

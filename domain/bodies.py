"""A union body: who receives cases, what kind of body it is, and where it sits.

The kind decides which mediation rule applies (workflows/procedure.py); the parent makes the
union hierarchy (enterprise → sub-district → district/county → city) that returns roll up.
A body that was never registered is a street centre with no parent.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Record, record_id


class Body(Record):
    kind = "body"

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        name: str
        body_kind: str
        parent: str | None
        registered_at: datetime

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return record_id(Body.kind, code)

    @event("Registered")
    def __init__(self, *, code: str, name: str, body_kind: str, parent: str | None,
                 at: datetime, actor: str) -> None:
        self._begin(code, "register", at, actor)
        self.org = parent or code  # whose staff may change it: its parent's, or its own
        self.name, self.body_kind, self.parent = name, body_kind, parent
        self.registered_at = at

    @property
    def code(self) -> str:
        return self.key

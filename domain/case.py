"""What every case kind shares: a number, a lifecycle it asks before each move, a history.

A command method checks (lifecycle, time order) and only then triggers its event; the
event's body just records, so replaying the events rebuilds the same case.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import InvalidInput, InvalidTransition
from workflows.lifecycle import Lifecycle

_NAMESPACE = uuid5(NAMESPACE_URL, "https://casework.invalid/")


@lru_cache(maxsize=65536)
def record_id(kind: str, key: str) -> UUID:
    """The aggregate id of a numbered record: the number is the id's seed, so two
    processes that pick the same number collide on the store's own uniqueness rule."""
    return uuid5(_NAMESPACE, f"{kind}:{key}")


class Record(Aggregate):
    """An aggregate known by a human key, with a who-did-what-when history."""

    #: Funds see thousands of movements; they leave their ledger to the read model.
    keeps_history: ClassVar[bool] = True
    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        kind: ClassVar[str]
        key: str
        org: str
        last_at: datetime
        history: list[tuple[str, datetime, str]]

    @classmethod
    def id_for(cls, key: str) -> UUID:
        return record_id(cls.kind, key)

    def check_time(self, at: datetime) -> None:
        if at < self.last_at:
            raise InvalidInput(
                {"at": f"{at.isoformat()} is before {self.key}'s previous event "
                       f"({self.last_at.isoformat()})"}
            )

    def _happened(self, what: str, at: datetime, actor: str) -> None:
        self.last_at = at
        if self.keeps_history:
            self.history.append((what, at, actor))

    def _begin(self, key: str, what: str, at: datetime, actor: str) -> None:
        self.key = key
        self.last_at = at
        self.history = [(what, at, actor)] if self.keeps_history else []


class Case(Record):
    """A numbered case moving through its kind's lifecycle."""

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        lifecycle: ClassVar[Lifecycle]
        state: str
        org: str

    @property
    def number(self) -> str:
        return self.key

    def _check(self, move: str, at: datetime) -> None:
        """Refuse a move the lifecycle forbids now, or one dated before the last event."""
        if self.lifecycle.target(self.state, move) is None:
            raise InvalidTransition(self.key, self.state, move, self.lifecycle.allowed(self.state))
        self.check_time(at)

    def _moved(self, move: str, at: datetime, actor: str) -> None:
        target = self.lifecycle.target(self.state, move)
        assert target is not None, (self.key, self.state, move)
        self.state = target
        self._happened(move, at, actor)

    def _opened(self, key: str, org: str, at: datetime, actor: str, **fields: Any) -> None:
        self._begin(key, "receive", at, actor)
        self.org = org
        self.state = self.lifecycle.initial
        for name, value in fields.items():
            setattr(self, name, value)

"""What every case kind shares: a number, a lifecycle it asks before each move, a history.

A move is one method: the event method named as the lifecycle's trigger. Calling it
passes `trigger_event` first, which refuses a move the lifecycle forbids now, one dated
before the record's last event, and one its kind's own check refuses (`_check_<move>`: an
extension beyond its cap, a termination before the period ran out), so no event of a
refused move ever exists; the event's own body only records, and `Case.Event.apply` moves
the state, so a replay rebuilds the case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, CommandMethodDecorator, event

from domain.errors import InvalidInput, InvalidTransition
from workflows.lifecycle import Lifecycle

_NAMESPACE = uuid5(NAMESPACE_URL, "https://casework.invalid/")
#: An event's fields that are the library's, not facts a move recorded.
_NOT_FACTS = frozenset({"originator_id", "originator_version", "timestamp"})


@lru_cache(maxsize=65536)
def record_id(kind: str, key: str) -> UUID:
    """The aggregate id of a numbered record: the number is the id's seed, so two
    processes that pick the same number collide on the store's own uniqueness rule."""
    return uuid5(_NAMESPACE, f"{kind}:{key}")


class Record(Aggregate):
    """An aggregate known by a human key, with a who-did-what-when history."""

    #: Funds see thousands of movements; they leave their ledger to the read model.
    keeps_history: ClassVar[bool] = True
    #: The event class name of each event method → the method's name (the move).
    moves_by_event: ClassVar[dict[str, str]] = {}
    #: The name of the event class that creates a record of this kind.
    opened_event: ClassVar[str] = ""
    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        kind: ClassVar[str]
        key: str
        org: str
        last_at: datetime
        history: list[tuple[str, datetime, str]]
        source: str  # set by `imported` only

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found: dict[str, str] = {
            (d.given_event_cls.__name__ if d.given_event_cls else str(d.event_cls_name)): name
            for name, d in vars(cls).items() if isinstance(d, CommandMethodDecorator)
        }
        cls.opened_event = next((e for e, name in found.items() if name == "__init__"),
                                cls.opened_event)
        cls.moves_by_event = {**cls.moves_by_event,
                              **{e: name for e, name in found.items() if name != "__init__"}}

    @classmethod
    def event_for(cls, method: str) -> type[Aggregate.Event]:
        """The event class a method triggers ("__init__": the record's creation), so code
        outside the aggregate names events by the model's methods, never by strings."""
        if method == "__init__":
            name = cls.opened_event
        else:
            name = next((e for e, m in cls.moves_by_event.items() if m == method), "")
        if not name:
            raise LookupError(f"{cls.__name__} has no event method {method!r}")
        event_class: type[Aggregate.Event] = getattr(cls, name)
        return event_class

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

    def imported(self, *, source: str, at: datetime, actor: str) -> None:
        """Say where the record was typed up from (a paper file, a spreadsheet's row): the
        import's source reference, kept with the record and in its history."""
        self.check_time(at)
        self._imported(source=source, at=at, actor=actor)

    @event("Imported")
    def _imported(self, source: str, at: datetime, actor: str) -> None:
        self.source = source
        self._happened("import", at, actor)

    def _begin(self, key: str, what: str, at: datetime, actor: str) -> None:
        self.key = key
        self.last_at = at
        self.history = [(what, at, actor)] if self.keeps_history else []

    # -- corrections: facts recorded wrongly, set right by a later event -------------------

    @property
    def recorded(self) -> dict[str, dict[str, Any]]:
        """Each move's facts as its latest event recorded them (and corrections since),
        by move; the opening's are the record's own attributes. Not state a view shows."""
        found: dict[str, dict[str, Any]] = self.__dict__.setdefault("_recorded", {})
        return found

    @property
    def notes(self) -> dict[int, dict[str, Any]]:
        """What a correction, a void or a reopening said, by its place in the history."""
        found: dict[int, dict[str, Any]] = self.__dict__.setdefault("_notes", {})
        return found

    def _noted(self, what: str, at: datetime, actor: str, **note: Any) -> None:
        self._happened(what, at, actor)
        self.notes[len(self.history) - 1] = note

    def correct(self, *, reason: str, changes: list[dict[str, Any]], at: datetime,
                actor: str) -> None:
        """Correct facts earlier events recorded (`changes`: move, field, old, new)."""
        self.refuse_if_voided("correct")
        self.check_time(at)
        self._check_correct(changes)
        self._correct(reason=reason, changes=changes, at=at, actor=actor)

    def _check_correct(self, changes: list[dict[str, Any]]) -> None:
        """Refuse a correction the kind cannot take (InvalidInput). None here."""

    def void(self, *, reason: str, duplicate_of: str | None, at: datetime,
             actor: str) -> None:
        """Void the record: it was entered by mistake."""
        self.refuse_if_voided("void")
        self.check_time(at)
        self._check_void()
        self._void(reason=reason, duplicate_of=duplicate_of, at=at, actor=actor)

    def _check_void(self) -> None:
        """Refuse a void the kind cannot take (InvalidInput). None here."""

    @event("Corrected")
    def _correct(self, reason: str, changes: list[dict[str, Any]], at: datetime,
                 actor: str) -> None:
        """Facts recorded wrongly, set right: each change names the move whose event
        recorded the fact (the latest of that move), the field, and its old and new value.
        The earlier events stay as they were recorded; this one says what they should
        have said."""
        for change in changes:
            self._refact(change["move"], change["field"], change["new"])
        self._noted("correct", at, actor, reason=reason,
                    changes={c["field"]: (c["old"], c["new"]) for c in changes})

    def _refact(self, move: str, field: str, value: Any) -> None:
        """Set a fact an earlier move recorded: the opening's are attributes; a move's
        body runs again with the corrected fields, at its own time."""
        if move not in self.recorded:
            setattr(self, field, value)
            return
        facts = self.recorded[move] = {**self.recorded[move], field: value}
        decorator: CommandMethodDecorator = next(
            vars(c)[move] for c in type(self).__mro__ if move in vars(c))
        decorator.decorated_func(self, **facts)

    @event("Voided")
    def _void(self, reason: str, duplicate_of: str | None, at: datetime, actor: str) -> None:
        """Entered by mistake (a duplicate, say): the record stays in the log, marked, and
        counts in no figure; nothing more is done with it."""
        self.voided = {"reason": reason, "duplicate_of": duplicate_of, "at": at,
                       "actor": actor}
        self._noted("void", at, actor, reason=reason, duplicate_of=duplicate_of)

    @property
    def is_voided(self) -> bool:
        return self.__dict__.get("voided") is not None

    def refuse_if_voided(self, move: str) -> None:
        """A voided record takes no move, correction or void after."""
        if self.is_voided:
            raise InvalidTransition(self.key, "voided", move, ())


class Case(Record):
    """A numbered case moving through its kind's lifecycle."""

    #: What the opening is called in the case's history and commands.
    opened_by: ClassVar[str] = "receive"
    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        lifecycle: ClassVar[Lifecycle]
        state: str
        org: str
        received_at: datetime

    @property
    def number(self) -> str:
        return self.key

    @classmethod
    def worked_out(cls, body_kind: str, received_on: date) -> dict[str, Any]:
        """Facts the opening records that the caller does not give, worked out from the
        kind of body that receives the case and the day (a dispute's rule in force); may
        refuse the opening with InvalidInput. None here."""
        return {}

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        """Refuse a move the lifecycle forbids now, one dated before the last event, or one
        the kind's check for that move (`_check_<move>`, given the event's fields) refuses."""
        move = self.moves_by_event.get(event_class.__name__, "")
        self.refuse_if_voided(move or event_class.__name__.lower().removesuffix("ed"))
        if move in self.lifecycle.triggers and self.lifecycle.target(self.state, move) is None:
            raise InvalidTransition(self.key, self.state, move, self.lifecycle.allowed(self.state))
        self.check_time(kwargs["at"])
        check: Callable[..., None] | None = getattr(self, f"_check_{move}", None)
        if check is not None:
            check(**kwargs)
        super().trigger_event(event_class, **kwargs)

    def given(self, *, zone: tzinfo, body_kind: Callable[[str], str]) -> None:
        """What the application knows and the case does not, for the checks of its moves:
        the zone local days are read in (periods count local days), and how to look up the
        kind of a union body (the rules depend on it). Not state: no event sets it, no view
        shows it, and a case is never snapshotted with it."""
        self.__dict__["_zone"] = zone
        self.__dict__["_body_kind"] = body_kind

    def local_date(self, at: datetime) -> date:
        """The day `at` falls on where the case is handled (UTC unless `given` a zone)."""
        zone: tzinfo = self.__dict__.get("_zone", UTC)
        return at.astimezone(zone).date()

    def body_kind(self) -> str | None:
        """The kind of the body that received the case, where the application said how to
        look it up."""
        look_up: Callable[[str], str] | None = self.__dict__.get("_body_kind")
        return None if look_up is None else look_up(self.org)

    class Event(Aggregate.Event):
        def apply(self, aggregate: Any) -> None:
            """After the event's own body: the lifecycle's move, and the history."""
            case: Case = aggregate
            move = case.moves_by_event.get(type(self).__name__)
            if move is None:  # the case's creation: `_opened` recorded it
                return
            target = case.lifecycle.target(case.state, move)
            if target is not None:
                case.state = target
            facts = {k: v for k, v in self.__dict__.items() if k not in _NOT_FACTS}
            case.recorded[move] = facts  # what a correction of this move starts from
            if move in case.lifecycle.reopening:
                case._noted(move, self.at, self.actor,  # type: ignore[attr-defined]
                            reason=facts.get("reason"))
            else:
                case._happened(move.lstrip("_"), self.at, self.actor)  # type: ignore[attr-defined]

    def _opened(self, key: str, org: str, at: datetime, actor: str, **fields: Any) -> None:
        self._begin(key, self.opened_by, at, actor)
        self.org = org
        self.state = self.lifecycle.initial
        self.received_at = at
        for name, value in fields.items():
            setattr(self, name, value)

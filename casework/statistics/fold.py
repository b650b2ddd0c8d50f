"""One fold, two paths: stored event → change to the read model's rows.

The live projection and the replaying report job both feed raw stored events (topic and
JSON payload) through `fold`, so they agree by construction. The fold is derived from the
model: each kind's creation and lifecycle moves become a row and its milestones (the state
reached and when, `<state>_at`), with the columns the kind's `summary` names; the topics are
the event classes' own, so a renamed or moved class is followed, never silently dropped.
Money movements (help delivered, fund and register moves) have their own handlers below.

Payloads are read in their stored form: the JSON transcoder writes a datetime or Decimal
as {"_type_": ..., "_data_": text}. Business times are kept as UTC ISO strings, which sort
as they compare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, make_dataclass
from decimal import Decimal
from typing import Any

from eventsourcing.utils import get_topic

from domain import KINDS, AidFund, Body, HardshipAidCase, Kind, RegisteredWorker

Payload = dict[str, Any]


def plain(value: Any) -> Any:
    """A transcoded value's plain form: the ISO string of a datetime, the str of a Decimal."""
    return value["_data_"] if type(value) is dict else value


def _field(p: Payload, path: str) -> Any:
    """An event field, dotted into a dict field ("help.kind"); None where it is absent; a
    yes/no as 1/0, as both stores keep it."""
    head, _, rest = path.partition(".")
    value = p.get(head)
    value = plain(value.get(rest) if rest and value is not None else value)
    return int(value) if isinstance(value, bool) else value


def milestone(name: str) -> str:
    """The column holding when a case reached state `name`, or made the note `name` (an
    extension, a follow-up: moves that leave the case where it is)."""
    return f"{name}_at"


def _case_columns(kinds: Iterable[Kind]) -> dict[str, type]:
    """Every kind's columns, then a milestone per state and per note: one row shape for
    every case."""
    columns: dict[str, type] = {}
    for kind in kinds:
        for name, tp in kind.columns.items():
            columns.setdefault(name, int if tp in (int, bool) else str)
    for kind in kinds:
        for state in (*kind.lifecycle.states[1:], *kind.lifecycle.notes):
            columns.setdefault(milestone(state), str)
    return columns


#: Column → its plain type, for the rows and the read model's tables.
CASE_COLUMNS = _case_columns(KINDS.values())

#: A case's summary: who, what, and when it reached each state (None: not yet).
CaseRow: Any = make_dataclass(
    "CaseRow",
    [("id", str), ("kind", str), ("number", str), ("org", str), ("state", str),
     ("received_at", str),
     *((name, tp | None, field(default=None)) for name, tp in CASE_COLUMNS.items())],
    slots=True,
)


@dataclass(slots=True)
class BodyRow:
    """A registered union body: its kind (which mediation rule applies) and its parent."""

    id: str
    code: str
    name: str
    kind: str
    parent: str | None
    registered_at: str


@dataclass(slots=True)
class FundRow:
    id: str
    code: str
    org: str
    name: str


@dataclass(slots=True)
class WorkerRow:
    id: str
    worker: str
    org: str


@dataclass(slots=True, frozen=True)
class Delivery:
    """Help that reached a worker: money (one-off, subsidy, campaign) or not (a referral)."""

    seq: int
    org: str
    beneficiary: str
    kind: str
    amount: str
    fund: str | None
    at: str


@dataclass(slots=True, frozen=True)
class FundMove:
    """Money into (+) or out of (-) a fund."""

    seq: int
    fund: str
    org: str
    amount: str
    purpose: str
    at: str


@dataclass(slots=True, frozen=True)
class RegisterMove:
    seq: int
    worker: str
    org: str
    kind: str  # enrol | exit | reenrol
    at: str


@dataclass
class Rows:
    """The read model's rows, or the part of them one batch of events touches."""

    cases: dict[str, Any] = field(default_factory=dict)
    bodies: dict[str, BodyRow] = field(default_factory=dict)
    funds: dict[str, FundRow] = field(default_factory=dict)
    workers: dict[str, WorkerRow] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    fund_moves: list[FundMove] = field(default_factory=list)
    register_moves: list[RegisterMove] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)


Handler = Callable[[Rows, str, int, Payload], None]
HANDLERS: dict[str, Handler] = {}
#: Topics of events that create a record (the rest update one the fold already has).
CREATES: set[str] = set()


def fold(rows: Rows, originator_id: str, seq: int, topic: str, payload: Payload) -> None:
    """Apply one stored event to `rows`. Events the statistics do not need are skipped."""
    handler = HANDLERS.get(topic)
    if handler is None:
        return
    if topic not in CREATES and not (
        originator_id in rows.cases or originator_id in rows.funds
        or originator_id in rows.workers
    ):
        return  # a record the caller chose not to follow (a replay's cohort filter)
    handler(rows, originator_id, seq, payload)


def ids_needed(topic: str) -> bool:
    """Whether an event updates an existing row (so a batch must load that row first)."""
    return topic in HANDLERS and topic not in CREATES


def _case(rows: Rows, oid: str) -> Any:
    rows.touched.add(oid)
    return rows.cases[oid]


def _register(event_class: type, handler: Handler, *, creates: bool = False) -> None:
    """Fold `event_class` with `handler`, after whatever is folded for it already."""
    topic = get_topic(event_class)
    first = HANDLERS.get(topic)
    if first is None:
        HANDLERS[topic] = handler
    else:
        def both(rows: Rows, oid: str, seq: int, p: Payload) -> None:
            first(rows, oid, seq, p)
            handler(rows, oid, seq, p)

        HANDLERS[topic] = both
    if creates:
        CREATES.add(topic)


def on(event_class: type, *, creates: bool = False) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _register(event_class, handler, creates=creates)
        return handler

    return register


# ---- every kind of case, from its declaration ---------------------------------------------


def _opened(kind: Kind, columns: Mapping[str, str]) -> Handler:
    initial = kind.lifecycle.initial

    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        rows.cases[oid] = CaseRow(
            id=oid, kind=kind.name, number=p["number"], org=p["org"], state=initial,
            received_at=plain(p["at"]), **{c: _field(p, f) for c, f in columns.items()},
        )
        rows.touched.add(oid)

    return handler


def _moved(state: str, columns: Mapping[str, str]) -> Handler:
    column = milestone(state)

    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        case = _case(rows, oid)
        case.state = state
        setattr(case, column, plain(p["at"]))
        for c, f in columns.items():
            setattr(case, c, _field(p, f))

    return handler


def _noted(note: str, columns: Mapping[str, str]) -> Handler:
    column = milestone(note)

    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        case = _case(rows, oid)
        setattr(case, column, plain(p["at"]))
        for c, f in columns.items():
            setattr(case, c, _field(p, f))

    return handler


def follow(kind: Kind) -> None:
    """Fold a kind's opening and every lifecycle move, by their event classes: a move sets
    the state and its milestone, a note only its own milestone; both their summary columns."""
    opening = kind.aggregate.opened_by
    _register(kind.event_for(opening), _opened(kind, kind.summary.get(opening, {})),
              creates=True)
    for move in kind.lifecycle.triggers:
        dest, columns = kind.lifecycle.dest(move), kind.summary.get(move, {})
        _register(kind.event_for(move),
                  _noted(move, columns) if dest is None else _moved(dest, columns))


for _kind in KINDS.values():
    follow(_kind)


# ---- union bodies ---------------------------------------------------------------------------


@on(Body.event_for("__init__"), creates=True)
def _body_registered(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.bodies[oid] = BodyRow(oid, p["code"], p["name"], p["body_kind"], p["parent"],
                               plain(p["at"]))
    rows.touched.add(oid)


# ---- money and the register ---------------------------------------------------------------


@on(HardshipAidCase.event_for("implement"))
def _implemented(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    case = rows.cases[oid]
    kind = case.help_kind or "other"
    if kind != "monthly_subsidy":  # a subsidy's money arrives with each quarterly payout
        rows.deliveries.append(Delivery(
            seq, case.org, case.worker or case.number, kind, plain(p["paid"]),
            case.fund, plain(p["at"]),
        ))


@on(HardshipAidCase.event_for("_pay_subsidy"))
def _subsidy_paid(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    case = _case(rows, oid)
    rows.deliveries.append(Delivery(
        seq, case.org, case.worker or case.number, "subsidy", plain(p["amount"]), case.fund,
        plain(p["at"]),
    ))


@on(RegisteredWorker.event_for("__init__"), creates=True)
def _enrolled(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.workers[oid] = WorkerRow(oid, p["worker"], p["org"])
    rows.touched.add(oid)
    rows.register_moves.append(RegisterMove(seq, p["worker"], p["org"], "enrol", plain(p["at"])))


def _register_move(kind: str) -> Handler:
    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        w = rows.workers[oid]
        rows.register_moves.append(RegisterMove(seq, w.worker, w.org, kind, plain(p["at"])))

    return handler


_register(RegisteredWorker.event_for("_exit"), _register_move("exit"))
_register(RegisteredWorker.event_for("_reenrol"), _register_move("reenrol"))


@on(RegisteredWorker.event_for("_receive_condolence"))
def _condolence(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    w = rows.workers[oid]
    rows.deliveries.append(Delivery(
        seq, w.org, w.worker, "campaign", plain(p["amount"]), p["fund"], plain(p["at"]),
    ))


@on(AidFund.event_for("__init__"), creates=True)
def _fund_opened(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.funds[oid] = FundRow(oid, p["code"], p["org"], p["name"])
    rows.touched.add(oid)


@on(AidFund.event_for("_contribute"))
def _contributed(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    f = rows.funds[oid]
    rows.fund_moves.append(FundMove(seq, f.code, f.org, plain(p["amount"]), "contribution",
                                    plain(p["at"])))


@on(AidFund.event_for("_disburse"))
def _disbursed(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    f = rows.funds[oid]
    rows.fund_moves.append(FundMove(seq, f.code, f.org, str(-Decimal(plain(p["amount"]))),
                                    p["purpose"], plain(p["at"])))

"""One fold, two paths: stored event → change to the read model's rows.

The live projection and the replaying report job both feed raw stored events (topic and
JSON payload) through `fold`, so they agree by construction. Payloads are read in their
stored form: the JSON transcoder writes a datetime as {"_type_": ..., "_data_": iso}.
Business times are kept as UTC ISO strings, which sort as they compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Payload = dict[str, Any]


def plain(value: Any) -> Any:
    """A transcoded value's plain form: the ISO string of a datetime, the str of a Decimal."""
    return value["_data_"] if type(value) is dict else value


@dataclass(slots=True)
class CaseRow:
    """A case's summary: who, what, and when it reached each milestone (None: not yet)."""

    id: str
    kind: str  # dispute | aid
    number: str
    org: str
    state: str
    channel: str
    received_at: str
    category: str | None = None
    employer: str | None = None
    workers: int = 1
    amount: str = "0"
    worker: str | None = None
    mediator: str | None = None
    settled: str | None = None
    help_kind: str | None = None
    fund: str | None = None
    monthly_amount: str | None = None
    first_month: str | None = None
    months: int | None = None
    escalated_to: str | None = None
    accepted_at: str | None = None
    declined_at: str | None = None
    mediation_at: str | None = None
    resolved_at: str | None = None
    escalated_at: str | None = None
    withdrawn_at: str | None = None
    approved_at: str | None = None
    implemented_at: str | None = None
    feedback_at: str | None = None
    closed_at: str | None = None


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

    cases: dict[str, CaseRow] = field(default_factory=dict)
    funds: dict[str, FundRow] = field(default_factory=dict)
    workers: dict[str, WorkerRow] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    fund_moves: list[FundMove] = field(default_factory=list)
    register_moves: list[RegisterMove] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)


Handler = Callable[[Rows, str, int, Payload], None]
HANDLERS: dict[str, Handler] = {}


def on(*topics: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for topic in topics:
            HANDLERS[topic] = handler
        return handler

    return register


def fold(rows: Rows, originator_id: str, seq: int, topic: str, payload: Payload) -> None:
    """Apply one stored event to `rows`. Events the statistics do not need are skipped."""
    handler = HANDLERS.get(topic)
    if handler is None:
        return
    if topic in UPDATES and not (
        originator_id in rows.cases or originator_id in rows.funds
        or originator_id in rows.workers
    ):
        return  # a record the caller chose not to follow (a replay's cohort filter)
    handler(rows, originator_id, seq, payload)


def _case(rows: Rows, oid: str) -> CaseRow:
    rows.touched.add(oid)
    return rows.cases[oid]


D = "domain.disputes:LabourDispute."
A = "domain.aid:HardshipAidCase."
W = "domain.register:RegisteredWorker."
F = "domain.funds:AidFund."


@on(D + "Received")
def _dispute_received(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.cases[oid] = CaseRow(
        id=oid, kind="dispute", number=p["number"], org=p["org"], state="received",
        channel=p["channel"], received_at=plain(p["at"]), category=p["category"],
        employer=p["employer"], workers=p["workers"], amount=plain(p["amount"]),
    )
    rows.touched.add(oid)


@on(A + "Received")
def _aid_received(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.cases[oid] = CaseRow(
        id=oid, kind="aid", number=p["number"], org=p["org"], state="received",
        channel=p["channel"], received_at=plain(p["at"]), worker=p["worker"],
    )
    rows.touched.add(oid)


def _milestone(state: str, column: str) -> Handler:
    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        case = _case(rows, oid)
        case.state = state
        setattr(case, column, plain(p["at"]))

    return handler


for _topic, _state, _column in [
    (D + "Accepted", "accepted", "accepted_at"),
    (D + "Declined", "declined", "declined_at"),
    (D + "Withdrawn", "withdrawn", "withdrawn_at"),
    (A + "Accepted", "accepted", "accepted_at"),
    (A + "Declined", "declined", "declined_at"),
    (A + "FeedbackRecorded", "feedback_recorded", "feedback_at"),
    (A + "Closed", "closed", "closed_at"),
    (A + "Withdrawn", "withdrawn", "withdrawn_at"),
]:
    HANDLERS[_topic] = _milestone(_state, _column)


@on(D + "MediationStarted")
def _mediation_started(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    _milestone("mediating", "mediation_at")(rows, oid, seq, p)
    rows.cases[oid].mediator = p["mediator"]


@on(D + "Resolved")
def _resolved(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    _milestone("resolved", "resolved_at")(rows, oid, seq, p)
    rows.cases[oid].settled = plain(p["settled_amount"])


@on(D + "Escalated", A + "Escalated")
def _escalated(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    _milestone("escalated", "escalated_at")(rows, oid, seq, p)
    rows.cases[oid].escalated_to = p["to"]


@on(A + "Approved")
def _approved(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    _milestone("approved", "approved_at")(rows, oid, seq, p)
    case, help = rows.cases[oid], p["help"]
    case.help_kind, case.fund = help["kind"], help.get("fund")
    if "monthly_amount" in help:
        case.monthly_amount = plain(help["monthly_amount"])
        case.first_month, case.months = help["first_month"], help.get("months")


@on(A + "Implemented")
def _implemented(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    _milestone("implemented", "implemented_at")(rows, oid, seq, p)
    case = rows.cases[oid]
    kind = case.help_kind or "other"
    if kind != "monthly_subsidy":  # a subsidy's money arrives with each quarterly payout
        rows.deliveries.append(Delivery(
            seq, case.org, case.worker or case.number, kind, plain(p["paid"]),
            case.fund, plain(p["at"]),
        ))


@on(A + "SubsidyPaid")
def _subsidy_paid(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    case = _case(rows, oid)
    rows.deliveries.append(Delivery(
        seq, case.org, case.worker or case.number, "subsidy", plain(p["amount"]), case.fund,
        plain(p["at"]),
    ))


@on(W + "Enrolled")
def _enrolled(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.workers[oid] = WorkerRow(oid, p["worker"], p["org"])
    rows.touched.add(oid)
    rows.register_moves.append(RegisterMove(seq, p["worker"], p["org"], "enrol", plain(p["at"])))


def _register_move(kind: str) -> Handler:
    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        w = rows.workers[oid]
        rows.register_moves.append(RegisterMove(seq, w.worker, w.org, kind, plain(p["at"])))

    return handler


HANDLERS[W + "Exited"] = _register_move("exit")
HANDLERS[W + "Reenrolled"] = _register_move("reenrol")


@on(W + "CondolencePaid")
def _condolence(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    w = rows.workers[oid]
    rows.deliveries.append(Delivery(
        seq, w.org, w.worker, "campaign", plain(p["amount"]), p["fund"], plain(p["at"]),
    ))


@on(F + "Opened")
def _fund_opened(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.funds[oid] = FundRow(oid, p["code"], p["org"], p["name"])
    rows.touched.add(oid)


@on(F + "Contributed")
def _contributed(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    f = rows.funds[oid]
    rows.fund_moves.append(FundMove(seq, f.code, f.org, plain(p["amount"]), "contribution",
                                    plain(p["at"])))


@on(F + "Disbursed")
def _disbursed(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    f = rows.funds[oid]
    rows.fund_moves.append(FundMove(seq, f.code, f.org, str(-Decimal(plain(p["amount"]))),
                                    p["purpose"], plain(p["at"])))


CREATES = frozenset(t for t in HANDLERS if t.endswith((".Received", ".Enrolled", ".Opened")))
UPDATES = frozenset(HANDLERS) - CREATES


def ids_needed(topic: str) -> bool:
    """Whether an event updates an existing row (so a batch must load that row first)."""
    return topic in UPDATES

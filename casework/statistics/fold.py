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

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, make_dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any, Protocol

from eventsourcing.utils import get_topic

from domain import KINDS, AidFund, Body, HardshipAidCase, Kind, RegisteredWorker
from domain.case import Record
from workflows.disputes import is_collective

Payload = dict[str, Any]
#: A record's events stored before a notification: (id, topic, payload) each, oldest first.
History = Callable[[str, int], list[tuple[int, str, Payload]]]


def plain(value: Any) -> Any:
    """A transcoded value's plain form: the ISO string of a datetime, the str of a Decimal."""
    return value["_data_"] if type(value) is dict else value


Fields = Callable[[Payload], dict[str, Any]]


def _fields(columns: Mapping[str, str]) -> Fields:
    """A reader of the columns a move sets, each from its event field, dotted into a dict
    field ("help.kind"); None where it is absent; a yes/no as 1/0, as both stores keep it.
    Made once per move, as the fold reads these for every event."""
    paths = [(column, *path.partition(".")[::2]) for column, path in columns.items()]

    def read(p: Payload) -> dict[str, Any]:
        out = {}
        for column, head, rest in paths:
            value = p.get(head)
            if rest and value is not None:
                value = value.get(rest)
            if type(value) is dict:
                value = value["_data_"]
            out[column] = int(value) if type(value) is bool else value
        return out

    return read


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


#: Column → its plain type, for the rows and the read model's tables; then when a case was
#: last reopened, the days it spent in mediation before (so days to resolution count the
#: time actually spent), and when it was voided (a voided case is in no figure or list).
CASE_COLUMNS = {**_case_columns(KINDS.values()),
                "reopened_at": str, "earlier_days": int, "voided_at": str}

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


class Sink(Protocol):
    """Where the fold's counter deltas go: a batch's Counter (the projection stores it), or
    a window's running sums (the replay)."""

    def add(self, org: str, day: str, figure: str, key: str, n: int) -> None: ...


class Deltas(Counter[tuple[str, str, str, str]]):
    """A batch's deltas: (body, local day, figure, key) → change."""

    def add(self, org: str, day: str, figure: str, key: str, n: int) -> None:
        self[org, day, figure, key] += n


def local_day(tz: tzinfo) -> Callable[[str], str]:
    """A stored UTC ISO time → its local date in `tz` ("2023-01-31"), cached by the hour
    (a whole-hour offset changes only on an hour)."""
    if getattr(tz, "key", None) == "UTC" or tz is UTC:
        return lambda iso: iso[:10]
    hours: dict[str, str] = {}

    def day(iso: str) -> str:
        found = hours.get(iso[:13])
        if found is not None:
            return found
        local = datetime.fromisoformat(iso).astimezone(tz)
        offset = local.utcoffset()
        text = local.date().isoformat()
        if offset is not None and offset.total_seconds() % 3600 == 0:
            hours[iso[:13]] = text
        return text

    return day


@dataclass
class Rows:
    """The read model's rows, or the part of them one batch of events touches, and the
    counters the batch changes (`counts`, with `day` giving an event's local date)."""

    cases: dict[str, Any] = field(default_factory=dict)
    bodies: dict[str, BodyRow] = field(default_factory=dict)
    funds: dict[str, FundRow] = field(default_factory=dict)
    workers: dict[str, WorkerRow] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    fund_moves: list[FundMove] = field(default_factory=list)
    register_moves: list[RegisterMove] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    counts: Sink = field(default_factory=Deltas)
    day: Callable[[str], str] = field(default=lambda iso: iso[:10])
    #: Where a correction or a void finds its record's earlier events, to fold it again.
    history: History = field(default=lambda oid, seq: _no_history(oid))


def _no_history(oid: str) -> list[tuple[int, str, Payload]]:
    raise LookupError(f"the fold was given no history to re-fold {oid} from")


Handler = Callable[[Rows, str, int, Payload], None]
HANDLERS: dict[str, Handler] = {}
#: Topics of events that create a record (the rest update one the fold already has).
CREATES: set[str] = set()
#: Topics of events that fold their record again from its history (a correction, a
#: void): folded whether or not the caller still follows the record.
REFOLDS: set[str] = set()


def fold(rows: Rows, originator_id: str, seq: int, topic: str, payload: Payload) -> None:
    """Apply one stored event to `rows`. Events the statistics do not need are skipped."""
    handler = HANDLERS.get(topic)
    if handler is None:
        return
    if topic not in CREATES and topic not in REFOLDS and not (
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
    extra = ON_OPENED.get(kind.name)
    read = _fields(columns)

    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        at = plain(p["at"])
        case = rows.cases[oid] = CaseRow(
            id=oid, kind=kind.name, number=p["number"], org=p["org"], state=initial,
            received_at=at, **read(p),
        )
        rows.touched.add(oid)
        add, org, day = rows.counts.add, case.org, rows.day(at)
        for family in families(case):
            add(org, day, f"{family}.received", "", 1)
            add(org, day, f"@{family}.in", initial, 1)
        if extra is not None:
            extra(rows, case, day, p)

    return handler


def _moved(kind: Kind, state: str, columns: Mapping[str, str]) -> Handler:
    column = milestone(state)
    lifecycle = kind.lifecycle
    initial, finals = lifecycle.initial, frozenset(lifecycle.final_states)
    final = state in finals
    extra = ON_ENTERED.get((kind.name, state))
    read = _fields(columns)

    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        case = _case(rows, oid)
        before = case.state
        case.state = state
        at = plain(p["at"])
        setattr(case, column, at)
        for c, value in read(p).items():
            setattr(case, c, value)
        add, org, day = rows.counts.add, case.org, rows.day(at)
        was_open = before not in finals  # concluded once: a later move (the party's
        for family in families(case):    # application after termination) is not another
            add(org, day, f"{family}.entered", state, 1)
            if was_open:
                add(org, day, f"@{family}.in", before, -1)
            if final and was_open:
                add(org, day, f"{family}.concluded", state, 1)
                if before != initial:
                    add(org, day, f"{family}.concluded_after", state, 1)
            elif not final:
                add(org, day, f"@{family}.in", state, 1)
        if extra is not None:
            extra(rows, case, day, p)

    return handler


# ---- the counters each event changes -------------------------------------------------------
#
# Every figure of a period's return is a sum of these over the period's days and bodies
# (flows), or over every day before a date (stocks: figures named "@…"), or the number of
# distinct keys over the period's days ("~…": workers helped). One definition, two paths:
# the projection stores the deltas (casework.statistics.counters), the replay sums them.
#
# A case's family is its kind ("dispute", "aid", "warning"); an aid case the union opened
# on its own initiative (channel "outreach": a survey, a home visit) is also counted in
# "aid.outreach", so that requests received at the desk (接待) are the kind's cases less those.

SURVEY = "outreach"


def families(case: Any) -> tuple[str, ...]:
    if getattr(case, "channel", None) == SURVEY:
        return (case.kind, f"{case.kind}.{SURVEY}")
    return (case.kind,)


def fen(amount: Any) -> int:
    """Money in whole fen (cents): counters add integers exactly, in SQL as in Python."""
    return int((Decimal(plain(amount) or 0) * 100).to_integral_value())


def month_start_after(first_month: str, months: int) -> date:
    """The first day of the month after a term of `months` from `first_month`."""
    index = int(first_month[:4]) * 12 + int(first_month[5:7]) - 1 + months
    return date(index // 12, index % 12 + 1, 1)


Extra = Callable[[Rows, Any, str, Payload], None]
ON_OPENED: dict[str, Extra] = {}
ON_ENTERED: dict[tuple[str, str], Extra] = {}
ON_NOTED: dict[tuple[str, str], Extra] = {}


def _dispute_received(rows: Rows, case: Any, day: str, p: Payload) -> None:
    add, org = rows.counts.add, case.org
    add(org, day, "dispute.channel", case.channel, 1)
    add(org, day, "dispute.employer.received", case.employer, 1)
    if is_collective(case.workers, bool(case.common_claim)):  # LDMAL art. 7
        add(org, day, "dispute.collective", "", 1)
        add(org, day, "dispute.collective.workers", "", case.workers)


def _dispute_terminated(rows: Rows, case: Any, day: str, p: Payload) -> None:
    rows.counts.add(case.org, day, "dispute.terminated.reason", case.termination or "", 1)


def _dispute_followed_up(rows: Rows, case: Any, day: str, p: Payload) -> None:
    """履行回访: what the follow-up found (performed yes, partly, no)."""
    rows.counts.add(case.org, day, "dispute.performed", case.performed or "", 1)


def _dispute_mediating(rows: Rows, case: Any, day: str, p: Payload) -> None:
    if case.mediator:
        rows.counts.add(case.org, day, "dispute.mediator.received", case.mediator, 1)


def _dispute_resolved(rows: Rows, case: Any, day: str, p: Payload) -> None:
    add, org = rows.counts.add, case.org
    add(org, day, "dispute.resolved.category", case.category, 1)
    add(org, day, "dispute.resolved.workers", "", case.workers)
    add(org, day, "dispute.resolved.amount", "", fen(case.amount))
    add(org, day, "dispute.resolved.settled", "", fen(case.settled or 0))
    add(org, day, "dispute.resolved.month", day[:7], 1)
    add(org, day, "dispute.employer.resolved", case.employer, 1)
    if case.mediator:
        add(org, day, "dispute.mediator.resolved", case.mediator, 1)
    if case.accepted_at:  # since acceptance, or since reopened and the days before it
        took = _days(rows, case.reopened_at or case.accepted_at, day) + (case.earlier_days or 0)
        add(org, day, "dispute.resolved.days", str(took), 1)


def _days(rows: Rows, since: str, day: str) -> int:
    return (date.fromisoformat(day) - date.fromisoformat(rows.day(since))).days


def _aid_received(rows: Rows, case: Any, day: str, p: Payload) -> None:
    rows.counts.add(case.org, day, "aid.channel", case.channel, 1)


def subsidy_end(case: Any) -> str | None:
    """The day a subsidy's term is over (None: open-ended)."""
    if case.months is None:
        return None
    return month_start_after(case.first_month, case.months).isoformat()


def _subsidy_decided(rows: Rows, case: Any, day: str, p: Payload) -> None:
    """A monthly subsidy counts as running (补助对象) from its decision to its term's end."""
    if case.help_kind != "monthly_subsidy" or not case.first_month:
        return
    end, key = subsidy_end(case), str(fen(case.monthly_amount))
    if end is not None and end <= day:
        return  # its term was over before it was decided: it never runs
    rows.counts.add(case.org, day, "@aid.subsidies", key, 1)
    if end is not None:
        rows.counts.add(case.org, end, "@aid.subsidies", key, -1)


def _subsidy_stopped(rows: Rows, case: Any, day: str, p: Payload) -> None:
    """Withdrawn or referred upwards: a running subsidy stops that day, not at its term."""
    if case.help_kind != "monthly_subsidy" or not case.first_month or not case.approved_at:
        return
    end, key = subsidy_end(case), str(fen(case.monthly_amount))
    start = rows.day(case.approved_at)
    if end is not None and (end <= day or end <= start):
        return
    rows.counts.add(case.org, day, "@aid.subsidies", key, -1)
    if end is not None:
        rows.counts.add(case.org, end, "@aid.subsidies", key, 1)


def _warning_reported(rows: Rows, case: Any, day: str, p: Payload) -> None:
    add, org = rows.counts.add, case.org
    add(org, day, "warning.risk", case.risk, 1)
    add(org, day, "warning.workers", "", case.workers)
    add(org, day, "warning.officer.received", case.officer, 1)
    add(org, day, "warning.enterprise.received", case.enterprise, 1)


def _warning_resolved(rows: Rows, case: Any, day: str, p: Payload) -> None:
    add, org = rows.counts.add, case.org
    add(org, day, "warning.officer.resolved", case.officer, 1)
    add(org, day, "warning.enterprise.resolved", case.enterprise, 1)


def _delivered(rows: Rows, d: Delivery) -> None:
    """Help that reached a worker: money by kind, referrals, and who was helped."""
    add, day = rows.counts.add, rows.day(d.at)
    if d.kind in ("one_off", "subsidy", "campaign"):
        add(d.org, day, "aid.paid", d.kind, fen(d.amount))
    if d.kind == "referral":
        add(d.org, day, "aid.referrals", "", 1)
    add(d.org, day, "~aid.helped", d.beneficiary, 1)
    if d.kind == "campaign":
        add(d.org, day, "~aid.campaign_helped", d.beneficiary, 1)


ON_OPENED.update(dispute=_dispute_received, aid=_aid_received, warning=_warning_reported)
ON_NOTED[("dispute", "follow_up")] = _dispute_followed_up
ON_ENTERED.update({
    ("dispute", "terminated"): _dispute_terminated,
    ("dispute", "mediating"): _dispute_mediating,
    ("dispute", "resolved"): _dispute_resolved,
    ("aid", "approved"): _subsidy_decided,
    ("aid", "withdrawn"): _subsidy_stopped,
    ("aid", "escalated"): _subsidy_stopped,
    ("warning", "resolved"): _warning_resolved,
})


def _noted(kind: Kind, note: str, columns: Mapping[str, str]) -> Handler:
    """A note (an extension, a follow-up): its milestone and columns, and a counter."""
    column = milestone(note)
    extra = ON_NOTED.get((kind.name, note))
    read = _fields(columns)

    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        case = _case(rows, oid)
        at = plain(p["at"])
        setattr(case, column, at)
        for c, value in read(p).items():
            setattr(case, c, value)
        day = rows.day(at)
        for family in families(case):
            rows.counts.add(case.org, day, f"{family}.noted", note, 1)
        if extra is not None:
            extra(rows, case, day, p)

    return handler


def _reopened(kind: Kind, state: str) -> Handler:
    """A concluded case taken back up: open again (in `state`), counted as reopened from
    the state it leaves, so opening + received + reopened − concluded = closing; its
    conclusion stays counted where it happened. The days it spent before (from acceptance,
    or its last reopening, to the conclusion now undone) are kept for its next one."""

    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        case = _case(rows, oid)
        before, at = case.state, plain(p["at"])
        ended, since = getattr(case, milestone(before)), case.reopened_at or case.accepted_at
        if ended and since:
            case.earlier_days = (case.earlier_days or 0) + _days(rows, since, rows.day(ended))
        case.state, case.reopened_at = state, at
        add, org, day = rows.counts.add, case.org, rows.day(at)
        for family in families(case):
            add(org, day, f"{family}.reopened", before, 1)
            add(org, day, f"@{family}.in", state, 1)

    return handler


def follow(kind: Kind) -> None:
    """Fold a kind's opening and every lifecycle move, by their event classes: a move sets
    the state and its milestone, a note only its own milestone; both their summary columns;
    a reopening takes the case back up."""
    opening = kind.aggregate.opened_by
    _register(kind.event_for(opening), _opened(kind, kind.summary.get(opening, {})),
              creates=True)
    for move in kind.lifecycle.triggers:
        dest, columns = kind.lifecycle.dest(move), kind.summary.get(move, {})
        if dest is None:
            handler = _noted(kind, move, columns)
        elif move in kind.lifecycle.reopening:
            handler = _reopened(kind, dest)
        else:
            handler = _moved(kind, dest, columns)
        _register(kind.event_for(move), handler)


for _kind in KINDS.values():
    follow(_kind)


# ---- corrections and voids: the record folded again -----------------------------------------
#
# A correction changes facts counted when earlier events were folded, perhaps in earlier
# periods; a void takes back everything its record counted. Both fold the record's earlier
# events again into a scratch row, once as they stood and once with this event, and add the
# difference: one definition of the counters, the same in the projection and the replay.

#: Each case event's topic → the move it records (the opening's name for the opening).
MOVE_OF = {get_topic(k.event_for(m)): m for k in KINDS.values()
           for m in (k.aggregate.opened_by, *k.lifecycle.triggers)}
OPENINGS = frozenset(get_topic(k.event_for(k.aggregate.opened_by)) for k in KINDS.values())
CORRECTED, VOIDED = (get_topic(getattr(Record, e)) for e in ("Corrected", "Voided"))


def _as_corrected(oid: str, events: list[tuple[int, str, Payload]],
                  day: Callable[[str], str], before: str | None = None) -> tuple[Any, Deltas]:
    """A case's row and counters from its events, each correction applied to the latest
    event of the move it corrects (of those dated `before`, where given); a voided case's
    row counts nothing."""
    kept: list[tuple[int, str, Payload]] = []
    latest: dict[str, int] = {}
    voided = None
    for seq, topic, p in events:
        if topic == CORRECTED:
            for change in p["changes"]:
                i = latest[change["move"]]
                at, what, was = kept[i]
                kept[i] = (at, what, {**was, change["field"]: change["new"]})
        elif topic == VOIDED:
            voided = plain(p["at"])
        else:
            if topic in MOVE_OF:
                latest[MOVE_OF[topic]] = len(kept)
            kept.append((seq, topic, p))
    scratch = Rows(day=day)
    for seq, topic, p in kept:
        if before is None or topic in OPENINGS or plain(p["at"]) < before:
            fold(scratch, oid, seq, topic, p)
    row = scratch.cases[oid]
    if voided is not None:
        row.voided_at = voided
        return row, Deltas()
    return row, scratch.counts  # type: ignore[return-value]


def _refold(topic: str) -> Handler:
    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        earlier = rows.history(oid, seq)
        if not earlier or earlier[0][1] not in OPENINGS:
            return  # a register entry: no figure counts what its corrections change
        _, was = _as_corrected(oid, earlier, rows.day)
        row, now = _as_corrected(oid, [*earlier, (seq, topic, p)], rows.day)
        for key in was.keys() | now.keys():
            if now[key] != was[key]:
                rows.counts.add(*key, now[key] - was[key])
        rows.cases[oid] = row
        rows.touched.add(oid)

    return handler


def as_of(oid: str, events: list[tuple[int, str, Payload]], day: Callable[[str], str],
          cut: str | None = None) -> Any:
    """A case's row as it stood before `cut` (business time; None: after all `events`),
    with every correction."""
    return _as_corrected(oid, events, day, cut)[0]


def reopened_as_of(rows: Iterable[Any], cut: str, history: History,
                   day: Callable[[str], str]) -> list[Any]:
    """Rows as they stood before `cut`, a reopened case's folded again from its history:
    its milestones alone cannot say it, a reopening having taken it back from a state it
    may reach again."""
    return [r if r.reopened_at is None else as_of(r.id, history(r.id, 2 ** 62), day, cut)
            for r in rows]


for _topic in (CORRECTED, VOIDED):
    HANDLERS[_topic] = _refold(_topic)
    REFOLDS.add(_topic)


# ---- union bodies ---------------------------------------------------------------------------


@on(Body.event_for("__init__"), creates=True)
def _body_registered(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    at = plain(p["at"])
    rows.bodies[oid] = BodyRow(oid, p["code"], p["name"], p["body_kind"], p["parent"], at)
    rows.touched.add(oid)
    rows.counts.add(p["code"], rows.day(at), "@bodies", "", 0)  # a body the registry names


# ---- money and the register ---------------------------------------------------------------


@on(HardshipAidCase.event_for("implement"))
def _implemented(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    case = rows.cases[oid]
    kind = case.help_kind or "other"
    if kind != "monthly_subsidy":  # a subsidy's money arrives with each quarterly payout
        d = Delivery(seq, case.org, case.worker or case.number, kind, plain(p["paid"]),
                     case.fund, plain(p["at"]))
        rows.deliveries.append(d)
        _delivered(rows, d)


@on(HardshipAidCase.event_for("_pay_subsidy"))
def _subsidy_paid(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    case = _case(rows, oid)
    d = Delivery(seq, case.org, case.worker or case.number, "subsidy", plain(p["amount"]),
                 case.fund, plain(p["at"]))
    rows.deliveries.append(d)
    _delivered(rows, d)


@on(RegisteredWorker.event_for("__init__"), creates=True)
def _enrolled(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.workers[oid] = WorkerRow(oid, p["worker"], p["org"])
    rows.touched.add(oid)
    at = plain(p["at"])
    rows.register_moves.append(RegisterMove(seq, p["worker"], p["org"], "enrol", at))
    day = rows.day(at)
    rows.counts.add(p["org"], day, "@aid.registered", "", 1)
    rows.counts.add(p["org"], day, "aid.newly_registered", "", 1)


def _register_move(kind: str) -> Handler:
    def handler(rows: Rows, oid: str, seq: int, p: Payload) -> None:
        w = rows.workers[oid]
        at = plain(p["at"])
        rows.register_moves.append(RegisterMove(seq, w.worker, w.org, kind, at))
        rows.counts.add(w.org, rows.day(at), "@aid.registered", "", -1 if kind == "exit" else 1)

    return handler


_register(RegisteredWorker.event_for("_exit"), _register_move("exit"))
_register(RegisteredWorker.event_for("_reenrol"), _register_move("reenrol"))


@on(RegisteredWorker.event_for("_receive_condolence"))
def _condolence(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    w = rows.workers[oid]
    d = Delivery(seq, w.org, w.worker, "campaign", plain(p["amount"]), p["fund"],
                 plain(p["at"]))
    rows.deliveries.append(d)
    _delivered(rows, d)


@on(AidFund.event_for("__init__"), creates=True)
def _fund_opened(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    rows.funds[oid] = FundRow(oid, p["code"], p["org"], p["name"])
    rows.touched.add(oid)
    rows.counts.add(p["org"], rows.day(plain(p["at"])), "@aid.funds", p["code"], 0)


@on(AidFund.event_for("_contribute"))
def _contributed(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    f = rows.funds[oid]
    at = plain(p["at"])
    rows.fund_moves.append(FundMove(seq, f.code, f.org, plain(p["amount"]), "contribution", at))
    day, amount = rows.day(at), fen(p["amount"])
    rows.counts.add(f.org, day, "@aid.funds", f.code, amount)
    rows.counts.add(f.org, day, "aid.contributions", "", amount)


@on(AidFund.event_for("_disburse"))
def _disbursed(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    f = rows.funds[oid]
    at = plain(p["at"])
    rows.fund_moves.append(FundMove(seq, f.code, f.org, str(-Decimal(plain(p["amount"]))),
                                    p["purpose"], at))
    rows.counts.add(f.org, rows.day(at), "@aid.funds", f.code, -fen(p["amount"]))


@on(AidFund.event_for("_correct_contribution"))
def _corrected(rows: Rows, oid: str, seq: int, p: Payload) -> None:
    """A contribution's amount corrected: the difference counts on the contribution's own
    day, as money in (the ledger's line, the balances, the period's contributions)."""
    f = rows.funds[oid]
    at = plain(p["moment_of"])
    change = fen(p["amount"]) - fen(p["was"])
    rows.fund_moves.append(FundMove(seq, f.code, f.org, str(Decimal(change) / 100),
                                    "correction", at))
    day = rows.day(at)
    rows.counts.add(f.org, day, "@aid.funds", f.code, change)
    rows.counts.add(f.org, day, "aid.contributions", "", change)

"""My caseload: the open cases a member of staff holds, in deadline order.

Which kinds a role works on comes from the kinds' declarations (`Kind.roles`; a supervisor
works on every kind), which bodies from the account. A case is *mine* when its assignee
column names me — a dispute's mediator, a warning's officer — or names nobody yet; roles
that no column assigns (an aid officer) hold every open case of their bodies.

Deadlines: a case view's own `deadline` and `rule` where the engine gives them (rule-based
deadlines), else the dispute's mediation clock (`DisputeView.mediation_deadline`). While
the view has no `deadline`, the clock is read from the read model's row by the very function
the view uses, so the home page needs no case loaded; once it has one, each case's view is
loaded and its deadline kept per row state.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from casework.app import Casework
from domain import KINDS
from domain.kind import Kind
from workflows import disputes
from workflows.access import ALL_BODIES, AUDITOR, MEDIATOR, SUPERVISOR, Actor
from workflows.procedure import DEFAULT_BODY_KIND, Rule, UnknownRule, rule_by_id
from workflows.warnings import WARNING_OFFICER

#: Kind → (the read-model column that assigns a case to someone, the role it assigns).
ASSIGNEE = {"dispute": ("mediator", MEDIATOR), "warning": ("officer", WARNING_OFFICER)}
SOON = 3  # days: "due within 3 days"
#: The engine's rule-based deadlines, once a view has them.


@dataclass(frozen=True)
class Deadline:
    day: date | None
    rule: str  # a words key, or the engine's own text of the rule
    starts: str = ""  # a words key when the clock has not started


@dataclass
class Line:
    kind: Kind
    number: str
    org: str
    state: str
    received_at: datetime
    assignee: str | None
    subject: str
    deadline: Deadline
    bucket: str = "rest"
    days: int | None = None  # days left (negative: over)

    @property
    def url(self) -> str:
        return f"/{self.kind.plural}/{self.number}"


@dataclass
class Caseload:
    overdue: list[Line] = field(default_factory=list)
    soon: list[Line] = field(default_factory=list)
    rest: list[Line] = field(default_factory=list)

    def add(self, line: Line) -> None:
        getattr(self, line.bucket).append(line)

    def sort(self) -> None:
        far = date.max
        for lines in (self.overdue, self.soon, self.rest):
            lines.sort(key=lambda x: (x.deadline.day or far, x.received_at, x.number))

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.soon) + len(self.rest)


def kinds_for(role: str) -> list[Kind]:
    if role == AUDITOR:
        return []
    return [k for k in KINDS.values() if role == SUPERVISOR or role in k.roles]


def view_deadline(view: Any) -> Deadline:
    """A case view's deadline and the rule that sets it."""
    day = getattr(view, "deadline", None)
    rule = getattr(view, "rule", None)
    if day is None and hasattr(view, "mediation_deadline"):
        day = view.mediation_deadline
        if rule is None:
            rule = "deadline.ldmal14"
    if isinstance(rule, str) and not rule.startswith("deadline."):
        with contextlib.suppress(UnknownRule):  # a text of its own: shown as it is
            rule = citation(rule_by_id(rule))
    if day is None:
        starts = "deadline.not_started" if hasattr(view, "mediation_deadline") else ""
        return Deadline(None, rule or ("deadline.ldmal14" if starts else "deadline.none"),
                        starts)
    return Deadline(day, rule or "deadline.none")


def row_deadline(kind: str, row: Any, tz: tzinfo,
                 body_kinds: Mapping[str, str] | None = None) -> Deadline:
    """The mediation period's last day from the read model's row, by the rule the case
    recorded (or, stored before rules were, its body's kind's rule on the day received):
    the derivation the dispute's view and list use (workflows.disputes)."""
    if kind != "dispute":
        return Deadline(None, "deadline.none")

    def day(iso: str | None) -> date | None:
        return None if not iso else datetime.fromisoformat(iso).astimezone(tz).date()

    received = day(row.received_at) or date.min
    rule = disputes.case_rule(getattr(row, "rule", None),
                              (body_kinds or {}).get(row.org, DEFAULT_BODY_KIND), received)
    if rule is None:
        return Deadline(None, "deadline.none")
    last = disputes.mediation_deadline(rule, received, day(getattr(row, "accepted_at", None)),
                                       getattr(row, "extension_days", None))
    return Deadline(last, citation(rule), "" if last else "deadline.not_started")


def citation(rule: Rule) -> str:
    """How the desk names the rule that sets a deadline: its instrument and article."""
    return f"《{rule.instrument_zh}》{rule.article}"


def bodies(actor: Actor) -> tuple[str, ...] | None:
    """The bodies an actor works for; None for every body."""
    return None if ALL_BODIES in actor.orgs else actor.orgs


def open_rows(cw: Casework, kind: Kind, orgs: Sequence[str] | None) -> list[Any]:
    """The open cases of a kind (of some bodies), from the read model, oldest first."""
    cw.summaries.catch_up()
    states = kind.lifecycle.open_states
    where = ["kind = ?", f"state IN ({', '.join('?' for _ in states)})", "voided_at IS NULL"]
    params: list[Any] = [kind.name, *states]
    if orgs is not None:
        where.append(f"org IN ({', '.join('?' for _ in orgs)})")
        params.extend(orgs)
    # Sorted here: without an ORDER BY the store reads the (kind, state, org) index.
    rows = cw.summaries.tables.select("cases", "WHERE " + " AND ".join(where), params)
    return sorted(rows, key=lambda r: (r.received_at, r.number))


class Deadlines:
    """Each case's deadline, from its row or (rule-based) from its view, kept per row."""

    def __init__(self, cw: Casework) -> None:
        self.cw = cw
        self._bodies: dict[str, str] | None = None

    def of(self, kind: Kind, row: Any) -> Deadline:
        if self._bodies is None:  # the registry once per page, not per row
            self._bodies = {b.code: b.kind for b in self.cw.summaries.bodies()}
        return row_deadline(kind.name, row, self.cw.clock.tz, self._bodies)


def _subject(row: Any) -> str:
    for column in ("employer", "enterprise", "worker", "channel"):
        value = getattr(row, column, None)
        if value:
            return str(value)
    return ""


def lines(cw: Casework, deadlines: Deadlines, actor: Actor, today: date,
          kinds: Iterable[Kind] | None = None) -> list[Line]:
    """Every open case the actor sees among `kinds` (default: their role's), with its
    deadline and bucket."""
    out = []
    orgs = bodies(actor)
    for kind in (kinds_for(actor.role) if kinds is None else kinds):
        column, _ = ASSIGNEE.get(kind.name, (None, None))
        for row in open_rows(cw, kind, orgs):
            d = deadlines.of(kind, row)
            line = Line(kind, row.number, row.org, row.state,
                        datetime.fromisoformat(row.received_at),
                        getattr(row, column) if column else None, _subject(row), d)
            if d.day is not None:
                line.days = (d.day - today).days
                line.bucket = ("overdue" if line.days < 0 else
                               "soon" if line.days <= SOON else "rest")
            out.append(line)
    return out


def mine(actor: Actor, line: Line) -> bool:
    column = ASSIGNEE.get(line.kind.name)
    if column is None or actor.role != column[1]:
        return True
    return line.assignee in (None, actor.id)


def caseload(items: Iterable[Line]) -> Caseload:
    load = Caseload()
    for line in items:
        load.add(line)
    load.sort()
    return load


def by_assignee(items: Iterable[Line]) -> dict[str, Caseload]:
    """A supervisor's view: the caseloads of their bodies, by mediator or officer ("" for
    cases no one is assigned to)."""
    groups: dict[str, list[Line]] = {}
    for line in items:
        groups.setdefault(line.assignee or "", []).append(line)
    return {who: caseload(group) for who, group in sorted(groups.items())}


def today_in(tz: tzinfo, now: datetime) -> date:
    return now.astimezone(tz).date()


__all__ = ["SOON", "Caseload", "Deadline", "Line", "by_assignee", "caseload", "kinds_for",
           "lines", "mine"]

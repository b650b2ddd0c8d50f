"""The read side: a kind of case's queries, one case from the log, lists from the read model.

Command services never read the read model; where a command needs a list (a quarterly
payout needs the subsidies to pay), the facade hands it the query, so reads and writes stay
separate and the statistics stay out of the commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field

from casework.access import Access, ActorLike
from casework.bodies import body_kind
from casework.clock import Clock
from casework.log import CaseLog
from casework.statistics.fold import milestone
from casework.statistics.projection import CaseSummaries
from casework.views import VIEWS, CaseLine, CaseView, View
from domain.kind import Kind
from domain.values import Code, check
from workflows import aid, disputes
from workflows.access import Actor
from workflows.procedure import DEFAULT_BODY_KIND

V = TypeVar("V", bound=View)

#: States in which help decided no longer counts against a worker's thresholds.
WITHDRAWN = (aid.WITHDRAWN, aid.ESCALATED)


class CaseQueries:
    """A kind's reads, scoped like its writes: with an actors directory a reader sees the
    cases of their own bodies, and personal data only where their role needs it."""

    def __init__(self, kind: Kind, log: CaseLog, clock: Clock, access: Access,
                 summaries: CaseSummaries) -> None:
        self.kind, self.log, self.clock, self.access = kind, log, clock, access
        self.summaries = summaries

    def get(self, case: str, *, actor: ActorLike | None = None) -> CaseView:
        """One case, as its events left it, with its history."""
        key = str(check(case=(Code, case))["case"])
        now = self.clock.now()
        reader = self.access.reader(actor, key, now)
        record = self.log.load(self.kind.aggregate, key)
        self.access.check_read(reader, key, record.org, now)
        view = VIEWS.get(self.kind.name, CaseView).of(record, self.clock.local_date,
                                                      **self.context(record.org))
        return view if reader is None else redacted(view, reader, self.kind.personal)

    def context(self, org: str) -> dict[str, Any]:
        """What a view derives its facts from besides the record."""
        return {}

    def _rows(self, state: str | None, org: str | None, actor: ActorLike | None) -> list[Any]:
        v = check(state=(Literal[self.kind.lifecycle.states] | None, state),
                  org=(Code | None, org))
        now = self.clock.now()
        reader = self.access.reader(actor, self.kind.plural, now)
        if v["org"] is not None:
            self.access.check_read(reader, self.kind.plural, v["org"], now)
        rows = self.summaries.cases(self.kind.name, state=v["state"], org=v["org"])
        covered = None if reader is None else self.access.covered(reader)
        return rows if covered is None else [r for r in rows if r.org in covered]

    def line(self, row: Any, **derived: Any) -> CaseLine:
        facts = {c: _plain(getattr(row, c), tp) for c, tp in self.kind.columns.items()}
        return CaseLine(number=row.number, kind=row.kind, org=row.org, state=row.state,
                        received_at=datetime.fromisoformat(row.received_at),
                        **{**facts, **derived})

    def list(self, *, state: str | None = None, org: str | None = None,
             actor: ActorLike | None = None) -> list[CaseLine]:
        """Cases from the read model (brought up to date first), oldest first."""
        return [self.line(r) for r in self._rows(state, org, actor)]

    def moved(self, lines: Sequence[CaseLine]) -> dict[str, dict[str, datetime]]:
        """When each listed case made each move whose day the read model keeps (the state
        it reached, or the note it made), by number: the days a sheet of the list shows."""
        wanted = {line.number for line in lines}
        life = self.kind.lifecycle
        columns = {m: milestone(life.dest(m) or m) for m in life.triggers}
        return {r.number: {m: datetime.fromisoformat(v) for m, c in columns.items()
                           if (v := getattr(r, c, None))}
                for r in self.summaries.cases(self.kind.name) if r.number in wanted}


def _plain(value: Any, tp: type) -> Any:
    """A read-model cell as its column's type: money as Decimal, a yes/no as a bool."""
    if value is None or tp not in (Decimal, bool):
        return value
    return Decimal(value) if tp is Decimal else bool(value)


class DisputeQueries(CaseQueries):
    def context(self, org: str) -> dict[str, Any]:
        return {"body_kind": body_kind(self.log, org)}

    def list(self, *, state: str | None = None, org: str | None = None,
             mediator: str | None = None, overdue_on: date | None = None,
             due_within: int | None = None, on: date | None = None,
             actor: ActorLike | None = None) -> list[CaseLine]:
        """Disputes, oldest first, each naming its rule and last day of mediation; with
        `overdue_on`, those past that day and still open then; with `due_within`, those open
        on `on` (default today) whose last day falls within that many days of it."""
        v = check(mediator=(Code | None, mediator), overdue_on=(date | None, overdue_on),
                  due_within=(Annotated[int, Field(strict=True, ge=0, le=366)] | None,
                              due_within),
                  on=(date | None, on))
        rows = self._rows(state, org, actor)
        if v["mediator"] is not None:
            rows = [r for r in rows if r.mediator == v["mediator"]]
        kinds = {b.code: b.kind for b in self.summaries.bodies()}
        lines = [(r, self._deadline(r, kinds)) for r in rows]
        if v["overdue_on"] is not None:
            lines = [(r, last) for r, last in lines
                     if disputes.is_overdue(last, self._closed(r), v["overdue_on"])]
        if v["due_within"] is not None:
            today = v["on"] or self.clock.local_date(self.clock.now())
            until = today + timedelta(days=v["due_within"])
            lines = [(r, last) for r, last in lines if last is not None
                     and today <= last <= until and not self._closed_by(r, today)]
        return [self.line(r, rule=self._rule(r, kinds), deadline=last)
                for r, last in lines]

    def _day(self, iso: str | None) -> date | None:
        return None if iso is None else self.clock.local_date(datetime.fromisoformat(iso))

    def _rule(self, r: Any, kinds: dict[str, str]) -> str | None:
        rule = disputes.case_rule(r.rule, kinds.get(r.org, DEFAULT_BODY_KIND),
                                  self._day(r.received_at) or date.min)
        return None if rule is None else rule.id

    def _deadline(self, r: Any, kinds: dict[str, str]) -> date | None:
        received = self._day(r.received_at) or date.min
        rule = disputes.case_rule(r.rule, kinds.get(r.org, DEFAULT_BODY_KIND), received)
        return disputes.mediation_deadline(rule, received, self._day(r.accepted_at),
                                           r.extension_days)

    def _closed(self, r: Any) -> date | None:
        """The day the case reached a state it is concluded in, if it has."""
        ended = [v for s in self.kind.lifecycle.final_states  # not those a reopening undid
                 if (v := getattr(r, milestone(s))) and not (r.reopened_at and v < r.reopened_at)]
        return self._day(min(ended)) if ended else None

    def _closed_by(self, r: Any, on: date) -> bool:
        closed = self._closed(r)
        return closed is not None and closed <= on


class AidQueries(CaseQueries):
    """What the aid commands ask of the read side: whom to pay, and what a worker already
    has from a body (so a supervisor's threshold cannot be split)."""

    def subsidies(self, org: str | None) -> list[str]:
        """The aid cases of `org` (or all) that decided a monthly subsidy."""
        return [r.number for r in self.summaries.cases("aid", org=org,
                                                       help_kind="monthly_subsidy")]

    def one_offs(self, worker: str, org: str, since: datetime) -> Decimal:
        """One-off relief decided for `worker` by `org` since `since` (not withdrawn)."""
        rows = self.summaries.cases("aid", org=org, worker=worker, help_kind="one_off")
        after = since.astimezone(UTC).isoformat()
        return sum((Decimal(r.help_amount) for r in rows if r.help_amount
                    and r.approved_at >= after and r.state not in WITHDRAWN), Decimal(0))

    def monthly(self, worker: str, org: str, on: date) -> Decimal:
        """The monthly subsidies `org` pays `worker` that run on `on`'s month."""
        month = on.year * 12 + on.month
        total = Decimal(0)
        for r in self.summaries.cases("aid", org=org, worker=worker,
                                      help_kind="monthly_subsidy"):
            first = int(r.first_month[:4]) * 12 + int(r.first_month[5:7])
            if r.state in aid.SUBSIDY_PAYING_STATES and (
                    r.months is None or first + r.months > month):
                total += Decimal(r.monthly_amount)
        return total

    def campaigns(self, worker: str, org: str, since: datetime) -> Decimal:
        """Condolence campaign money `org` paid `worker` since `since`."""
        paid = self.summaries.delivered("campaign", worker, org,
                                        since.astimezone(UTC).isoformat())
        return sum((Decimal(d.amount) for d in paid), Decimal(0))


def redacted(view: V, reader: Actor, personal: frozenset[str]) -> V:
    """`view` without its personal fields, where `reader`'s role does not need them."""
    if reader.sees_personal:
        return view
    return view.model_copy(update={f: None for f in personal if hasattr(view, f)})


#: Kinds whose queries go beyond a case and a list.
QUERIES: dict[str, type[CaseQueries]] = {"dispute": DisputeQueries, "aid": AidQueries}

"""The read side: a kind of case's queries, one case from the log, lists from the read model.

Command services never read the read model; where a command needs a list (a quarterly
payout needs the subsidies to pay), the facade hands it the query, so reads and writes stay
separate and the statistics stay out of the commands.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field

from casework.bodies import body_kind
from casework.clock import Clock
from casework.log import CaseLog
from casework.statistics.fold import milestone
from casework.statistics.projection import CaseSummaries
from casework.views import VIEWS, CaseLine, CaseView
from domain.kind import Kind
from domain.values import Code, check
from workflows import disputes
from workflows.procedure import DEFAULT_BODY_KIND


class CaseQueries:
    def __init__(self, kind: Kind, log: CaseLog, clock: Clock, summaries: CaseSummaries) -> None:
        self.kind, self.log, self.clock, self.summaries = kind, log, clock, summaries

    def get(self, case: str) -> CaseView:
        """One case, as its events left it, with its history."""
        key = str(check(case=(Code, case))["case"])
        record = self.log.load(self.kind.aggregate, key)
        return VIEWS.get(self.kind.name, CaseView).of(record, self.clock.local_date,
                                                      **self.context(record.org))

    def context(self, org: str) -> dict[str, Any]:
        """What a view derives its facts from besides the record."""
        return {}

    def _rows(self, state: str | None, org: str | None) -> list[Any]:
        v = check(state=(Literal[self.kind.lifecycle.states] | None, state),
                  org=(Code | None, org))
        return self.summaries.cases(self.kind.name, state=v["state"], org=v["org"])

    def line(self, row: Any, **derived: Any) -> CaseLine:
        facts = {c: _plain(getattr(row, c), tp) for c, tp in self.kind.columns.items()}
        return CaseLine(number=row.number, kind=row.kind, org=row.org, state=row.state,
                        received_at=datetime.fromisoformat(row.received_at),
                        **{**facts, **derived})

    def list(self, *, state: str | None = None, org: str | None = None) -> list[CaseLine]:
        """Cases from the read model (brought up to date first), oldest first."""
        return [self.line(r) for r in self._rows(state, org)]


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
             due_within: int | None = None, on: date | None = None) -> list[CaseLine]:
        """Disputes, oldest first, each naming its rule and last day of mediation; with
        `overdue_on`, those past that day and still open then; with `due_within`, those open
        on `on` (default today) whose last day falls within that many days of it."""
        v = check(mediator=(Code | None, mediator), overdue_on=(date | None, overdue_on),
                  due_within=(Annotated[int, Field(strict=True, ge=0, le=366)] | None,
                              due_within),
                  on=(date | None, on))
        rows = self._rows(state, org)
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
        ended = [v for s in self.kind.lifecycle.final_states
                 if (v := getattr(r, milestone(s)))]
        return self._day(min(ended)) if ended else None

    def _closed_by(self, r: Any, on: date) -> bool:
        closed = self._closed(r)
        return closed is not None and closed <= on


class AidQueries(CaseQueries):
    def subsidies(self, org: str | None) -> list[str]:
        """The aid cases of `org` (or all) that decided a monthly subsidy."""
        return [r.number for r in self._rows(None, org) if r.help_kind == "monthly_subsidy"]


#: Kinds whose queries go beyond a case and a list.
QUERIES: dict[str, type[CaseQueries]] = {"dispute": DisputeQueries, "aid": AidQueries}

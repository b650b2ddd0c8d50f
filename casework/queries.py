"""The read side: a kind of case's queries, one case from the log, lists from the read model.

Command services never read the read model; where a command needs a list (a quarterly
payout needs the subsidies to pay), the facade hands it the query, so reads and writes stay
separate and the statistics stay out of the commands.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from casework.clock import Clock
from casework.log import CaseLog
from casework.statistics.fold import milestone
from casework.statistics.projection import CaseSummaries
from casework.views import VIEWS, CaseLine, CaseView
from domain.kind import Kind
from domain.values import Code, check
from workflows import disputes


class CaseQueries:
    def __init__(self, kind: Kind, log: CaseLog, clock: Clock, summaries: CaseSummaries) -> None:
        self.kind, self.log, self.clock, self.summaries = kind, log, clock, summaries

    def get(self, case: str) -> CaseView:
        """One case, as its events left it, with its history."""
        key = str(check(case=(Code, case))["case"])
        record = self.log.load(self.kind.aggregate, key)
        return VIEWS.get(self.kind.name, CaseView).of(record, self.clock.local_date)

    def _rows(self, state: str | None, org: str | None) -> list[Any]:
        v = check(state=(Literal[self.kind.lifecycle.states] | None, state),
                  org=(Code | None, org))
        return self.summaries.cases(self.kind.name, state=v["state"], org=v["org"])

    def line(self, row: Any) -> CaseLine:
        facts = {c: (None if getattr(row, c) is None else Decimal(getattr(row, c)))
                 if tp is Decimal else getattr(row, c) for c, tp in self.kind.columns.items()}
        return CaseLine(number=row.number, kind=row.kind, org=row.org, state=row.state,
                        received_at=datetime.fromisoformat(row.received_at), **facts)

    def list(self, *, state: str | None = None, org: str | None = None) -> list[CaseLine]:
        """Cases from the read model (brought up to date first), oldest first."""
        return [self.line(r) for r in self._rows(state, org)]


class DisputeQueries(CaseQueries):
    def list(self, *, state: str | None = None, org: str | None = None,
             overdue_on: date | None = None) -> list[CaseLine]:
        """Disputes, oldest first; with `overdue_on`, those past their mediation clock then."""
        rows = self._rows(state, org)
        on: date | None = check(overdue_on=(date | None, overdue_on))["overdue_on"]
        if on is not None:
            rows = [r for r in rows if self._overdue(r, on)]
        return [self.line(r) for r in rows]

    def _overdue(self, r: Any, on: date) -> bool:
        day = self.clock.local_date
        ended = next((getattr(r, milestone(s)) for s in self.kind.lifecycle.final_states
                      if getattr(r, milestone(s))), None)
        accepted = getattr(r, milestone(disputes.ACCEPTED))
        return disputes.is_overdue(
            day(datetime.fromisoformat(accepted)) if accepted else None,
            day(datetime.fromisoformat(ended)) if ended else None, on,
        )


class AidQueries(CaseQueries):
    def subsidies(self, org: str | None) -> list[str]:
        """The aid cases of `org` (or all) that decided a monthly subsidy."""
        return [r.number for r in self._rows(None, org) if r.help_kind == "monthly_subsidy"]


#: Kinds whose queries go beyond a case and a list.
QUERIES: dict[str, type[CaseQueries]] = {"dispute": DisputeQueries, "aid": AidQueries}

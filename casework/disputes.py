"""The dispute-mediation centre's commands and queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from casework.service import Numbers, Service
from casework.statistics.fold import CaseRow
from casework.statistics.projection import CaseSummaries
from casework.views import CaseLine, DisputeView, steps
from domain.disputes import LabourDispute
from domain.values import Code, EscalationTarget, Money, Petition, Text, check, validated
from workflows.disputes import DISPUTE, is_overdue

When = datetime | str | None


class Disputes(Service):
    def __init__(self, *args: Any, numbers: Numbers, summaries: CaseSummaries) -> None:
        super().__init__(*args)
        self.numbers, self.summaries = numbers, summaries

    def receive(
        self, *, category: str, workers: int, amount: Decimal | int | str, channel: str,
        employer: str, summary: str = "", petitioner: str | None = None,
        contact: str | None = None, industry: str | None = None, org: str | None = None,
        at: When = None, actor: str,
    ) -> str:
        """Record a worker's petition; returns its new case number (LD-YYYY-NNNN)."""
        petition = validated(
            Petition, org=org or self.org, category=category, workers=workers, amount=amount,
            channel=channel, employer=employer, summary=summary, petitioner=petitioner,
            contact=contact, industry=industry,
        )
        when = self.clock.when(at)
        who = self._may(self.access.who(actor), "dispute", "receive", when,
                        ("a new petition", petition.org))
        case = self.numbers.create(
            "LD", LabourDispute, self.clock.local_date(when).year,
            lambda number: LabourDispute(number=number, **dict(petition), at=when, actor=who),
        )
        return case.number

    def accept(self, case: str, *, at: When = None, actor: str) -> None:
        self._change(LabourDispute, case, at, actor, "accept",
                     lambda d, when, who: d.accept(at=when, actor=who))

    def decline(self, case: str, *, reason: str, at: When = None, actor: str) -> None:
        why = check(reason=(Text, reason))["reason"]
        self._change(LabourDispute, case, at, actor, "decline",
                     lambda d, when, who: d.decline(reason=why, at=when, actor=who))

    def start_mediation(self, case: str, *, mediator: str, at: When = None, actor: str) -> None:
        by = check(mediator=(Code, mediator))["mediator"]
        self._change(LabourDispute, case, at, actor, "start_mediation",
                     lambda d, when, who: d.start_mediation(mediator=by, at=when, actor=who))

    def resolve(
        self, case: str, *, settled_amount: Decimal | int | str, at: When = None, actor: str
    ) -> None:
        settled = check(settled_amount=(Money, settled_amount))["settled_amount"]
        self._change(LabourDispute, case, at, actor, "resolve",
                     lambda d, when, who: d.resolve(settled_amount=settled, at=when, actor=who))

    def escalate(
        self, case: str, *, to: str, reason: str = "", at: When = None, actor: str
    ) -> None:
        v = check(to=(EscalationTarget, to), reason=(Text | None, reason or None))
        self._change(LabourDispute, case, at, actor, "escalate",
                     lambda d, when, who: d.escalate(to=v["to"], reason=v["reason"] or "",
                                                     at=when, actor=who))

    def withdraw(self, case: str, *, reason: str, at: When = None, actor: str) -> None:
        why = check(reason=(Text, reason))["reason"]
        self._change(LabourDispute, case, at, actor, "withdraw",
                     lambda d, when, who: d.withdraw(reason=why, at=when, actor=who))

    def get(self, case: str) -> DisputeView:
        d = self.log.load(LabourDispute, self._key("case", case))
        local = self.clock.local_date
        return DisputeView(
            number=d.number, org=d.org, state=d.state, received_at=d.received_at,
            allowed=DISPUTE.allowed(d.state), history=steps(d.history),
            category=d.category, workers=d.workers, amount=d.amount, channel=d.channel,
            employer=d.employer, summary=d.summary, petitioner=d.petitioner,
            contact=d.contact, industry=d.industry,
            accepted_on=local(d.accepted_at) if d.accepted_at else None,
            concluded_on=local(d.concluded_at) if d.concluded_at else None,
            mediator=d.mediator, settled_amount=d.settled_amount, escalated_to=d.escalated_to,
            reason=d.reason,
        )

    def list(
        self, *, state: str | None = None, org: str | None = None,
        overdue_on: date | None = None,
    ) -> list[CaseLine]:
        """Disputes from the read model (brought up to date first), oldest first."""
        v = check(state=(Literal[DISPUTE.states] | None, state), org=(Code | None, org),
                  overdue_on=(date | None, overdue_on))
        rows = self.summaries.cases("dispute", state=v["state"], org=v["org"])
        on: date | None = v["overdue_on"]  # a date, or its ISO text
        if on is not None:
            day = self.clock.local_date

            def overdue(r: CaseRow) -> bool:
                ended = r.resolved_at or r.escalated_at or r.withdrawn_at
                return is_overdue(
                    day(datetime.fromisoformat(r.accepted_at)) if r.accepted_at else None,
                    day(datetime.fromisoformat(ended)) if ended else None, on,
                )

            rows = [r for r in rows if overdue(r)]
        return [CaseLine.of(r) for r in rows]

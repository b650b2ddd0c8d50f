"""Rows → the half-year figures. Pure: the projection and the replay both end here.

Definitions, with their Chinese names and examples, are in docs/metrics.md.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import cache, cached_property
from statistics import median
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, field_serializer

from casework.statistics.counters import BEFORE, LATER, PERIOD, Sums, before, buckets
from casework.statistics.fold import (
    SURVEY,
    BodyRow,
    milestone,
)
from domain import KINDS
from domain.values import CATEGORIES, Performance, TerminationReason
from workflows import aid
from workflows import disputes as dispute
from workflows import warnings as ew
from workflows.procedure import DEFAULT_BODY_KIND

#: A case's summary row (casework.statistics.fold.CaseRow, built from the kinds).
CaseRow = Any

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Window:
    """A report's period [start, end] and the moment its states are read at, as UTC ISO
    strings (stored times compare as strings: they are all written in UTC). Its bounds
    are worked out once: the cohort's pass reads them for every case."""

    start: date
    end: date
    as_of: date
    org: str | None
    tz: tzinfo
    known_at: datetime | None = None
    #: The bodies the return counts: `org` and every body below it in the union's
    #: hierarchy (the roll-up); None with no `org`: every body.
    below: tuple[str, ...] = ()

    @property
    def bodies(self) -> list[str] | None:
        return None if self.org is None else sorted({self.org, *self.below})

    def _bound(self, day: date) -> str:
        return datetime.combine(day, time(), self.tz).astimezone(UTC).isoformat()

    @cached_property
    def lo(self) -> str:
        return self._bound(self.start)

    @cached_property
    def hi(self) -> str:
        """The first instant after the period."""
        return self._bound(self.end + timedelta(days=1))

    @cached_property
    def cut(self) -> str:
        """The first instant after `as_of`: states and balances are read before it."""
        return self._bound(self.as_of + timedelta(days=1))

    @property
    def flow_hi(self) -> str:
        """Money and help delivered count within the period, and not after `as_of`."""
        return min(self.hi, self.cut)

    @property
    def flow_end(self) -> date:
        """The last day of the return's flows: the period's end, or `as_of` if earlier."""
        return min(self.end, self.as_of)

    def parts(self, since: int | None) -> dict[str, list[str]]:
        """The counter buckets of each part of the window (see counters.Sums); `since` is
        the first year any counter has (None: there are none)."""
        later = self.flow_end + timedelta(days=1)
        return {
            BEFORE: [] if since is None else before(self.start, since),
            PERIOD: buckets(self.start, self.flow_end),
            LATER: buckets(later, self.as_of) if later <= self.as_of else [],
        }

    def local_date(self, iso: str) -> date:
        return datetime.fromisoformat(iso).astimezone(self.tz).date()

    def mine(self, org: str) -> bool:
        return self.org is None or org == self.org or org in self.below


class Figures(BaseModel):
    model_config = ConfigDict(frozen=True)

    @field_serializer("*", when_used="json")
    def _json(self, value: object) -> object:
        return _jsonable(value)


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT)}"
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class Tally(Figures):
    received: int = 0
    resolved: int = 0


class DaysToResolution(Figures):
    median: float | None
    p90: int | None


class DisputeFigures(Figures):
    received: int
    #: Petitions not taken up, by how (咨询答复, 转介, 不予受理): counted apart.
    answered: int
    referred: int
    accepted: int
    declined: int
    withdrawn: int
    concluded: int
    resolved: int
    #: Mediations ended without agreement (终止调解), and why.
    terminated: int
    terminated_by_reason: dict[str, int]
    #: The parties' own applications for arbitration recorded (申请仲裁).
    arbitration_applied: int
    escalated: int
    open: int
    handling_rate: float | None
    success_rate: float | None
    resolved_by_category: dict[str, int]
    #: Resolutions of the cohort by local month, "2023-01": n, every month of the period.
    resolved_by_month: dict[str, int] = {}
    workers_involved: int
    amount_involved: Decimal
    settled_amount: Decimal
    overdue: int
    days_to_resolution: DaysToResolution
    #: Agreements followed up (履行回访), what was found, and the performance rate (履行率):
    #: performed in full ÷ followed up.
    followed_up: int
    performance: dict[str, int]
    performance_rate: float | None
    #: Collective disputes (集体劳动争议: 10 or more workers, a common claim) and their workers.
    collective: int
    collective_workers: int
    by_channel: dict[str, int]
    by_employer: dict[str, Tally]
    by_mediator: dict[str, Tally]


class AidFigures(Figures):
    received: int
    received_by_channel: dict[str, int]
    accepted: int
    declined: int
    handled: int
    handling_rate: float | None
    implemented: int
    workers_helped: int
    amount_paid: Decimal
    one_off_paid: Decimal
    subsidies_paid: Decimal
    campaigns_paid: Decimal
    campaign_workers: int
    referrals: int
    subsidy_households: int
    subsidy_monthly_min: Decimal | None
    subsidy_monthly_max: Decimal | None
    registered_workers: int
    newly_registered: int
    contributions: Decimal
    fund_balances: dict[str, Decimal]


class WarningFigures(Figures):
    """Early warnings (预警) reported in the period, read at its end."""

    reported: int
    verified: int
    resolved_at_source: int
    became_disputes: int
    dismissed: int
    withdrawn: int
    open: int
    #: resolved at the source ÷ (resolved at the source + became disputes)
    resolved_at_source_share: float | None
    workers_at_risk: int
    by_risk: dict[str, int]
    by_officer: dict[str, Tally]
    by_enterprise: dict[str, Tally]


class Cohort(Figures):
    """Today's cohort figures: the cases received in the period, as they stood at as_of."""

    start: date
    end: date
    as_of: date
    known_at: datetime | None
    org: str | None
    disputes: DisputeFigures
    aid: AidFigures
    warnings: WarningFigures


class DisputeReturn(Figures):
    """Labour disputes: the period's return (本期收结案), a flow over [start, flow end]."""

    opening: int
    received: int
    #: Concluded cases taken back up (a dispute's agreement not performed).
    reopened: int
    concluded: int
    concluded_by_outcome: dict[str, int]
    closing: int
    #: Petitions not taken up, by how (咨询答复, 转介, 不予受理): counted apart.
    answered: int
    referred: int
    declined: int
    accepted: int
    mediation_concluded: int
    handling_rate: float | None
    resolved: int
    success_rate: float | None
    #: Mediations ended without agreement (终止调解), and why; the parties' own
    #: applications for arbitration recorded (申请仲裁); cases handed on (移送).
    terminated: int
    terminated_by_reason: dict[str, int]
    arbitration_applied: int
    escalated: int
    withdrawn: int
    #: Agreements followed up (履行回访), what was found, and the performance rate (履行率):
    #: performed in full ÷ followed up.
    followed_up: int
    performance: dict[str, int]
    performance_rate: float | None
    #: Collective disputes received (集体劳动争议: 10 or more workers, a common claim).
    collective: int
    collective_workers: int
    resolved_by_category: dict[str, int]
    resolved_by_month: dict[str, int]
    workers_involved: int
    amount_involved: Decimal
    settled_amount: Decimal
    days_to_resolution: DaysToResolution
    by_channel: dict[str, int]
    by_employer: dict[str, Tally]
    by_mediator: dict[str, Tally]
    #: The cases received in the period as they stood at as_of (on request).
    cohort: DisputeFigures | None = None


class AidReturn(Figures):
    """Hardship aid: the period's return, a flow, with the stocks read at as_of."""

    opening: int
    received: int
    #: Concluded cases taken back up (a dispute's agreement not performed).
    reopened: int
    concluded: int
    concluded_by_outcome: dict[str, int]
    closing: int
    received_by_channel: dict[str, int]
    requests: int
    accepted: int
    handled: int
    handling_rate: float | None
    implemented: int
    workers_helped: int
    amount_paid: Decimal
    one_off_paid: Decimal
    subsidies_paid: Decimal
    campaigns_paid: Decimal
    campaign_workers: int
    referrals: int
    subsidy_households: int
    subsidy_monthly_min: Decimal | None
    subsidy_monthly_max: Decimal | None
    registered_workers: int
    newly_registered: int
    contributions: Decimal
    fund_balances: dict[str, Decimal]
    cohort: AidFigures | None = None


class WarningReturn(Figures):
    """Early warnings: the period's return, a flow."""

    opening: int
    received: int
    #: Concluded cases taken back up (a dispute's agreement not performed).
    reopened: int
    concluded: int
    concluded_by_outcome: dict[str, int]
    closing: int
    verified: int
    resolved_at_source: int
    became_disputes: int
    resolved_at_source_share: float | None
    workers_at_risk: int
    by_risk: dict[str, int]
    by_officer: dict[str, Tally]
    by_enterprise: dict[str, Tally]
    cohort: WarningFigures | None = None


class Report(Figures):
    start: date
    end: date
    as_of: date
    known_at: datetime | None
    org: str | None
    disputes: DisputeReturn
    aid: AidReturn
    warnings: WarningReturn

    @classmethod
    def sections(cls) -> tuple[str, ...]:
        """The report's sections of figures, in order: a kind's figures are one."""
        return tuple(name for name, f in cls.model_fields.items()
                     if isinstance(f.annotation, type) and issubclass(f.annotation, Figures))


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole to four places; None (not 0, not 1) when there is nothing to divide by."""
    return None if whole == 0 else round(part / whole, 4)


def _by(rows: Iterable[CaseRow], attr: str, resolved: str = dispute.RESOLVED) -> dict[str, Tally]:
    """Cases received and resolved, by the value of one column."""
    received_by: Counter[str] = Counter()
    resolved_by: Counter[str] = Counter()
    for r in rows:
        key = getattr(r, attr)
        if key is not None:
            received_by[key] += 1
            resolved_by[key] += r.state == resolved
    return {k: Tally(received=received_by[k], resolved=resolved_by[k])
            for k in sorted(received_by)}


@cache
def _milestones(kind: str) -> tuple[tuple[tuple[str, str, int], ...], tuple[str, ...],
                                    dict[str, tuple[str, ...]]]:
    """A kind's state milestones (state, column, rank along the lifecycle), its notes'
    milestone columns, and the summary columns each milestone's move sets, from its
    declaration."""
    k = KINDS[kind]
    rank = k.lifecycle.order
    states = tuple((s, milestone(s), rank[s]) for s in k.lifecycle.states[1:])
    notes = tuple(milestone(n) for n in k.lifecycle.notes)
    facts: dict[str, tuple[str, ...]] = {}
    for move, columns in k.summary.items():
        if move in k.lifecycle.triggers:
            column = milestone(k.lifecycle.dest(move) or move)
            facts[column] = (*facts.get(column, ()), *columns)
    return states, notes, facts


def _state_at(r: CaseRow, cut: str) -> CaseRow:
    """The case as it stood just before `cut`: milestones after it, and what their moves
    recorded, are undone; its state is the latest state milestone left."""
    states, notes, facts = _milestones(r.kind)
    later = [c for c in (*(c for _, c, _ in states), *notes)
             if (v := getattr(r, c)) is not None and v >= cut]
    if not later:
        return r  # nothing happened to it after the cut: the row is the case as it stood
    s = replace(r)
    for column in later:
        setattr(s, column, None)
        for fact in facts.get(column, ()):
            setattr(s, fact, None)
    reached = [(at, rank, state) for state, column, rank in states if (at := getattr(s, column))]
    s.state = max(reached)[2] if reached else KINDS[r.kind].lifecycle.initial
    return s


def _by_month(days: Iterable[date], first: date, last: date) -> dict[str, int]:
    """How many of `days` fall in each month from `first`'s to `last`'s, zeros included."""
    counts = Counter(f"{d:%Y-%m}" for d in days)
    months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    keys = (f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months)
    return {k: counts.get(k, 0) for k in keys}


def deadline_of(r: CaseRow, w: Window, body_kinds: dict[str, str]) -> date | None:
    """A dispute row's last day of mediation, with its extension, by its recorded rule (or,
    stored before rules were recorded, its body's kind's rule on the day of receipt)."""
    received = w.local_date(r.received_at)
    rule = dispute.case_rule(r.rule, body_kinds.get(r.org, DEFAULT_BODY_KIND), received)
    accepted = w.local_date(r.accepted_at) if r.accepted_at else None
    return dispute.mediation_deadline(rule, received, accepted, r.extension_days)


def dispute_figures(cases: list[CaseRow], w: Window,
                    body_kinds: dict[str, str] | None = None) -> DisputeFigures:
    cut = w.cut
    kinds = body_kinds or {}
    rows = [_state_at(r, cut) for r in cases]
    accepted = [r for r in rows if r.accepted_at]
    resolved = [r for r in rows if r.state == dispute.RESOLVED]
    escalated = sum(r.state == dispute.ESCALATED for r in rows)
    withdrawn = [r for r in rows if r.state == dispute.WITHDRAWN]
    final_states = dispute.DISPUTE.final_states
    concluded = sum(r.state in final_states for r in accepted)
    as_of = w.as_of
    open_states = dispute.DISPUTE.open_states
    overdue = sum(1 for r in rows if r.state in open_states
                  and (last := deadline_of(r, w, kinds)) is not None and as_of > last)
    terminated = [r for r in rows if r.terminated_at]
    followed = [r for r in rows if r.follow_up_at]
    performance = Counter(r.performed for r in followed)
    collective = [r for r in rows if dispute.is_collective(r.workers, r.common_claim)]
    days = sorted(  # the time spent in mediation: since acceptance, or since reopened
        (w.local_date(r.resolved_at or "") - w.local_date(r.reopened_at or r.accepted_at or "")
         ).days + (r.earlier_days or 0) for r in resolved if r.accepted_at
    )
    category = Counter(r.category for r in resolved)
    return DisputeFigures(
        received=len(rows),
        answered=sum(r.state == dispute.ANSWERED for r in rows),
        referred=sum(r.state == dispute.REFERRED for r in rows),
        accepted=len(accepted),
        declined=sum(r.state == dispute.DECLINED for r in rows),
        withdrawn=len(withdrawn),
        concluded=concluded,
        resolved=len(resolved),
        terminated=len(terminated),
        terminated_by_reason={k: sum(r.termination == k for r in terminated)
                              for k in get_args(TerminationReason)},
        arbitration_applied=sum(r.arbitration_at is not None for r in rows),
        escalated=escalated,
        open=sum(r.state in open_states for r in rows),
        handling_rate=rate(concluded, len(accepted)),
        success_rate=rate(len(resolved), concluded),
        resolved_by_category={c: category.get(c, 0) for c in CATEGORIES},
        resolved_by_month=_by_month(
            (w.local_date(r.resolved_at or "") for r in resolved), w.start, max(w.end, w.as_of)),
        workers_involved=sum(r.workers for r in resolved),
        amount_involved=sum((Decimal(r.amount) for r in resolved), ZERO),
        settled_amount=sum((Decimal(r.settled or 0) for r in resolved), ZERO),
        overdue=overdue,
        days_to_resolution=DaysToResolution(
            median=float(median(days)) if days else None,
            p90=days[math.ceil(0.9 * len(days)) - 1] if days else None,
        ),
        followed_up=len(followed),
        performance={k: performance.get(k, 0) for k in get_args(Performance)},
        performance_rate=rate(performance.get("yes", 0), len(followed)),
        collective=len(collective),
        collective_workers=sum(r.workers for r in collective),
        by_channel=dict(sorted(Counter(r.channel for r in rows).items())),
        by_employer=_by(rows, "employer"),
        by_mediator=_by(rows, "mediator"),
    )


def aid_figures(cases: list[CaseRow], sums: Sums, w: Window) -> AidFigures:
    """The cohort's aid cases as they stood at as_of, with the period's help, money and
    register and the balances at as_of: the same counters as the return's (`aid_money`)."""
    rows = [_state_at(r, w.cut) for r in cases]
    accepted = [r for r in rows if r.accepted_at]
    handled = [r for r in accepted if r.approved_at or r.declined_at]
    return AidFigures(
        received=len(rows),
        received_by_channel=dict(sorted(Counter(r.channel for r in rows).items())),
        accepted=len(accepted),
        declined=sum(r.state == aid.DECLINED for r in rows),
        handled=len(handled),
        handling_rate=rate(len(handled), len(accepted)),
        implemented=sum(r.implemented_at is not None for r in rows),
        **aid_money(sums),
    )


def warning_figures(cases: list[CaseRow], w: Window) -> WarningFigures:
    rows = [_state_at(r, w.cut) for r in cases]
    states = Counter(r.state for r in rows)
    resolved, became = states[ew.RESOLVED], states[ew.BECAME_DISPUTE]
    return WarningFigures(
        reported=len(rows),
        verified=sum(r.verified_at is not None for r in rows),
        resolved_at_source=resolved,
        became_disputes=became,
        dismissed=states[ew.DISMISSED],
        withdrawn=states[ew.WITHDRAWN],
        open=sum(states[s] for s in ew.WARNING.open_states),
        resolved_at_source_share=rate(resolved, resolved + became),
        workers_at_risk=sum(r.workers for r in rows),
        by_risk=dict(sorted(Counter(r.risk for r in rows).items())),
        by_officer=_by(rows, "officer", ew.RESOLVED),
        by_enterprise=_by(rows, "enterprise", ew.RESOLVED),
    )


def report(cases: Iterable[CaseRow], sums: Sums, w: Window,
           bodies: Iterable[BodyRow] = ()) -> Cohort:
    """The figures of the cohort received in the window, from rows of either path; the
    period's money and the stocks at as_of from the window's counters."""
    lo, hi = w.lo, w.hi
    cases = [c for c in cases if c.voided_at is None]  # entered by mistake: in no figure
    cohort = [c for c in cases if w.mine(c.org) and lo <= c.received_at < hi]
    kinds = {b.code: b.kind for b in bodies}
    return Cohort(
        start=w.start, end=w.end, as_of=w.as_of, known_at=w.known_at, org=w.org,
        disputes=dispute_figures([c for c in cohort if c.kind == "dispute"], w, kinds),
        aid=aid_figures([c for c in cohort if c.kind == "aid"], sums, w),
        warnings=warning_figures([c for c in cohort if c.kind == "warning"], w),
    )


# ---- the return: flows over the period, from the counters -----------------------------------


def money(fen: int) -> Decimal:
    return Decimal(fen) / 100


class Flow:
    """One family's (a kind's, or aid's survey cases') counts over a window."""

    def __init__(self, sums: Sums, family: str) -> None:
        self.sums, self.family = sums, family

    def received(self) -> int:
        return self.sums.flow(f"{self.family}.received")

    def entered(self, state: str) -> int:
        return self.sums.flow(f"{self.family}.entered", state)

    def concluded(self, state: str) -> int:
        return self.sums.flow(f"{self.family}.concluded", state)

    def concluded_after(self, state: str) -> int:
        return self.sums.flow(f"{self.family}.concluded_after", state)

    def in_state(self, state: str, at: str) -> int:
        read = self.sums.at_start if at == "start" else self.sums.at_flow_end
        return read(f"@{self.family}.in", state)


def _flow(sums: Sums, kind: str, less: str | None = None) -> dict[str, Any]:
    """opening + received + reopened − concluded = closing, and concluded by outcome:
    every final state of the kind's lifecycle is an outcome, so a new way to conclude
    counts itself. A case reopened and concluded again is concluded once in each period
    it concluded in: its first conclusion did happen."""
    lifecycle = KINDS[kind].lifecycle
    f = Flow(sums, kind)
    opening = sum(f.in_state(s, "start") for s in lifecycle.open_states)
    closing = sum(f.in_state(s, "end") for s in lifecycle.open_states)
    outcomes = {s: f.concluded(s) for s in lifecycle.final_states}
    return {"opening": opening, "received": f.received(),
            "reopened": sum(sums.keyed(f"{kind}.reopened").values()),
            "concluded": sum(outcomes.values()),
            "concluded_by_outcome": outcomes, "closing": closing}


def _tallies(received: dict[str, int], resolved: dict[str, int]) -> dict[str, Tally]:
    return {k: Tally(received=received.get(k, 0), resolved=resolved.get(k, 0))
            for k in sorted(received.keys() | resolved.keys())
            if received.get(k) or resolved.get(k)}  # a name corrected away counts nothing


def _days(histogram: dict[str, int]) -> DaysToResolution:
    """Median and 90th percentile (nearest rank) of whole days, from their counts."""
    counts = sorted((int(d), n) for d, n in histogram.items() if n)
    total = sum(n for _, n in counts)
    if not total:
        return DaysToResolution(median=None, p90=None)

    def nth(rank: int) -> int:  # the rank-th smallest, from 1
        seen = 0
        for d, n in counts:
            seen += n
            if seen >= rank:
                return d
        raise AssertionError(rank)

    middle = (nth((total + 1) // 2) + nth(total // 2 + 1)) / 2
    return DaysToResolution(median=float(middle), p90=nth(math.ceil(0.9 * total)))


def dispute_return(sums: Sums, w: Window) -> DisputeReturn:
    f = Flow(sums, "dispute")
    lifecycle = dispute.DISPUTE
    past_intake = [s for s in lifecycle.open_states if s != lifecycle.initial]
    flow = _flow(sums, "dispute")
    # the period's mediation caseload: carried over past intake, accepted in the period,
    # and taken back up in it (a reopened case concludes again: it is in both parts)
    caseload = (sum(f.in_state(s, "start") for s in past_intake) + f.entered(dispute.ACCEPTED)
                + flow["reopened"])
    mediated = sum(f.concluded_after(s) for s in lifecycle.final_states)
    resolved = f.concluded(dispute.RESOLVED)
    months = sums.keyed("dispute.resolved.month")
    category = sums.keyed("dispute.resolved.category")
    reasons = sums.keyed("dispute.terminated.reason")
    performance = sums.keyed("dispute.performed")
    followed = sums.flow("dispute.noted", "follow_up")
    return DisputeReturn(
        **flow,
        answered=f.concluded(dispute.ANSWERED),
        referred=f.concluded(dispute.REFERRED),
        declined=f.concluded(dispute.DECLINED),
        terminated=f.entered(dispute.TERMINATED),
        terminated_by_reason={k: reasons.get(k, 0) for k in get_args(TerminationReason)},
        arbitration_applied=f.entered(dispute.ARBITRATION),
        escalated=f.entered(dispute.ESCALATED),
        withdrawn=f.entered(dispute.WITHDRAWN),
        followed_up=followed,
        performance={k: performance.get(k, 0) for k in get_args(Performance)},
        performance_rate=rate(performance.get("yes", 0), followed),
        collective=sums.flow("dispute.collective"),
        collective_workers=sums.flow("dispute.collective.workers"),
        accepted=f.entered(dispute.ACCEPTED),
        mediation_concluded=mediated,
        handling_rate=rate(mediated, caseload),
        resolved=resolved,
        success_rate=rate(resolved, mediated),
        resolved_by_category={c: category.get(c, 0) for c in CATEGORIES},
        resolved_by_month={m: months.get(m, 0) for m in _by_month((), w.start, w.flow_end)},
        workers_involved=sums.flow("dispute.resolved.workers"),
        amount_involved=money(sums.flow("dispute.resolved.amount")),
        settled_amount=money(sums.flow("dispute.resolved.settled")),
        days_to_resolution=_days(sums.keyed("dispute.resolved.days")),
        by_channel=dict(sorted((k, n) for k, n in sums.keyed("dispute.channel").items() if n)),
        by_employer=_tallies(sums.keyed("dispute.employer.received"),
                             sums.keyed("dispute.employer.resolved")),
        by_mediator=_tallies(sums.keyed("dispute.mediator.received"),
                             sums.keyed("dispute.mediator.resolved")),
    )


def aid_return(sums: Sums, w: Window) -> AidReturn:
    """Requests are the cases received at the desk (接待): every aid case but those the
    union opened from its own survey; acceptance and handling are counted over them."""
    every, survey = Flow(sums, "aid"), Flow(sums, f"aid.{SURVEY}")

    def requests(count: str, *args: str) -> int:
        return int(getattr(every, count)(*args) - getattr(survey, count)(*args))

    accepted = requests("entered", aid.ACCEPTED)
    handled = requests("entered", aid.APPROVED) + requests("concluded_after", aid.DECLINED)
    awaiting = requests("in_state", aid.ACCEPTED, "start")
    return AidReturn(
        **_flow(sums, "aid"),
        received_by_channel=dict(sorted((k, n) for k, n in sums.keyed("aid.channel").items()
                                        if n)),
        requests=requests("received"),
        accepted=accepted,
        handled=handled,
        handling_rate=rate(handled, awaiting + accepted),
        implemented=every.entered(aid.IMPLEMENTED),
        **aid_money(sums),
    )


def aid_money(sums: Sums) -> dict[str, Any]:
    """Help delivered, money paid and contributed and the register's new names in the
    period; subsidies running, the register and the funds' balances at as_of."""
    paid = sums.keyed("aid.paid")
    subsidies = {Decimal(k) / 100: n for k, n in sums.stock_keys("@aid.subsidies").items() if n}
    return {
        "workers_helped": sums.count_distinct("~aid.helped"),
        "amount_paid": money(sum(paid.values())),
        "one_off_paid": money(paid.get("one_off", 0)),
        "subsidies_paid": money(paid.get("subsidy", 0)),
        "campaigns_paid": money(paid.get("campaign", 0)),
        "campaign_workers": sums.count_distinct("~aid.campaign_helped"),
        "referrals": sums.flow("aid.referrals"),
        "subsidy_households": sum(subsidies.values()),
        "subsidy_monthly_min": min(subsidies, default=None),
        "subsidy_monthly_max": max(subsidies, default=None),
        "registered_workers": sums.at_as_of("@aid.registered"),
        "newly_registered": sums.flow("aid.newly_registered"),
        "contributions": money(sums.flow("aid.contributions")),
        "fund_balances": {k: money(n) for k, n in sorted(sums.stock_keys("@aid.funds").items())},
    }


def warning_return(sums: Sums, w: Window) -> WarningReturn:
    f = Flow(sums, "warning")
    resolved, became = f.concluded(ew.RESOLVED), f.concluded(ew.BECAME_DISPUTE)
    return WarningReturn(
        **_flow(sums, "warning"),
        verified=f.entered(ew.VERIFIED),
        resolved_at_source=resolved,
        became_disputes=became,
        resolved_at_source_share=rate(resolved, resolved + became),
        workers_at_risk=sums.flow("warning.workers"),
        by_risk=dict(sorted((k, n) for k, n in sums.keyed("warning.risk").items() if n)),
        by_officer=_tallies(sums.keyed("warning.officer.received"),
                            sums.keyed("warning.officer.resolved")),
        by_enterprise=_tallies(sums.keyed("warning.enterprise.received"),
                               sums.keyed("warning.enterprise.resolved")),
    )


def flow_report(sums: Sums, w: Window, cohort: Cohort | None = None) -> Report:
    """The period's return from the counters summed over the window (either path)."""
    return Report(
        start=w.start, end=w.end, as_of=w.as_of, known_at=w.known_at, org=w.org,
        disputes=dispute_return(sums, w).model_copy(
            update={"cohort": None if cohort is None else cohort.disputes}),
        aid=aid_return(sums, w).model_copy(
            update={"cohort": None if cohort is None else cohort.aid}),
        warnings=warning_return(sums, w).model_copy(
            update={"cohort": None if cohort is None else cohort.warnings}),
    )

"""The cases behind a figure of the return: its numerator's and, for a rate, its denominator's.

`cw.explain("disputes.success_rate", start, end)` lists the disputes resolved in the period
(numerator) and those concluded after acceptance in it (denominator), each with its number,
body, state at the end of the period, the day it was received and the day of the event the
figure counts. The lists are drawn from the case rows and their milestones (`<state>_at`),
not from the counters, so they are a second reading of the same definitions: the property
tests hold the listed cases' count (or their workers, or their amounts) equal to the figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from casework.errors import InvalidInput
from casework.statistics.figures import Window, _milestones, _state_at
from casework.statistics.fold import MOVE_OF, SURVEY, History, as_of, local_day, plain
from domain import KINDS

SECTIONS = {"disputes": "dispute", "aid": "aid", "warnings": "warning"}


class Listed(BaseModel):
    """One case behind a figure."""

    model_config = ConfigDict(frozen=True)

    number: str
    org: str
    state: str  # at the end of the return's period
    received: date
    on: date  # the day of what the figure counts (received, concluded, …)
    counts: int | Decimal = 1  # what it adds to the figure: 1, its workers, its amount


class Explanation(BaseModel):
    model_config = ConfigDict(frozen=True)

    figure: str
    basis: str
    numerator: list[Listed]
    denominator: list[Listed] | None = None

    @property
    def total(self) -> int | Decimal:
        """What the numerator's cases add up to: the figure, for a count or a sum."""
        return sum((c.counts for c in self.numerator), 0)


@dataclass
class Case:
    """A case row read against a window: what happened to it, and when (local dates)."""

    row: Any
    w: Window
    steps: list[tuple[str, date, str]]  # (state entered, local day, state it left)
    #: A reopened case's row as it stood after each step (its milestones alone cannot say
    #: it: a reopening takes it back from a state it may reach again); None for the rest.
    after: list[Any] | None = None

    @classmethod
    def of(cls, row: Any, w: Window, history: History | None = None) -> Case:
        if row.reopened_at is not None and history is not None:
            return cls.reopened(row, w, history)
        states, _, _ = _milestones(row.kind)
        reached = sorted((at, rank, state) for state, column, rank in states
                         if (at := getattr(row, column)) is not None)
        steps, before = [], KINDS[row.kind].lifecycle.initial
        for at, _, state in reached:
            steps.append((state, w.local_date(at), before))
            before = state
        return cls(row, w, steps)

    @classmethod
    def reopened(cls, row: Any, w: Window, history: History) -> Case:
        """Its steps from its events, each with its row as it stood after it."""
        lifecycle, events = KINDS[row.kind].lifecycle, history(row.id, 2 ** 62)
        steps, after, state = [], [], lifecycle.initial
        for _, topic, p in events:
            move = MOVE_OF.get(topic)
            target = None if move is None else lifecycle.target(state, move)
            if move is None or target is None or lifecycle.stays(move):
                continue
            at = plain(p["at"])
            steps.append((target, w.local_date(at), state))
            after.append(as_of(row.id, events, local_day(w.tz), at + "~"))
            state = target
        return cls(row, w, steps, after)

    @property
    def received(self) -> date:
        return self.w.local_date(self.row.received_at)

    def within(self, day: date) -> bool:
        return self.w.start <= day <= self.w.flow_end

    def entered(self, state: str) -> list[tuple[date, str, int]]:
        """Each day it entered `state` within the period, the state it came from, and the
        step's place."""
        return [(day, came, i) for i, (s, day, came) in enumerate(self.steps)
                if s == state and self.within(day)]

    def state_before(self, day: date) -> str:
        if self.after is not None:
            states = [s for s, d, _ in self.steps if d < day]
            return states[-1] if states else KINDS[self.row.kind].lifecycle.initial
        return str(_state_at(self.row, self.w._bound(day)).state)

    def row_after(self, step: int) -> Any:
        """Its row as it stood after a step (what a reopened case's figures counted then)."""
        return self.row if self.after is None else self.after[step]

    @property
    def final(self) -> list[tuple[str, date, str]]:
        """Where it was concluded within the period (outcome, day, state it left): each
        move from an open state to a final one, as the counters count them (a party's
        application after a termination is not a second conclusion; a conclusion after a
        reopening is)."""
        finals = KINDS[self.row.kind].lifecycle.final_states
        return [(s, day, came) for s, day, came in self.steps
                if s in finals and came not in finals and self.within(day)]

    def listed(self, on: date, counts: int | Decimal = 1) -> Listed:
        end = self.state_before(self.w.flow_end + timedelta(days=1))
        return Listed(number=self.row.number, org=self.row.org, state=end,
                      received=self.received, on=on, counts=counts)


#: A figure's cases: each time a case counts in it (a case reopened and resolved again in
#: the period is listed twice, as the counters count it).
Pick = Callable[[Case], list[Listed]]


def _received(c: Case) -> list[Listed]:
    return [c.listed(c.received)] if c.within(c.received) else []


def _entered(state: str, weight: Callable[[Any], int | Decimal] | None = None) -> Pick:
    def pick(c: Case) -> list[Listed]:
        return [c.listed(day, 1 if weight is None else weight(c.row_after(i)))
                for day, _, i in c.entered(state)]

    return pick


def _concluded(outcome: str | None = None, after_intake: bool = False) -> Pick:
    initial = {k: KINDS[k].lifecycle.initial for k in KINDS}

    def pick(c: Case) -> list[Listed]:
        return [c.listed(day) for s, day, came in c.final
                if (outcome is None or s == outcome)
                and not (after_intake and came == initial[c.row.kind])]

    return pick


def _open_at(edge: str) -> Pick:
    def pick(c: Case) -> list[Listed]:
        lifecycle = KINDS[c.row.kind].lifecycle
        day = c.w.start if edge == "start" else c.w.flow_end + timedelta(days=1)
        if c.received >= day or c.state_before(day) not in lifecycle.open_states:
            return []
        return [c.listed(day if edge == "start" else c.w.flow_end)]

    return pick


def _any(*picks: Pick) -> Pick:
    def pick(c: Case) -> list[Listed]:
        for p in picks:
            found = p(c)
            if found:
                return found
        return []

    return pick


def _requests(p: Pick) -> Pick:
    """Aid requests received at the desk: not the cases the union's survey opened."""
    return lambda c: [] if getattr(c.row, "channel", None) == SURVEY else p(c)


def _reopened(c: Case) -> list[Listed]:
    """Each time it was taken back up in the period: a move out of a final state."""
    finals = KINDS[c.row.kind].lifecycle.final_states
    return [c.listed(day) for s, day, came in c.steps
            if came in finals and s not in finals and c.within(day)]


def _caseload(past: tuple[str, ...], entered: str) -> Pick:
    """Cases past intake and open at the start, or that entered `entered` in the period;
    and each time one was reopened in it (its next conclusion counts again)."""
    def at_start(c: Case) -> list[Listed]:
        if c.received >= c.w.start or c.state_before(c.w.start) not in past:
            return []
        return [c.listed(c.w.start)]

    taken_up = _any(at_start, _entered(entered))
    return lambda c: [*taken_up(c), *_reopened(c)]


def _declined_after_acceptance(c: Case) -> list[Listed]:
    return [c.listed(day) for day, came, _ in c.entered("declined") if came == "accepted"]


def _money(column: str) -> Callable[[Any], Decimal]:
    return lambda row: Decimal(getattr(row, column) or 0)


#: figure → (basis, numerator, denominator or None)
Rule = tuple[str, Pick, Pick | None]


def _rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for section, kind in SECTIONS.items():
        lifecycle = KINDS[kind].lifecycle
        rules[f"{section}.received"] = ("received in the period", _received, None)
        rules[f"{section}.opening"] = ("open at the start of the period", _open_at("start"),
                                       None)
        rules[f"{section}.closing"] = ("open at the end of the period", _open_at("end"), None)
        rules[f"{section}.concluded"] = ("concluded in the period", _concluded(), None)
        for outcome in lifecycle.final_states:
            rules[f"{section}.concluded_by_outcome.{outcome}"] = (
                f"concluded in the period: {outcome}", _concluded(outcome), None)
    past = tuple(s for s in KINDS["dispute"].lifecycle.open_states if s != "received")
    mediated = _concluded(after_intake=True)
    resolved = _entered("resolved")
    rules.update({
        "disputes.accepted": ("accepted for mediation in the period", _entered("accepted"),
                              None),
        "disputes.mediation_concluded": ("concluded after acceptance in the period", mediated,
                                         None),
        "disputes.resolved": ("resolved by agreement in the period", resolved, None),
        "disputes.handling_rate": (
            "concluded after acceptance ÷ accepted and open at the start, accepted in the "
            "period or reopened in it", mediated, _caseload(past, "accepted")),
        "disputes.success_rate": ("resolved ÷ concluded after acceptance, in the period",
                                  resolved, mediated),
        "disputes.workers_involved": ("workers in the disputes resolved in the period",
                                      _entered("resolved", lambda r: int(r.workers)), None),
        "disputes.amount_involved": ("amount at stake in the disputes resolved in the period",
                                     _entered("resolved", _money("amount")), None),
        "disputes.settled_amount": ("amount agreed in the disputes resolved in the period",
                                    _entered("resolved", _money("settled")), None),
    })
    handled = _requests(_any(_entered("approved"), _declined_after_acceptance))
    rules.update({
        "aid.requests": ("requests received at the desk in the period", _requests(_received),
                         None),
        "aid.accepted": ("requests accepted as cases in the period",
                         _requests(_entered("accepted")), None),
        "aid.handled": ("requests decided (approved, or declined after acceptance) in the "
                        "period", handled, None),
        "aid.handling_rate": ("decided ÷ awaiting a decision at the start or accepted in the "
                              "period", handled, _requests(_caseload(("accepted",),
                                                                     "accepted"))),
        "aid.implemented": ("help delivered in the period", _entered("implemented"), None),
    })
    became = _entered("became_dispute")
    rules.update({
        "warnings.verified": ("verified in the period", _entered("verified"), None),
        "warnings.resolved_at_source": ("resolved at the source in the period",
                                        _entered("resolved"), None),
        "warnings.became_disputes": ("became labour disputes in the period", became, None),
        "warnings.resolved_at_source_share": (
            "resolved at the source ÷ (resolved at the source + became disputes), in the "
            "period", _entered("resolved"), _any(_entered("resolved"), became)),
        "warnings.workers_at_risk": (
            "workers named by the warnings received in the period",
            lambda c: [c.listed(c.received, int(c.row.workers))] if c.within(c.received)
            else [], None),
    })
    return rules


RULES = _rules()


def explain_figure(figure: str, summaries: Any, w: Window) -> Explanation:
    """The cases behind `figure` in `w`, from the read model's case rows."""
    rule = RULES.get(figure)
    if rule is None:
        raise InvalidInput({"figure": f"{figure!r} cannot be explained; one of: "
                                      + ", ".join(sorted(RULES))})
    basis, numerator, denominator = rule
    kind = SECTIONS[figure.split(".")[0]]
    bodies = w.bodies or []
    where = "WHERE kind = ? AND received_at < ? AND voided_at IS NULL" + (
        f" AND org IN ({', '.join('?' for _ in bodies)})" if bodies else "")
    params = [kind, w._bound(w.flow_end + timedelta(days=1)), *bodies]
    summaries.catch_up()
    cases = [Case.of(r, w, summaries.log.history) for r in summaries.tables.select(
        "cases", where + " ORDER BY received_at, number", params)]

    def listed(pick: Pick) -> list[Listed]:
        return [found for c in cases for found in pick(c)]

    return Explanation(figure=figure, basis=basis, numerator=listed(numerator),
                       denominator=None if denominator is None else listed(denominator))

"""The report job: replay the event log from the start, without the read model.

Streams the stored events page by page through the same fold as the projection, and can
stop at a recorded-time bound (`known_at`: what the report would have said then). It keeps
what the report can still use and no more, so memory grows with the window, not with the
log: the window's cohort, the aid cases that can still pay into it, and running totals of
everything older (see the sinks below). Payloads are decoded only for events it follows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from eventsourcing.utils import get_topic

from casework.errors import InvalidInput
from casework.log import CaseLog
from casework.statistics.counters import Sums, WindowSums
from casework.statistics.figures import Cohort, Report, Window, flow_report, report
from casework.statistics.fold import (
    CREATES,
    HANDLERS,
    REFOLDS,
    History,
    Rows,
    as_of,
    fold,
    local_day,
    plain,
    reopened_as_of,
    subsidy_end,
)
from domain import KINDS, Body
from workflows.aid import SUBSIDY_PAYING_STATES

#: Each kind's opening event: the cohort is the cases these open within the period.
OPENED = frozenset(get_topic(k.event_for(k.aggregate.opened_by)) for k in KINDS.values())
#: The events the cohort's pass folds: its cases' moves and notes, and the bodies (whose
#: kind sets a dispute's deadline), and the corrections and voids that fold a case again.
COHORT = frozenset(t for t in HANDLERS if t in OPENED or t in REFOLDS
                   or t == get_topic(Body.event_for("__init__"))
                   or any(t == get_topic(k.event_for(m)) for k in KINDS.values()
                          for m in k.lifecycle.triggers))

Progress = Callable[[int, int], None]


#: Each kind's concluded states: the replay forgets a concluded case's row, so that memory
#: follows the open caseload, not the history.
CONCLUDED = {k.name: frozenset(k.lifecycle.final_states) for k in KINDS.values()}
#: A case's events after its opening: one that comes for a case the replay forgot (a
#: follow-up, a reopening, a late subsidy payment) first folds its row again from its
#: earlier events.
LATER = frozenset(t for k in KINDS.values() for t in HANDLERS
                  if t.startswith(f"{get_topic(k.aggregate)}.") and t not in CREATES)


def forgettable(case: Any, day: Callable[[str], str], at: str) -> bool:
    """Whether a case folded up to business time `at` is voided, or concluded and paying
    no subsidy whose term still runs (those are folded every quarter: kept)."""
    if case.voided_at is not None:
        return True  # no move follows a void, and its row counts nothing
    if case.state not in CONCLUDED[case.kind]:
        return False
    if case.help_kind == "monthly_subsidy" and case.state in SUBSIDY_PAYING_STATES:
        end = subsidy_end(case)
        return end is not None and end <= day(at)
    return True


def known_history(log: CaseLog, known: str | None) -> History:
    """A record's earlier events as the log held them at `known` (None: now)."""
    if known is None:
        return log.history

    def history(oid: str, seq: int) -> list[tuple[int, str, dict[str, Any]]]:
        return [e for e in log.history(oid, seq) if plain(e[2]["timestamp"]) <= known]

    return history


class Discard(list[object]):
    """The rows' move lists, which the return's replay does not need."""

    def append(self, item: object) -> None:
        pass


def replay(log: CaseLog, w: Window, progress: Progress | None = None, *,
           cohort: bool = False) -> Report:
    """The period's return by replaying the log: every event through the same fold as the
    projection, its counter deltas summed straight into the window's parts. Only open
    cases (and running subsidies) are kept, so memory follows the open caseload."""
    sums = WindowSums(w.start.isoformat(), w.flow_end.isoformat(), w.as_of.isoformat(),
                      w.bodies)
    known = w.known_at.astimezone(UTC).isoformat() if w.known_at else None
    rows = Rows(deliveries=Discard(), fund_moves=Discard(), register_moves=Discard(),  # type: ignore[arg-type]
                counts=sums, day=local_day(w.tz), history=known_history(log, known))
    cases, funds, workers = rows.cases, rows.funds, rows.workers
    read, day = log.payload_reader(), rows.day
    total = log.recorder.max_notification_id() or 0
    for seq, oid, topic, state in log.stored():
        if progress is not None and seq % 10000 == 0:
            progress(seq, total)
        if topic not in HANDLERS:
            continue
        followed = (topic in CREATES or topic in REFOLDS or oid in cases or oid in funds
                    or oid in workers)
        if not followed and topic not in LATER:
            continue
        p = read(state)
        if topic in CREATES:
            # a body a record names (or the registry: a body's own code), whenever recorded
            sums.seen.add(p["org"] if "org" in p else p["code"])
        if known is not None and plain(p["timestamp"]) > known:
            continue
        if not followed:  # a concluded case, forgotten: its row again, from its history
            cases[oid] = as_of(oid, rows.history(oid, seq), day)
        fold(rows, oid, seq, topic, p)
        case = cases.get(oid)
        if case is not None and forgettable(case, day, plain(p["at"])):
            del cases[oid]
        rows.touched.clear()
    if progress is not None:
        progress(total, total)
    result = sums.finish()
    if not result.known:
        raise InvalidInput({"org": f"no record names the body {w.org!r}"})
    return flow_report(result, w, replay_cohort(log, w, result) if cohort else None)


def replay_cohort(log: CaseLog, w: Window, sums: Sums, progress: Progress | None = None
                  ) -> Cohort:
    """Today's cohort figures by replaying the log (its own pass over the cohort's cases;
    the period's money and the stocks at as_of come from the replay's `sums`)."""
    read = log.payload_reader()
    known = w.known_at.astimezone(UTC).isoformat() if w.known_at else None
    rows = Rows(deliveries=Discard(), fund_moves=Discard(), register_moves=Discard(),  # type: ignore[arg-type]
                history=known_history(log, known))
    cases = rows.cases
    lo, hi, mine = w.lo, w.hi, w.mine
    total = log.recorder.max_notification_id() or 0
    for seq, oid, topic, state in log.stored():
        if progress is not None and seq % 10000 == 0:
            progress(seq, total)
        if topic not in COHORT:
            continue
        if topic not in CREATES and oid not in cases:
            continue  # a case outside the cohort: not decoded at all
        p = read(state)
        if known is not None and plain(p["timestamp"]) > known:
            continue
        if topic in OPENED and not (mine(p["org"]) and lo <= plain(p["at"]) < hi):
            continue  # outside the cohort: its later events are skipped too
        fold(rows, oid, seq, topic, p)
    if progress is not None:
        progress(total, total)
    return report(reopened_as_of(cases.values(), w.cut, rows.history, local_day(w.tz)),
                  sums, w, rows.bodies.values())

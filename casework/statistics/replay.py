"""The report job: replay the event log from the start, without the read model.

Streams the stored events page by page through the same fold as the projection, keeping
only the report's cohort, and can stop at a recorded-time bound (`known_at`: what the
report would have said then).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from casework.log import CaseLog
from casework.statistics.figures import Report, Window, report
from casework.statistics.fold import D, Rows, _s, fold

#: Aid cases are all kept: a subsidy decided before the period still runs in it.
DISPUTE_RECEIVED = D + "Received"

Progress = Callable[[int, int], None]


def replay(log: CaseLog, w: Window, progress: Progress | None = None) -> Report:
    read = log.payload_reader()
    rows = Rows()
    lo, hi = w.lo, w.hi
    known = w.known_at.astimezone(UTC).isoformat() if w.known_at else None
    total = log.recorder.max_notification_id() or 0
    for seq, oid, topic, state in log.stored():
        if progress is not None and seq % 10000 == 0:
            progress(seq, total)
        p = read(state)
        if known is not None and _s(p["timestamp"]) > known:
            continue
        if topic == DISPUTE_RECEIVED and not (lo <= _s(p["at"]) < hi and w.mine(p["org"])):
            continue  # outside the cohort: its later events are skipped by the fold
        fold(rows, oid, seq, topic, p)
    if progress is not None:
        progress(total, total)
    return report(rows.cases.values(), rows.deliveries, rows.fund_moves, rows.register_moves,
                  rows.funds.values(), w)

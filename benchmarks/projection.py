"""4. Incremental statistics: the live projection catching up after a burst of new events,
on a small history and on a large one (cost should follow the new events, not the history)."""

from __future__ import annotations

import shutil
from pathlib import Path
from statistics import median

from benchmarks.history import extend
from benchmarks.table import Row, timed
from casework import Casework


def _catch_ups(history: Path, copy: Path, new: int, rounds: int) -> float:
    shutil.copyfile(history, copy)
    times = []
    with Casework(store=f"sqlite:///{copy}") as cw:
        cw.project()  # the read model is current with the history
        for r in range(rounds):
            extend(cw, new, r)
            times.append(timed(cw.project))
    copy.unlink()
    return median(times)


def run(small: tuple[Path, int], large: tuple[Path, int], tmp: Path, new: int,
        rounds: int) -> list[Row]:
    s = _catch_ups(small[0], tmp / "small-projection.db", new, rounds)
    big = _catch_ups(large[0], tmp / "large-projection.db", new, rounds)
    note = "" if large[1] >= 1_000_000 else "run with --full for 1,000,000 events"
    return [Row("4", f"projection catch-up, {new:,} new events on {large[1]:,}", big,
                f"same on {small[1]:,}", s, "s", "≤ 2×", big <= 2 * s,
                f"median of {rounds}" + (f"; {note}" if note else ""))]

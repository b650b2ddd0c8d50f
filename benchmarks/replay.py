"""2. The report replay against the library's mapper and the raw sqlite3 + json.loads limit;
3. its peak memory, measured in a fresh process per history size."""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from benchmarks.table import Row, timed
from casework import Casework
from casework.statistics.fold import HANDLERS

H1 = (date(2023, 1, 1), date(2023, 6, 30))


def replay_report(path: Path) -> None:
    with Casework(store=f"sqlite:///{path}") as cw:
        cw.report(*H1, replay=True)


def mapper_decode(path: Path) -> None:
    """Every stored event through `app.mapper.to_domain_event`, nothing else."""
    with Casework(store=f"sqlite:///{path}") as cw:
        log, after = cw.log, 0
        while True:
            notes = log.recorder.select_notifications(start=after, limit=5000,
                                                      inclusive_of_start=False)
            for n in notes:
                log.mapper.to_domain_event(n)
            if len(notes) < 5000:
                return
            after = notes[-1].id


def raw_scan(path: Path) -> None:
    """The floor: read every row with sqlite3 and json.loads its payload."""
    with sqlite3.connect(path) as c:
        loads = json.loads
        for (state,) in c.execute("SELECT state FROM stored_events ORDER BY rowid"):
            loads(state)
    c.close()


def replay_reading(path: Path) -> None:
    """The replay's own reading, without its fold: every event the fold follows read and
    decoded as the replay does. What any replay pays before it counts anything."""
    with Casework(store=f"sqlite:///{path}") as cw:
        read = cw.log.payload_reader()
        for _, _, topic, state in cw.log.stored():
            if topic in HANDLERS:
                read(state)


def speed(path: Path, events: int, rounds: int) -> list[Row]:
    ours, mapper, raw, reading = [], [], [], []
    for _ in range(rounds):
        ours.append(timed(lambda: replay_report(path)))
        mapper.append(timed(lambda: mapper_decode(path)))
        raw.append(timed(lambda: raw_scan(path)))
        reading.append(timed(lambda: replay_reading(path)))
    o, m, r, g = min(ours), min(mapper), min(raw), min(reading)
    size = f"{events:,} events, best of {rounds}"
    return [
        Row("2a", f"report replay, 2023H1 ({size})", o, "mapper decoding every event", m,
            "s", "≤ 1.0×", o <= m),
        Row("2b", f"report replay, 2023H1 ({size})", o, "raw sqlite3 + json.loads", r,
            "s", "≤ 1.3× (issue 15)", o <= 1.3 * r),
        Row("2c", f"the replay's reading alone, no fold ({size})", g,
            "raw sqlite3 + json.loads", r, "s", "—", None),
    ]


def high_water_kb() -> int:
    """This process's peak RSS in kB. VmHWM rather than ru_maxrss: Linux carries a parent's
    ru_maxrss into a forked child across exec, so a child of this big benchmarking process
    would report the parent's peak."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(next(line.split()[1] for line in status.splitlines()
                    if line.startswith("VmHWM:")))


def peak_rss(path: Path | None) -> float:
    """Peak RSS (MB) of a fresh process replaying `path` (None: only importing casework)."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.replay", str(path or "-")],
                         check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1024


def memory(small: tuple[Path, int], large: tuple[Path, int]) -> list[Row]:
    idle = peak_rss(None)
    s, big = peak_rss(small[0]), peak_rss(large[0])
    full = large[1] >= 1_000_000
    note = "" if full else "run with --full for 1,000,000 events"
    return [
        Row("3", f"peak RSS of replay, {small[1]:,} events", s, "interpreter + casework imported",
            idle, "MB", "—", None),
        Row("3", f"peak RSS of replay, {large[1]:,} events", big,
            f"same replay at {small[1]:,} events", s, "MB", "≤ 1.3× and < 150 MB",
            big <= 1.3 * s and big < 150, note),
    ]


if __name__ == "__main__":  # the subprocess of peak_rss
    if sys.argv[1] != "-":
        replay_report(Path(sys.argv[1]))
    print(high_water_kb())

"""One row per figure: the figure, its baseline from the same run, the ratio, the bar."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from statistics import median
from time import perf_counter
from typing import Any


@dataclass
class Row:
    bench: str
    figure: str
    value: float
    baseline_name: str
    baseline: float
    unit: str
    bar: str
    met: bool | None  # None: no bar, only information
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")


def timed(fn: Callable[[], Any]) -> float:
    t = perf_counter()
    fn()
    return perf_counter() - t


def interleaved(a: Callable[[], Any], b: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """Median seconds of `a` and of `b`, run in alternation so drift hits both alike."""
    ta, tb = [], []
    for _ in range(rounds):
        ta.append(timed(a))
        tb.append(timed(b))
    return median(ta), median(tb)


def _fmt(v: float, unit: str) -> str:
    if unit == "s":
        return f"{v * 1e3:.1f} ms" if v < 1 else f"{v:.2f} s"
    if unit == "ms":
        return f"{v:.2f} ms"
    return f"{v:,.1f} {unit}"


def render(rows: Sequence[Row]) -> str:
    """A Markdown table, pasted as-is into docs/performance.md."""
    head = ("| # | figure | value | baseline | ratio | bar | met |\n"
            "|---|---|---:|---|---:|---|---|\n")
    lines = []
    for r in rows:
        met = "—" if r.met is None else ("yes" if r.met else "**NO**")
        note = f" ({r.note})" if r.note else ""
        lines.append(
            f"| {r.bench} | {r.figure}{note} | {_fmt(r.value, r.unit)} | "
            f"{r.baseline_name}: {_fmt(r.baseline, r.unit)} | {r.ratio:.2f}× | {r.bar} | {met} |"
        )
    return head + "\n".join(lines)


def write(rows: Sequence[Row], path: Path, meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**meta, "rows": [{**asdict(r), "ratio": r.ratio} for r in rows]}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

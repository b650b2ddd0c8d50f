"""Per-body, per-day counters: a period's return is a sum over its days and bodies.

The fold (casework.statistics.fold) emits, for each event, deltas to counters keyed by
(body, local day, figure, key). The projection stores each delta three times, in its day's,
its month's and its year's bucket ("2023-03-14", "2023-03", "2023"), so any run of days is a
handful of buckets: a half year is six month buckets, everything before 1 January 2023 is
the year buckets before 2023. The replay sums the same deltas in memory, straight into the
parts of one window. Both end in `Sums`, from which casework.statistics.figures computes
every figure of the return: one definition.

Figures named "@…" are stocks (a running total at a date: cases open by state, register
size, fund balances, subsidies running); "~…" figures count distinct keys over the period
(workers helped); the rest are flows, summed over the period.

A distinct count is not a sum over days. The projection therefore also keeps, for each
calendar unit (a month, quarter, half year or year: `units`), how many distinct keys each
body, and all bodies together, had in it: the "^…" figure of a "~…" one (`tally`), keyed
by the unit ("2023H1"; "*2023H1" over all bodies). A return whose period is one whole unit
reads that one number; any other period counts the distinct keys (exact, but in proportion
to them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

#: Parts of a window: before its start (stocks only); the flow period [start, flow_end];
#: from the flow end to as_of (stocks read at as_of when it is later than the end).
BEFORE, PERIOD, LATER = "before", "period", "later"


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def buckets(first: date, last: date) -> list[str]:
    """The fewest day, month and year buckets that cover [first, last] exactly."""
    out: list[str] = []
    d = first
    while d <= last:
        if d.month == 1 and d.day == 1 and date(d.year, 12, 31) <= last:
            out.append(f"{d.year:04d}")
            d = date(d.year + 1, 1, 1)
        elif d.day == 1 and _month_end(d.year, d.month) <= last:
            out.append(f"{d:%Y-%m}")
            d = _month_end(d.year, d.month) + timedelta(days=1)
        else:
            out.append(d.isoformat())
            d += timedelta(days=1)
    return out


def before(day: date, since: int) -> list[str]:
    """Buckets covering every day from 1 January of year `since` to the day before `day`."""
    first = date(since, 1, 1)
    return buckets(first, day - timedelta(days=1)) if first < day else []


def units(month: str) -> tuple[str, str, str, str]:
    """The calendar units a month ("2023-03") lies in: itself, its quarter, half and year."""
    year, m = month[:4], int(month[5:7])
    return month, f"{year}Q{(m + 2) // 3}", f"{year}H{(m + 5) // 6}", year


def unit_months(unit: str) -> list[str]:
    """The months a calendar unit is made of, first to last."""
    year = unit[:4]
    if len(unit) == 7:
        return [unit]
    first, n = {"Q": (3 * int(unit[5:] or 0) - 2, 3), "H": (6 * int(unit[5:] or 0) - 5, 6),
                "": (1, 12)}[unit[4:5]]
    return [f"{year}-{m:02d}" for m in range(first, first + n)]


def unit_of(period: list[str]) -> str | None:
    """The one calendar unit a period's buckets cover exactly (None: the period is not one)."""
    if len(period) == 1 and len(period[0]) in (4, 7):
        return period[0]
    if len(period) not in (3, 6) or any(len(b) != 7 for b in period):
        return None
    kind = "Q" if len(period) == 3 else "H"
    unit = dict(zip(("m", "Q", "H", "y"), units(period[0]), strict=True))[kind]
    return unit if unit_months(unit) == period else None


def tally(figure: str) -> str:
    """The per-unit count ("^…") kept for a distinct figure ("~…")."""
    return "^" + figure[1:]


def expand(day: str) -> tuple[str, str, str]:
    """The three buckets a day's delta is stored in."""
    return day, day[:7], day[:4]


@dataclass
class Sums:
    """The counters summed over a window's parts: part → (figure, key) → total; and for
    "~" figures, the distinct keys seen in the period."""

    parts: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: {BEFORE: Counter(), PERIOD: Counter(), LATER: Counter()})
    distinct: dict[str, int] = field(default_factory=dict)
    #: Whether any record names the window's body (no silent zeros for a mistyped --org).
    known: bool = True
    _index: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict, repr=False,
                                                          compare=False)

    def flow(self, figure: str, key: str = "") -> int:
        return self.parts[PERIOD][figure, key]

    def _by_figure(self, part: str) -> dict[str, dict[str, int]]:
        """A part's counters by figure, then key: built once, when the sums are read."""
        index = self._index.get(part)
        if index is None:
            index = self._index[part] = {}
            for (f, k), n in self.parts[part].items():
                index.setdefault(f, {})[k] = n
        return index

    def keyed(self, figure: str, part: str = PERIOD) -> dict[str, int]:
        return dict(self._by_figure(part).get(figure, {}))

    def at_start(self, figure: str, key: str = "") -> int:
        return self.parts[BEFORE][figure, key]

    def at_flow_end(self, figure: str, key: str = "") -> int:
        return self.parts[BEFORE][figure, key] + self.parts[PERIOD][figure, key]

    def at_as_of(self, figure: str, key: str = "") -> int:
        return self.at_flow_end(figure, key) + self.parts[LATER][figure, key]

    def stock_keys(self, figure: str) -> dict[str, int]:
        """A stock's value at as_of per key, for every key it has had by then."""
        out: Counter[str] = Counter()
        for part in (BEFORE, PERIOD, LATER):
            out.update(self._by_figure(part).get(figure, {}))
        return dict(out)

    def count_distinct(self, figure: str) -> int:
        return self.distinct.get(figure, 0)


class WindowSums(Sums):
    """The replay's sink: each delta goes straight into its part of one window (or
    nowhere), so memory follows the window's figures, not the history."""

    def __init__(self, lo: str, flow_end: str, as_of: str, orgs: Iterable[str] | None) -> None:
        super().__init__()
        self.lo, self.flow_end, self.as_of = lo, flow_end, as_of
        self.orgs = None if orgs is None else frozenset(orgs)
        self.seen: set[str] = set()
        self.sets: dict[str, set[str]] = {}
        self._part_of: dict[str, str | None] = {}

    def part(self, day: str) -> str | None:
        """The window's part a day falls in (None: after as_of, in none), worked out once
        a day: the sink takes four to six deltas an event."""
        if day not in self._part_of:
            self._part_of[day] = (BEFORE if day < self.lo else PERIOD if day <= self.flow_end
                                  else LATER if day <= self.as_of else None)
        return self._part_of[day]

    def add(self, org: str, day: str, figure: str, key: str, n: int) -> None:
        if self.orgs is not None and org not in self.orgs:
            return
        part = self.part(day)
        if figure[0] == "@":  # a stock: every part up to as_of
            if part is not None:
                self.parts[part][figure, key] += n
        elif part == PERIOD:  # a flow, or distinct keys: the period only
            if figure[0] == "~":
                self.sets.setdefault(figure, set()).add(key)
            else:
                self.parts[PERIOD][figure, key] += n

    def finish(self) -> Sums:
        known = self.orgs is None or bool(self.orgs & self.seen)
        return Sums(self.parts, {f: len(keys) for f, keys in self.sets.items()}, known)

"""9. Fund payments: the cost of one payment (`aid.implement` of one-off relief: load the
case and the fund, check every later balance, record both) on a fund of 1,000 movements,
against the same on a fund of 10, in the same run. Dated after every movement (in date
order), and back-dated before all but the first (the check then sums every later change).

A fund keeps its net change per business moment; a payment in date order looks at its
last balance only, a back-dated one walks the later changes in C (`accumulate`), and
loading reads a snapshot (every 100 events) of two lists of whole numbers plus its tail.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from timeit import timeit

from benchmarks.table import Row, interleaved
from casework import Casework
from domain.funds import AidFund

SMALL, LARGE = 10, 1_000
START = datetime(2023, 1, 2, 9)
ACTOR = "a-01"


def _fund(cw: Casework, code: str, movements: int, cases: int) -> list[str]:
    """A fund of `movements` contributions an hour apart (the first enough for every
    payment), and `cases` approved one-offs of 1 yuan from it, received before it."""
    cw.funds.open(code, name=code, at=START, actor=ACTOR)
    for i in range(movements):
        cw.funds.contribute(code, amount=1000 if i == 0 else 10, source="drive",
                            at=START + timedelta(hours=i + 1), actor=ACTOR)
    approved = []
    for _ in range(cases):
        case = cw.aid.receive(channel="visit", at=START, actor=ACTOR)
        cw.aid.accept(case, at=START, actor=ACTOR)
        cw.aid.approve(case, kind="one_off", fund=code, amount=1, at=START, actor=ACTOR)
        approved.append(case)
    return approved


def run(tmp: Path, rounds: int) -> list[Row]:
    path = tmp / "funds.db"
    if path.exists():
        path.unlink()
    rows = []
    with Casework(store=f"sqlite:///{path}") as cw:
        small, large = (_fund(cw, "small", SMALL, 2 * rounds),
                        _fund(cw, "large", LARGE, 2 * rounds))
        late = START + timedelta(hours=LARGE + 10)  # after every movement of either
        early = START + timedelta(hours=1, minutes=30)  # after the first contribution only
        for name, at in (("in date order", late), ("back-dated before 999 of them", early)):
            def pay(cases: list[str], at: datetime = at) -> None:
                cw.aid.implement(cases.pop(), at=at, actor=ACTOR)

            big, base = interleaved(lambda: pay(large), lambda: pay(small), rounds)
            rows.append(Row("9", f"one payment on a fund of {LARGE:,} movements, {name}",
                            big * 1e3, f"{SMALL} movements", base * 1e3, "ms", "≤ 1.5×",
                            big <= 1.5 * base))
        # the check alone, on the loaded aggregates: what grows with the movements
        loaded = {n: cw.log.load(AidFund, n) for n in ("small", "large")}
        when = cw.clock.when(early)
        check = {n: timeit(lambda f=f: f.check_cover(when, Decimal(1)), number=2000) / 2000
                 for n, f in loaded.items()}
        rows.append(Row("9", f"the balance check alone, back-dated, {LARGE:,} movements",
                        check["large"] * 1e6, f"{SMALL} movements", check["small"] * 1e6,
                        "µs", "—", None, "information: a C-level walk of later changes"))
    path.unlink()
    return rows

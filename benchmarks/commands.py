"""1. The command path on SQLite: a mediator's command against a bare aggregate's
load-mutate-save, on the same kind of SQLite file, each command its own transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from benchmarks.table import Row, interleaved
from casework import Casework
from casework.store import resolve


class Bare(Aggregate):
    """No lifecycle, no validation, no history: just an event that sets a field."""

    @event("Created")
    def __init__(self, n: int) -> None:
        self.n = n

    @event("Moved")
    def move(self, step: str) -> None:
        self.step = step


class BareApp(Application[Any]):
    name = "bare"


def run(tmp: Path, cases: int, rounds: int) -> list[Row]:
    cw = Casework(store=f"sqlite:///{tmp / 'commands.db'}", org="county")
    bare = BareApp(env=resolve(f"sqlite:///{tmp / 'bare.db'}").env)
    moves = ("accept", "start_mediation", "resolve")
    batches: list[tuple[list[str], list[Any]]] = []
    for r in range(rounds):
        numbers = [cw.disputes.receive(category="wages", workers=3, amount="12000",
                                       channel="visit", employer=f"employer-{r}-{i}",
                                       actor="m-01") for i in range(cases)]
        aggregates = [Bare(i) for i in range(cases)]
        bare.save(*aggregates)
        batches.append((numbers, [a.id for a in aggregates]))
    it = iter(batches)
    current: dict[str, Any] = {}

    def engine() -> None:
        numbers, ids = next(it)
        current["ids"] = ids
        d = cw.disputes
        for n in numbers:
            d.accept(n, actor="m-01")
            d.start_mediation(n, mediator="m-02", actor="m-01")
            d.resolve(n, settled_amount="11000", actor="m-02")

    def baseline() -> None:
        get, save = bare.repository.get, bare.save
        for i in current["ids"]:
            for step in moves:
                a: Bare = get(i)
                a.move(step)
                save(a)

    commands = cases * len(moves)
    ours, theirs = interleaved(engine, baseline, rounds)
    cw.close()
    bare.close()
    return [Row("1", "mediator command on SQLite (load, check, validate, save 1 event)",
                ours / commands * 1e3, "bare aggregate load-mutate-save", theirs / commands * 1e3,
                "ms", "≤ 1.2×", ours / theirs <= 1.2,
                f"median of {rounds} rounds × {commands} commands")]

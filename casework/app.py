"""The `Casework` facade: one store, one clock, the services that work on them."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from casework.access import Access, Directory
from casework.aid import Aid
from casework.bodies import Bodies
from casework.cases import CaseCommands
from casework.clock import Clock, When, zone
from casework.errors import ConcurrentUpdate, InvalidInput
from casework.funds import Funds
from casework.log import open_log
from casework.queries import QUERIES, AidQueries, CaseQueries
from casework.register import Register
from casework.service import Numbers
from casework.statistics.figures import Report, Window
from casework.statistics.projection import CaseSummaries
from casework.statistics.replay import Progress
from casework.statistics.replay import replay as replay_log
from casework.store import resolve
from domain import KINDS
from domain.values import Code, check

T = TypeVar("T")


class Desk:
    """One kind of case as a caller sees it: its commands and its queries side by side
    (``cw.disputes.accept``, ``cw.disputes.list``), kept apart behind it."""

    def __init__(self, commands: CaseCommands, queries: CaseQueries) -> None:
        self.commands, self.queries = commands, queries

    def __getattr__(self, name: str) -> Any:
        try:
            return getattr(self.commands, name)
        except AttributeError:
            return getattr(self.queries, name)

    def __dir__(self) -> list[str]:
        return sorted({*dir(self.commands), *dir(self.queries)} - {"commands", "queries"})


class Casework:
    """Cases, register, funds and union bodies of one store.

    >>> cw = Casework(store="memory://")
    >>> cw.disputes.receive(category="wages", workers=3, amount=12000, channel="visit",
    ...                     employer="Acme Textiles", at="2023-03-01T09:30", actor="m-01")
    'LD-2023-0001'
    """

    def __init__(
        self, store: str | None = None, *, org: str | None = None, tz: str | None = None,
        actors: str | Path | Directory | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """`actors`: who may do what (a TOML file or a Directory; default $CASEWORK_ACTORS).
        Without one, any named actor may do anything: the single-user embedded use."""
        self.store = resolve(store)
        self.org = str(check(org=(Code, org or os.environ.get("CASEWORK_ORG") or "default"))["org"])
        self.clock = Clock(zone(tz), now)
        self.log = open_log(self.store)
        self.summaries = CaseSummaries(self.log, postgres=self.store.is_postgres)
        directory = actors if isinstance(actors, Directory) or actors is None else (
            Directory.load(actors))
        self.access = Access(self.log, directory or Directory.from_env())
        numbers = Numbers(self.log)
        common = (self.log, self.clock, self.org, self.access)
        queries = {name: QUERIES.get(name, CaseQueries)(kind, self.log, self.clock,
                                                        self.summaries)
                   for name, kind in KINDS.items()}
        commands: dict[str, CaseCommands] = {}
        for name, kind in KINDS.items():
            if name == "aid":  # its payments need the read side's list of subsidies
                aid = queries["aid"]
                assert isinstance(aid, AidQueries)
                commands[name] = Aid(kind, *common, numbers=numbers, kinds=commands,
                                     subsidies=aid.subsidies)
            else:
                commands[name] = CaseCommands(kind, *common, numbers=numbers, kinds=commands)
        self.kinds = {KINDS[n].plural: Desk(commands[n], queries[n]) for n in KINDS}
        self.disputes, self.aid, self.warnings = (
            self.kinds["disputes"], self.kinds["aid"], self.kinds["warnings"])
        self.register = Register(*common)
        self.funds = Funds(*common)
        self.bodies = Bodies(*common, summaries=self.summaries)

    def report(
        self, start: date, end: date, *, as_of: date | None = None,
        known_at: When = None, org: str | None = None, replay: bool = False,
        progress: Progress | None = None,
    ) -> Report:
        """The figures of the cases received in [start, end], states read at the end of
        `as_of` (default `end`). From the read model, or by replaying the log where
        `replay` is set or `known_at` asks what the log held at an earlier moment."""
        for name, value in (("start", start), ("end", end), ("as_of", as_of)):
            if (value is not None or name != "as_of") and (
                    not isinstance(value, date) or isinstance(value, datetime)):
                raise InvalidInput({name: f"expected a date, got {value!r}"})
        if end < start:
            raise InvalidInput({"end": f"{end} is before start {start}"})
        if as_of is not None and as_of < start:
            raise InvalidInput({"as_of": f"{as_of} is before the period starts ({start})"})
        known = None if known_at is None else self.clock.when(known_at)
        if org is not None:
            org = str(check(org=(Code, org))["org"])
        w = Window(start, end, as_of or end, org, self.clock.tz, known)
        if replay or known is not None:
            return replay_log(self.log, w, progress)
        return self.summaries.report(w)

    def project(self) -> int:
        """Bring the read model up to date; returns how many events it folded."""
        return self.summaries.catch_up()

    def close(self) -> None:
        self.log.close()

    def __enter__(self) -> Casework:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def retry(command: Callable[[], T], attempts: int = 3) -> T:
    """Re-run `command` when it lost a race (ConcurrentUpdate).

    Safe for commands that load a fresh copy of the case each time they run — every
    `cw.*` command does — so the retried move is checked against the winner's state:
    ``retry(lambda: cw.disputes.accept(case, actor="m-01"))``.
    """
    for attempt in range(attempts):
        try:
            return command()
        except ConcurrentUpdate:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


__all__ = ["Casework", "retry"]

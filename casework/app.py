"""The `Casework` facade: one store, one clock, the services that work on them."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from casework.access import Access, ActorLike, Directory
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
from casework.statistics.explain import Explanation, explain_figure
from casework.statistics.figures import Report, Window
from casework.statistics.projection import CaseSummaries
from casework.statistics.replay import Progress
from casework.statistics.replay import replay as replay_log
from casework.store import resolve
from domain import KINDS
from domain.values import Code, check, outside_years
from workflows.access import ALL_BODIES

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
        directory = actors if isinstance(actors, Directory) or actors is None else (
            Directory.load(actors))
        directory = directory or Directory.from_env()  # a bad file is refused before opening
        self.log = open_log(self.store)
        try:
            self.summaries = CaseSummaries(self.log, postgres=self.store.is_postgres,
                                           tz=self.clock.tz)
        except BaseException:
            self.log.close()  # a half-opened store leaves no connection behind
            raise
        self.access = Access(self.log, directory)
        numbers = Numbers(self.log)
        common = (self.log, self.clock, self.org, self.access)
        queries = {name: QUERIES.get(name, CaseQueries)(kind, self.log, self.clock,
                                                        self.access, self.summaries)
                   for name, kind in KINDS.items()}
        commands: dict[str, CaseCommands] = {}
        for name, kind in KINDS.items():
            if name == "aid":  # its payments need the read side's list of subsidies
                aid = queries["aid"]
                assert isinstance(aid, AidQueries)
                commands[name] = Aid(kind, *common, numbers=numbers, kinds=commands,
                                     history=aid)
            else:
                commands[name] = CaseCommands(kind, *common, numbers=numbers, kinds=commands)
        self.kinds = {KINDS[n].plural: Desk(commands[n], queries[n]) for n in KINDS}
        self.disputes, self.aid, self.warnings = (
            self.kinds["disputes"], self.kinds["aid"], self.kinds["warnings"])
        self.register = Register(*common, summaries=self.summaries)
        self.funds = Funds(*common)
        self.bodies = Bodies(*common, summaries=self.summaries)
        self.access.below = lambda org: [b.code for b in self.bodies.descendants(org)]

    def report(
        self, start: date, end: date, *, as_of: date | None = None,
        known_at: When = None, org: str | None = None, replay: bool = False,
        progress: Progress | None = None, actor: ActorLike | None = None,
        cohort: bool = False,
    ) -> Report:
        """The return for [start, end]: per kind, cases open at the start, received and
        concluded (by outcome) in the period, open at its end; money, help and the register
        in the period; balances and registers at the end of `as_of` (default `end`; flows
        stop there if it is earlier). With `cohort`, each kind also carries today's cohort
        figures (`report.disputes.cohort`: the cases received in the period, as they stood
        at `as_of`). From the read model, or by replaying the log where `replay` is set or
        `known_at` asks what the log held at an earlier moment. A body (`org`) that no
        record names is refused: a mistyped body is not a report of zeros."""
        known = None if known_at is None else self.clock.when(known_at)
        w = self._window(start, end, as_of, known, org, actor)
        if replay or known is not None:
            with self.log.faults("cannot replay the log"):
                return replay_log(self.log, w, progress, cohort=cohort)
        return self.summaries.report(w, cohort=cohort)

    def explain(
        self, figure: str, start: date, end: date, *, as_of: date | None = None,
        org: str | None = None, actor: ActorLike | None = None,
    ) -> Explanation:
        """The cases behind a figure of the return (``"disputes.success_rate"``): its
        numerator's and, for a rate, its denominator's, with their numbers, states and
        dates. The cases listed always add up to the figure."""
        w = self._window(start, end, as_of, None, org, actor)
        self.summaries.report(w)  # refuses an unknown body, as the report does
        return explain_figure(figure, self.summaries, w)

    def _window(self, start: date, end: date, as_of: date | None, known: datetime | None,
                org: str | None, actor: ActorLike | None) -> Window:
        for name, value in (("start", start), ("end", end), ("as_of", as_of)):
            if (value is not None or name != "as_of") and (
                    not isinstance(value, date) or isinstance(value, datetime)):
                raise InvalidInput({name: f"expected a date, got {value!r}"})
            why = None if value is None else outside_years(value)
            if why:
                raise InvalidInput({name: why})
        if end < start:
            raise InvalidInput({"end": f"{end} is before start {start}"})
        if as_of is not None and as_of < start:
            raise InvalidInput({"as_of": f"{as_of} is before the period starts ({start})"})
        if org is not None:
            org = str(check(org=(Code, org))["org"])
        self._may_report(actor, org)
        below = () if org is None else tuple(b.code for b in self.bodies.descendants(org))
        return Window(start, end, as_of or end, org, self.clock.tz, known, below)

    def _may_report(self, actor: ActorLike | None, org: str | None) -> None:
        """A report is read like a case: a body's by those who work for it, every body's
        (org None) by those who work for all."""
        now = self.clock.now()
        reader = self.access.reader(actor, "report", now)
        self.access.check_read(reader, "report", ALL_BODIES if org is None else org, now)

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

"""Last year's records from a spreadsheet: every row checked first, then each made through
the public commands, exactly once.

A row is a record as its paper file tells it (casework.sheets: its intake, the day it was
received, the days of its moves and what they recorded). The whole file is read and every
row rehearsed in memory — the same forms, access policy, lifecycle and checks as the
commands — and a file with any bad row is refused whole, each bad row named with its
number and column. Then each row is opened with its source reference (the file's id
column, else the file's name and row), which a mark saved in the same transaction makes
unique, and its moves are made with the row's days. A row already opened is finished from
where its case stands, so importing a file twice, at once, or again after a store fault
half-way, stores every row once and completely.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from casework import labels
from casework.access import ActorLike
from casework.app import Casework
from casework.cases import CaseCommands
from casework.errors import (
    AlreadyExists,
    ConcurrentUpdate,
    InvalidInput,
    InvalidTransition,
    PermissionDenied,
)
from casework.sheets import (
    OPENED,
    REGISTER,
    BadCell,
    Sheet,
    Table,
    plain_type,
    rank,
    read_cell,
)
from casework.sheets import read_file as read_table
from casework.sheets import sheet as sheet_of
from domain import KINDS
from domain.imports import ImportMark
from domain.register import RegisteredWorker
from domain.values import Code, HardshipReason, Text, check
from workflows.access import refusal

#: What `casework import` takes: a kind by its plural or its name, or the register.
TARGETS = {**{k.plural: k.name for k in KINDS.values()}, **{k: k for k in KINDS},
           "register": REGISTER}
#: How often a row's moves are tried again after another import made one meanwhile.
RACES = 10

Status = Literal["new", "completed", "already"]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Step:
    move: str
    at: datetime
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Row:
    """One record to import: where it came from, its opening, and its moves in order."""

    line: int
    source: str
    org: str | None
    at: datetime
    intake: Mapping[str, Any]
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A bad row: its number in the file, the column (as the file heads it), and why."""

    line: int
    column: str
    why: str

    def text(self, lang: str) -> str:
        return labels.name("import.problem", lang).format(
            row=self.line, column=self.column, why=self.why)


class BadRows(InvalidInput):
    """Rows of a file that cannot be imported, each with its row number and column;
    nothing was imported."""

    def __init__(self, problems: Sequence[Problem], lang: str) -> None:
        self.problems, self.lang = tuple(problems), lang
        super().__init__({f"row {p.line}, {p.column}": p.why for p in problems})

    def lines(self) -> list[str]:
        return [p.text(self.lang) for p in self.problems]


@dataclass(frozen=True)
class Imported:
    """What an import did: per row, the record and whether it was new, completed (opened by
    an earlier import that stopped half-way) or already there."""

    file: str
    records: tuple[tuple[int, str, Status], ...]

    def count(self, status: Status) -> int:
        return sum(1 for _, _, s in self.records if s == status)

    def summary(self, lang: str) -> str:
        return labels.name("import.summary", lang).format(
            file=self.file, new=self.count("new"), completed=self.count("completed"),
            already=self.count("already"))


def import_file(cw: Casework, kind: str, path: str | Path, *, actor: ActorLike,
                lang: str = "zh-Hans", progress: Progress | None = None) -> Imported:
    """Check every row of `path` and, if none is bad, import them all (see the module)."""
    rows = read(cw, kind, path, actor=actor, lang=lang)
    return run(cw, kind, rows, actor=actor, file=Path(path).name, progress=progress)


def target(kind: str) -> str:
    if kind not in TARGETS:
        raise InvalidInput({"kind": f"{kind!r}: one of {', '.join(TARGETS)}"})
    return TARGETS[kind]


# ---- reading and checking ----------------------------------------------------------------


def read(cw: Casework, kind: str, path: str | Path, *, actor: ActorLike,
         lang: str = "zh-Hans") -> list[Row]:
    """Every row of the file, checked; BadRows naming each bad one."""
    lang = labels.normalise_lang(lang)
    name = target(kind)
    s = sheet_of(name)
    table = read_table(path)
    reader = _Reader(cw, s, table, actor, lang)
    rows = reader.rows()
    if reader.problems:
        raise BadRows(reader.problems, lang)
    if not rows:
        raise InvalidInput({"file": labels.name("import.empty", lang).format(file=table.name)})
    return rows


class _Reader:
    def __init__(self, cw: Casework, s: Sheet, table: Table, actor: ActorLike,
                 lang: str) -> None:
        self.cw, self.s, self.table, self.actor, self.lang = cw, s, table, actor, lang
        self.problems: list[Problem] = []
        self.heads: dict[str, str] = {}  # column → the file's header for it
        self.at: dict[int, str] = {}  # the file's column index → column
        for i, header in enumerate(table.headers):
            if not header:
                continue
            column = s.find(header)
            if column is None:
                self.bad(table.header_line, header, "import.unknown_column")
            elif column.name in self.heads:
                self.bad(table.header_line, header, "import.twice",
                         other=self.heads[column.name])
            else:
                self.heads[column.name], self.at[i] = header, column.name

    def bad(self, line: int, column: str, key: str, **values: object) -> None:
        why = labels.name(key, self.lang).format(**values) if key in labels.KEYS else key
        self.problems.append(Problem(line, self.head(column), why))

    def head(self, column: str) -> str:
        """A column as the file heads it (or, absent from the file, in the user's language)."""
        if column in self.heads:
            return self.heads[column]
        found = self.s.by_name.get(column)
        return found.headers[self.lang] if found else column

    def rows(self) -> list[Row]:
        out: list[Row] = []
        sources: dict[str, int] = {}
        for line, cells in self.table.rows:
            raw = {self.at[i]: c for i, c in enumerate(cells) if i in self.at}
            before = len(self.problems)
            row = self.row(line, raw)
            if row is None or len(self.problems) > before:
                continue
            if row.source in sources:
                self.bad(line, "number" if self.s.kind != REGISTER else "worker",
                         "import.same_source", other=sources[row.source])
                continue
            sources[row.source] = line
            out.append(row)
        return out

    def cell(self, line: int, raw: Mapping[str, Any], name: str, annotation: Any) -> Any:
        try:
            return read_cell(self.s, name, annotation, raw.get(name), self.lang)
        except BadCell as e:
            self.bad(line, name, e.key, **e.values)
            return None

    def row(self, line: int, raw: Mapping[str, Any]) -> Row | None:
        if self.s.kind == REGISTER:
            return self.worker(line, raw)
        kind = KINDS[self.s.kind]
        opened = self.cell(line, raw, OPENED, date)
        if opened is None:
            self.bad(line, OPENED, "import.required")
            return None
        before = len(self.problems)
        intake = self.given(line, raw, kind.opening.fields)
        steps, used = [], {OPENED, "number", "org", "state", *kind.opening.fields}
        for move, form in self.s.forms.items():
            day = self.cell(line, raw, move, date)
            if day is None:
                continue
            fields = self.given(line, raw, form.fields)
            for name, f in form.fields.items():  # a notice's day: the move's, if not given
                if name not in fields and f.is_required() and plain_type(f.annotation) is date:
                    fields[name] = day.date()
            used |= {move, *form.fields}
            steps.append(Step(move, day, fields))
        for name in raw:
            if name not in used and self.cell(line, raw, name, str) is not None:
                self.bad(line, name, "import.unused")
        org = self.cell(line, raw, "org", str)
        number = self.cell(line, raw, "number", str)
        source = number or f"{self.table.name}#{line}"
        steps.sort(key=lambda st: (st.at, rank(kind, st.move)))
        row = Row(line, source, org, opened, intake, tuple(steps))
        if len(self.problems) == before:  # cells that read: do they make a case?
            self.rehearse(row)
            self.state(line, raw, row)
        return row

    def given(self, line: int, raw: Mapping[str, Any], fields: Mapping[str, Any]
              ) -> dict[str, Any]:
        out = {}
        for name, f in fields.items():
            if name in raw:
                value = self.cell(line, raw, name, f.annotation)
                if value is not None:
                    out[name] = value
        return out

    def rehearse(self, row: Row) -> None:
        commands: CaseCommands = self.cw.kinds[KINDS[self.s.kind].plural].commands
        refused = commands.rehearse(row.intake, [(s.move, s.at, s.fields) for s in row.steps],
                                    org=row.org, at=row.at, actor=self.actor, name=row.source)
        if refused is None:
            return
        move, error = refused
        day = OPENED if move == commands.kind.opening.name else move
        if isinstance(error, InvalidInput):
            for field, why in error.fields.items():
                name = field.split(".")[0]
                column = day if name == "at" else name
                self.problems.append(Problem(row.line, self.head(column), why))
        elif isinstance(error, PermissionDenied):  # the body's, or a move's (a threshold)
            column = "org" if day == OPENED else day
            self.problems.append(Problem(row.line, self.head(column), str(error)))
        elif isinstance(error, InvalidTransition):
            self.bad(row.line, day, "import.order", move=self.s.move_label(error.move, self.lang),
                     state=self.s.state_label(error.state, self.lang),
                     allowed=(", " if self.lang == "en" else "、").join(
                         self.s.move_label(m, self.lang) for m in error.allowed) or "—")
        else:
            self.problems.append(Problem(row.line, self.head(day), str(error)))

    def state(self, line: int, raw: Mapping[str, Any], row: Row) -> None:
        """A file that says a case's state: the days given must lead there."""
        said = self.cell(line, raw, "state", str)
        if said is None:
            return
        life = KINDS[self.s.kind].lifecycle
        reached = life.initial
        for step in row.steps:
            reached = life.target(reached, step.move) or reached
        if self.s.state(said) != reached:
            self.bad(line, "state", "import.state", said=said,
                     reached=self.s.state_label(reached, self.lang))

    def worker(self, line: int, raw: Mapping[str, Any]) -> Row | None:
        """A register row: its enrolment, checked as `Register.enrol` checks it."""
        columns = self.s.by_name
        values = {n: self.cell(line, raw, n, c.annotation) for n, c in columns.items()}
        day = values.pop("enrolled_at")
        if day is None:
            self.bad(line, "enrolled_at", "import.required")
        try:
            v = check(worker=(Code, values["worker"]), reason=(HardshipReason, values["reason"]),
                      name=(Text | None, values["name"]),
                      id_number=(Text | None, values["id_number"]),
                      org=(Code, values["org"] or self.cw.org))
        except InvalidInput as e:
            for field, why in e.fields.items():
                self.problems.append(Problem(line, self.head(field), why))
            return None
        directory = self.cw.access.directory
        if directory is not None:
            try:
                who = self.cw.access.who(self.actor)
            except PermissionDenied as e:
                self.problems.append(Problem(line, self.head("org"), str(e)))
                return None
            refused = refusal(who, self.cw.register.roles, "worker", "enrol", v["org"],
                              limits=directory.limits)
            if refused is not None:
                self.problems.append(Problem(line, self.head("org"), refused))
                return None
        if day is None:
            return None
        mark = ImportMark.key_for(RegisteredWorker.kind, v["worker"])
        if (self.cw.log.exists(RegisteredWorker, v["worker"])
                and not self.cw.log.exists(ImportMark, mark)
                and self.cw.log.load(RegisteredWorker, v["worker"]).active):
            self.bad(line, "worker", "import.on_register", worker=v["worker"])
            return None
        intake = {k: v[k] for k in ("reason", "name", "id_number") if v[k] is not None}
        return Row(line, v["worker"], v["org"], day, {"worker": v["worker"], **intake})


# ---- importing -----------------------------------------------------------------------------


def run(cw: Casework, kind: str, rows: Sequence[Row], *, actor: ActorLike, file: str = "",
        progress: Progress | None = None) -> Imported:
    """Import checked rows: each opened once (by its source's mark), its moves finished."""
    name = target(kind)
    done: list[tuple[int, str, Status]] = []
    for i, row in enumerate(rows, start=1):
        if name == REGISTER:
            done.append((row.line, *_enrol(cw, row, actor)))
        else:
            done.append((row.line, *_case(cw, name, row, actor)))
        if progress is not None:
            progress(i, len(rows))
    return Imported(file, tuple(done))


def _enrol(cw: Casework, row: Row, actor: ActorLike) -> tuple[str, Status]:
    intake = dict(row.intake)
    worker = intake.pop("worker")
    try:
        cw.register.enrol(worker, org=row.org, at=row.at, actor=actor, source=row.source,
                          **intake)
    except AlreadyExists:
        if cw.log.exists(ImportMark, ImportMark.key_for(RegisteredWorker.kind, row.source)):
            return worker, "already"
        raise
    return worker, "new"


def _case(cw: Casework, kind: str, row: Row, actor: ActorLike) -> tuple[str, Status]:
    desk = cw.kinds[KINDS[kind].plural]
    mark = ImportMark.key_for(kind, row.source)
    if not cw.log.exists(ImportMark, mark):
        try:
            number = desk.open(org=row.org, at=row.at, actor=actor, source=row.source,
                               **row.intake)
        except AlreadyExists:  # another import opened it a moment ago
            pass
        else:
            _finish(desk, number, row.steps, actor, fresh=True)
            return number, "new"
    number = cw.log.load(ImportMark, mark).record
    made = _finish(desk, number, row.steps, actor)
    return number, ("completed" if made else "already")


def _finish(desk: Any, number: str, steps: Sequence[Step], actor: ActorLike, *,
            fresh: bool = False) -> int:
    """Make the row's moves the case has not made yet; how many this call made. A case
    moved since otherwise than the row says (by hand, after its import) is left as it is.
    A case this import has just opened (`fresh`) has made none."""
    moves = [s.move for s in steps]
    made = 0
    for _ in range(RACES):
        done = [] if fresh else [h.type for h in desk.get(number, actor=actor).history
                                 if h.type in moves]
        fresh = False
        if done != moves[: len(done)]:
            return made
        attempt = 0
        try:
            for s in steps[len(done):]:
                desk.move(s.move, number, at=s.at, actor=actor, **s.fields)
                attempt += 1
            return made + attempt
        except (ConcurrentUpdate, InvalidTransition, InvalidInput):
            made += attempt
            now = [h.type for h in desk.get(number, actor=actor).history if h.type in moves]
            if len(now) <= len(done) + attempt:
                raise  # not another import's doing: a refusal of this row's own
    raise ConcurrentUpdate(number)


__all__ = ["BadRows", "Imported", "Problem", "Row", "Step", "import_file", "read", "run"]

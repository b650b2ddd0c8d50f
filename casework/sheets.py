"""A kind's sheet: the columns a spreadsheet of its records has, read and written alike.

One table per kind, derived from its declaration rather than written out: the case's
number (the file's own id, 编号), its body, the day it was received and its intake form's
fields, then per move the day it was made and its form's fields; a field that several
moves take (a reason, a written notice's day) is one column, filled for the move the row
made. The register's sheet is its enrolment's signature. Headers and choices are the
desk's glossary (`casework.words`, which a test holds complete for every field, move
and choice), in Simplified Chinese, English or traditional Chinese, so a list exported in
one language is read back in any.
"""

from __future__ import annotations

import csv
import inspect
import io
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from casework import labels
from casework.errors import InvalidInput
from casework.register import Register
from casework.words import Words
from domain import KINDS, Kind
from domain.kind import Form

#: Columns every case sheet has before its forms' fields: (name, type).
IDENTITY = (("number", str), ("org", str), ("state", str))
#: The register's columns: its enrolment's parameters, and the day of enrolment.
REGISTER = "worker"
#: The column of the day a record was opened.
OPENED = "received_at"
#: Other headers an office's own file may use for a column: its id (编号, 档案号).
ALIASES = {"number": ("编号", "案号", "档案号", "id", "no"), "worker": ("档案号", "会员号")}
#: Words a yes/no cell may hold.
YES = frozenset({"yes", "y", "true", "1", "是", "有", "√", "✓"})
NO = frozenset({"no", "n", "false", "0", "否", "无", "×", ""})
#: How a list cell is split: by the separators an office types.
LIST_SEP = re.compile(r"\s*[,;，；、\n]\s*")


@dataclass(frozen=True)
class Column:
    """One column: the field it fills (a form field, or a move's day) and how it is read."""

    name: str
    annotation: Any
    headers: Mapping[str, str]  # lang → header
    day_of: str | None = None  # the move (or the opening) whose day this is



@dataclass(frozen=True)
class Sheet:
    """A kind's columns, and the moves a row may make, in the lifecycle's order."""

    kind: str  # dispute, aid, warning, worker
    columns: tuple[Column, ...]
    forms: Mapping[str, Form] = field(default_factory=dict)  # move → its form

    @property
    def moves(self) -> tuple[str, ...]:
        return tuple(self.forms)

    def header(self, column: str, lang: str) -> str:
        return self.by_name[column].headers[labels.normalise_lang(lang)]

    @cached_property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    def find(self, header: str) -> Column | None:
        """The column a file's header names, in any language (or the field's own name)."""
        wanted = _fold(header)
        for c in self.columns:
            names = (c.name, *c.headers.values(), *ALIASES.get(c.name, ()))
            if any(wanted == _fold(h) for h in names):
                return c
        return None

    def state_label(self, state: str, lang: str) -> str:
        lang = labels.normalise_lang(lang)
        zh, en = _words("zh").state(self.kind, state), _words("en").state(self.kind, state)
        return _in_langs((zh, en))[lang]

    def move_label(self, move: str, lang: str) -> str:
        zh, en = _words("zh").move(self.kind, move), _words("en").move(self.kind, move)
        return _in_langs((zh, en))[labels.normalise_lang(lang)]

    def state(self, text: str) -> str | None:
        """The state a cell names, by its code or its label in any language."""
        for st in KINDS[self.kind].lifecycle.states:
            names = {st, *(self.state_label(st, lang) for lang in labels.LANGS)}
            if _fold(text) in map(_fold, names):
                return st
        return None

    def choice(self, column: str, value: str, lang: str) -> str:
        """A choice as the sheet writes it: its label in `lang`."""
        return _choice_words(self.kind, column, value)[labels.normalise_lang(lang)]


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-()()]", "", text).casefold()


def plain_type(tp: Any) -> Any:
    """The type behind Annotated[…] and Optional[…]."""
    while True:
        if typing.get_origin(tp) is Annotated:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) in (Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


@cache
def _words(lang: str) -> Words:
    return Words("en" if lang == "en" else "zh", UTC)


def _in_langs(zh_en: tuple[str, str]) -> dict[str, str]:
    zh, en = zh_en
    return {"zh-Hans": zh, "en": en, "zh-Hant": labels.traditional(zh)}


def _field(kind: str, name: str) -> dict[str, str]:
    return _in_langs((_words("zh").field(name, kind=kind), _words("en").field(name, kind=kind)))


def _day(kind: str, move: str) -> dict[str, str]:
    zh, en = _words("zh").move(kind, move), _words("en").move(kind, move)
    return _in_langs((f"{zh}日期", f"{en}: date"))


@cache
def _choice_words(kind: str, column: str, value: str) -> dict[str, str]:
    return _in_langs((_words("zh").choice(value, field=column),
                      _words("en").choice(value, field=column)))


@cache
def sheet(kind: str) -> Sheet:
    """The sheet of a kind of case (dispute, aid, warning), or of the register (worker)."""
    if kind == REGISTER:
        return _register_sheet()
    k = KINDS[kind]
    columns = [Column(n, tp, _field(k.name, n)) for n, tp in IDENTITY]
    columns.append(Column(OPENED, date, _field(k.name, OPENED), day_of=k.opening.name))
    seen = {c.name for c in columns}
    forms = {m: k.moves[m] for m in _row_moves(k)}
    for move, form in [(k.opening.name, k.opening), *forms.items()]:
        if move != k.opening.name:
            columns.append(Column(move, date, _day(k.name, move), day_of=move))
        for name, f in form.fields.items():
            if name not in seen:
                seen.add(name)
                columns.append(Column(name, f.annotation, _field(k.name, name)))
    return Sheet(k.name, tuple(columns), forms)


def _row_moves(kind: Kind) -> list[str]:
    """The moves a row may record, in the lifecycle's order: all but those that open a
    case of another kind (a warning's to_dispute: import the dispute itself)."""
    return sorted((m for m in kind.moves if m not in kind.spawns), key=lambda m: rank(kind, m))


def rank(kind: Kind, move: str) -> float:
    """Where a move falls along the lifecycle, so that moves made the same day are made
    in an order the lifecycle allows: by the state it reaches, a note just after its state."""
    life = kind.lifecycle
    dest = life.dest(move)
    if dest is not None:
        return life.order[dest]
    return max(life.order[s] for s in life.states if move in life.allowed(s)) + 0.5


def _register_sheet() -> Sheet:
    hints = typing.get_type_hints(Register.enrol, include_extras=True)
    columns = [Column(name, hints[name], _field("worker", name))
               for name, p in inspect.signature(Register.enrol).parameters.items()
               if name not in ("self", "at", "actor", "source")]
    columns.append(Column("enrolled_at", date, _field("worker", "enrolled_at"),
                          day_of="enrol"))
    return Sheet(REGISTER, tuple(columns))


# ---- cells ---------------------------------------------------------------------------------


class BadCell(ValueError):
    """A cell the column's type cannot read; its message is a labels key and values."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(key)


def choices(annotation: Any) -> tuple[str, ...]:
    tp = plain_type(annotation)
    return typing.get_args(tp) if typing.get_origin(tp) is Literal else ()


def read_cell(s: Sheet, name: str, annotation: Any, raw: object, lang: str) -> Any:
    """A cell as the field's type (`annotation`: a move's own, where several moves share the
    column): None for a blank; a choice by its code or its label in any language."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    tp = plain_type(annotation)
    text = _text(raw)
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):  # kept as text by an export
        text = text[1:]
    options = choices(annotation)
    if options:
        for value in options:
            if _fold(text) in {_fold(value), *map(_fold, _choice_words(s.kind, name,
                                                                       value).values())}:
                return value
        raise BadCell("import.not_choice", value=text, choices=", ".join(
            s.choice(name, v, lang) for v in options))
    if tp is bool:
        if text.casefold() in YES:
            return True
        if text.casefold() in NO:
            return False
        raise BadCell("import.not_yes_no", value=text)
    if tp is int:
        number = _number(text)
        if number is None or number != number.to_integral_value():
            raise BadCell("import.not_whole", value=text)
        return int(number)
    if tp is Decimal:
        number = _number(text)
        if number is None:
            raise BadCell("import.not_number", value=text)
        return number
    if tp is date:
        return _date(raw, text)
    if typing.get_origin(tp) in (list, Sequence, tuple) or tp in (list, Sequence):
        return [part for part in LIST_SEP.split(text) if part]
    return text


def _text(raw: object) -> str:
    """A cell's text: a whole number a spreadsheet stored as 1001.0 is 1001."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw).strip()


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(re.sub(r"[,，\s¥￥元]", "", text))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


DATE_FORMS = (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
                         r"(?:[ T](\d{1,2})[:时](\d{2})(?::(\d{2}))?)?$"),)


def _date(raw: object, text: str) -> datetime:
    """A day, or a day and time: 2023-03-01, 2023/3/1, 2023年3月1日, 2023-03-01 09:30, or
    a spreadsheet's own date. A day alone is read as its first moment, local time."""
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=None) if raw.tzinfo is None else raw
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    for form in DATE_FORMS:
        m = form.match(text)
        if m:
            y, mo, d, h, mi, sec = (int(g) if g else 0 for g in m.groups())
            try:
                return datetime(y, mo, d, h, mi, sec)
            except ValueError:
                break
    raise BadCell("import.not_date", value=text)


def write_cell(s: Sheet, name: str, annotation: Any, value: Any, lang: str) -> Any:
    """A value as a sheet holds it: a choice by its label in `lang`, yes/no as words."""
    lang = labels.normalise_lang(lang)
    if value is None:
        return None
    if isinstance(value, str) and value in choices(annotation):
        return s.choice(name, value, lang)
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if isinstance(value, list | tuple):
        return (", " if lang == "en" else "、").join(map(str, value))
    return value


# ---- files ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A file's rows: the header row's texts, and each later row by its number in the file."""

    name: str
    headers: tuple[str, ...]
    header_line: int
    rows: tuple[tuple[int, tuple[object, ...]], ...]


def read_file(path: str | Path) -> Table:
    """A .xlsx workbook's first sheet, or a .csv file (UTF-8 with or without a BOM, else
    GB18030, which Excel on a Chinese Windows writes): its header row and data rows."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput({"file": f"no file {str(p)!r}"})
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        lines = _xlsx_lines(p)
    elif suffix == ".csv":
        lines = _csv_lines(p.read_bytes())
    else:
        raise InvalidInput({"file": f"{p.name}: a .xlsx or .csv file, please"})
    found = [(n, cells) for n, cells in lines if any(_text(c) for c in cells if c is not None)]
    if not found:
        raise InvalidInput({"file": f"{p.name} is empty"})
    (header_line, header), *rest = found
    headers = tuple(_text(h) if h is not None else "" for h in header)
    return Table(p.name, headers, header_line, tuple(rest))


def _xlsx_lines(p: Path) -> Iterator[tuple[int, tuple[object, ...]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(p, read_only=True, data_only=True)
    except Exception as e:  # a damaged or renamed file: openpyxl has no error type of its own
        raise InvalidInput({"file": f"{p.name} is not a workbook Excel wrote: {e}"}) from None
    sheet = book.worksheets[0]
    for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield n, tuple(row)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030; refused if neither reads it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InvalidInput({"file": "neither UTF-8 nor GB18030 text: save it as CSV UTF-8 "
                                    "or as an Excel workbook"}) from None


def _csv_lines(data: bytes) -> Iterator[tuple[int, tuple[object, ...]]]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for row in reader:
        yield line, tuple(row)
        line = reader.line_num + 1


# ---- lists as sheets -------------------------------------------------------------------------

Lines = tuple[list[str], list[list[Any]]]  # a header, and a row a record


def case_sheet(kind: str, lines: Sequence[Any], moved: Mapping[str, Mapping[str, datetime]],
               tz: Any, lang: str) -> Lines:
    """A list of cases as the kind's sheet holds it, so that it can be imported back: the
    columns the list knows (its number, body, state, the summary's facts) and the day of each
    move the read model keeps, in the sheet's order, headed in `lang`."""
    k, s = KINDS[kind], sheet(kind)
    facts: dict[str, tuple[str, Any]] = {}  # sheet column → (line attribute, its form type)
    forms = {k.opening.name: k.opening, **s.forms}
    for move, columns in k.summary.items():
        for column, path in columns.items():
            name = path.rpartition(".")[2]
            if move in forms and name in forms[move].fields:
                facts[name] = (column, forms[move].fields[name].annotation)
    days = [m for m in s.moves if any(m in d for d in moved.values())]
    names = [c.name for c in s.columns
             if c.name in (*dict(IDENTITY), OPENED, *facts, *days)]
    rows = []
    for line in lines:
        cells: dict[str, Any] = {"number": line.number, "org": line.org,
                                 "state": s.state_label(line.state, lang),
                                 OPENED: _local(line.received_at, tz)}
        for name, (column, annotation) in facts.items():
            cells[name] = write_cell(s, name, annotation, getattr(line, column, None), lang)
        for move, at in moved.get(line.number, {}).items():
            cells[move] = _local(at, tz)
        rows.append([cells.get(n) for n in names])
    return [s.header(n, lang) for n in names], rows


def register_sheet(views: Sequence[Any], lang: str) -> Lines:
    """The register's entries as its sheet holds them (names only where the reader sees
    them; no ID numbers, which the list does not show)."""
    s = sheet(REGISTER)
    names = [c.name for c in s.columns if c.name != "id_number"]
    rows = [[write_cell(s, n, s.by_name[n].annotation,
                        v.enrolled_at.date() if n == "enrolled_at" else getattr(v, n), lang)
             for n in names] for v in views]
    return [s.header(n, lang) for n in names], rows


def ledger_sheet(lines: Sequence[Any], tz: Any, lang: str) -> Lines:
    """A fund's ledger in business-time order: each movement's number (what a correction
    names), when, what for, how much (+ in, - out), from or to whom, why a correction was
    made, the balance after it, who recorded it and when."""
    lang = labels.normalise_lang(lang)
    w = _words(lang)
    columns = ("number", "at", "purpose", "amount", "party", "note", "balance", "actor",
               "recorded_at")
    return [labels.name(f"ledger.{c}", lang) for c in columns], [
        [m.number, _local(m.at, tz), w.first(f"purpose.{m.purpose}", default=m.purpose),
         m.amount, m.party, m.note, m.balance, m.actor, _local(m.recorded_at, tz)]
        for m in lines]


def _local(at: datetime, tz: Any) -> datetime:
    """A stored time as the office's wall clock (a spreadsheet has no time zones)."""
    return at.astimezone(tz).replace(tzinfo=None)


def file_bytes(lines: Lines, format: str, lang: str, name: str) -> bytes:
    """A sheet as a CSV (UTF-8 with a BOM) or XLSX file's bytes."""
    from casework.statistics.formats import csv_table, xlsx_table

    header, rows = lines
    if format == "csv":
        return csv_table(header, ([_csv_cell(c) for c in r] for r in rows)).encode("utf-8")
    return xlsx_table(header, rows, lang=lang, sheet_name=name)


def _csv_cell(cell: Any) -> Any:
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="minutes")
    if isinstance(cell, date):
        return cell.isoformat()
    return cell


def columns_markdown() -> str:
    """Every sheet's columns as the README lists them (tests/test_readme.py holds it current)."""
    out = []
    for kind in (*KINDS, REGISTER):
        s = sheet(kind)
        out.append(f"**{kind}** — "
                   + "; ".join(f"{c.headers['zh-Hans']} / {c.headers['en']}" for c in s.columns))
    return "\n\n".join(out)

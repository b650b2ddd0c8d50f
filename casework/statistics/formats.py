"""What every report format shares: a report's figures as labelled rows, numbers as people
read them, and the files and tables the rows go into — CSV that Excel opens in Chinese, a
spreadsheet a union office files, a terminal table that never cuts a label.

render.py and html.py both build on this module (and on casework.labels), never on each
other.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from casework import labels
from casework.statistics.figures import Report

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

Value = int | float | Decimal | str | None

#: A figure whose key ends so is a fraction, shown as a percentage.
RATE_SUFFIXES = ("_rate", "_share")

#: Figures whose members are named by the records (employers, mediators, funds, months):
#: their keys are shown as they are, never looked up.
DATA_KEYED = frozenset({"by_employer", "by_mediator", "by_officer", "by_enterprise",
                        "fund_balances", "resolved_by_month"})

#: Figures whose members are values of a vocabulary: the casework.labels prefix of their keys.
#: Members of any other figure (concluded_by_outcome, the tallies per employer) are figures
#: of the same section.
VOCABULARY = {"resolved_by_category": "category", "by_channel": "channel",
              "received_by_channel": "channel", "by_risk": "risk", "paid_by_kind": "help",
              "escalated_by_target": "target", "days_to_resolution": "stat",
              "terminated_by_reason": "termination", "performance": "performance"}

#: Excel number formats: thousands separators, money to the fen, rates as percentages.
XLSX_FORMATS = {"count": "#,##0", "money": "#,##0.00", "rate": "0.0%", "number": "#,##0.0",
                "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


# ---- numbers -----------------------------------------------------------------------------


def kind(value: Value | date, rate: bool = False) -> str:
    """count, money, rate, number, date, datetime, text or none: how a value is shown and
    filed."""
    if value is None:
        return "none"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, bool | str):
        return "text"
    if isinstance(value, Decimal):
        return "money"
    if isinstance(value, int):
        return "count"
    return "rate" if rate else "number"


def shown(value: Value, rate: bool = False) -> str:
    """A value as a table shows it: 2,940,000.00 · 1,234 · 93.3% · 6.5 · — for none."""
    return _text(value, rate, ",")


def plain(value: Value, rate: bool = False) -> str:
    """A value as CSV carries it: no thousands separators, so any program reads the number."""
    return _text(value, rate, "")


def _text(value: Value, rate: bool, sep: str) -> str:
    match kind(value, rate):
        case "none":
            return "—"
        case "money":
            return f"{value:{sep}.2f}"
        case "count":
            return f"{value:{sep}d}"
        case "rate":
            return f"{float(value or 0) * 100:.1f}%"
        case "number":
            number = float(value or 0)
            return f"{int(number):{sep}d}" if number.is_integer() else f"{number:{sep}.1f}"
    return str(value)


# ---- labelled rows -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One figure (or one member of a figure) of a report, labelled in one language."""

    section: str  # "disputes"
    path: tuple[str, ...]  # ("resolved_by_category", "wages")
    section_label: str
    label: str
    value: Value

    @property
    def key(self) -> str:
        """"disputes.resolved_by_category.wages": the same in every language."""
        return ".".join((self.section, *self.path))

    @property
    def rate(self) -> bool:
        return self.path[0].endswith(RATE_SUFFIXES) or self.path[-1].endswith(RATE_SUFFIXES)

    @property
    def shown(self) -> str:
        return shown(self.value, self.rate)

    @property
    def plain(self) -> str:
        return plain(self.value, self.rate)


def rows(report: Report, lang: str) -> list[Row]:
    """Every figure of every section of `report`, nested ones one row per member."""
    lang = labels.normalise_lang(lang)
    out: list[Row] = []
    for section, figures in report.model_dump().items():
        if isinstance(figures, dict):
            caption = section_label(section, lang)
            for key, value in figures.items():
                if key == "cohort" and value is None:
                    continue  # asked for only: the return is the default
                out.extend(_flat(section, caption, (key,), value, lang))
    return out


def _flat(section: str, caption: str, path: tuple[str, ...], value: object,
          lang: str) -> Iterator[Row]:
    if isinstance(value, dict):
        for key, member in value.items():
            yield from _flat(section, caption, (*path, str(key)), member, lang)
        return
    assert value is None or isinstance(value, int | float | Decimal | str), value
    yield Row(section, path, caption, figure_label(section, path, lang), value)


def section_label(section: str, lang: str) -> str:
    key = f"section.{section}"
    return labels.name(key, lang) if key in labels.KEYS else section


def figure_label(section: str, path: Sequence[str], lang: str) -> str:
    """"调解成功按类别·工资(件)": the names along the path, then the unit of the deepest
    figure that has one."""
    names, unit = [], None
    for i, part in enumerate(path):
        key = _label_key(section, path[i - 1] if i else None, part)
        if key is None:
            names.append(part)
            continue
        names.append(labels.name(key, lang))
        unit = labels.unit(key, lang) or unit
    sep = " · " if labels.normalise_lang(lang) == "en" else "·"
    return labels.with_unit(sep.join(names), unit, lang)


def _label_key(section: str, parent: str | None, part: str) -> str | None:
    """The casework.labels key that names `part`, or None where the records name it."""
    if parent in DATA_KEYED:
        return None
    prefix = VOCABULARY.get(parent or "", section)
    key = f"{prefix}.{part}"
    return key if key in labels.KEYS else None


def sections(lines: Iterable[Row]) -> Iterator[tuple[str, list[Row]]]:
    """The rows grouped by section, in order: (section label, its rows)."""
    for caption, group in groupby(lines, key=lambda r: r.section_label):
        yield caption, list(group)


def title(report: Report, lang: str) -> str:
    who = report.org or labels.name("title.all", lang)
    return labels.name("title.report", lang).format(
        start=report.start, end=report.end, who=who, as_of=report.as_of)


def note(report: Report, lang: str) -> str | None:
    """Said beside the title when the report replays the log as it stood earlier."""
    if report.known_at is None:
        return None
    return labels.name("title.known_at", lang).format(known_at=report.known_at)


def headers(lang: str) -> list[str]:
    return [labels.name(f"column.{c}", lang) for c in ("section", "metric", "value")]


# ---- files -------------------------------------------------------------------------------

#: Excel takes a CSV file for UTF-8 only when it starts with a byte-order mark; without one
#: it reads the local code page and every Chinese label comes out garbled.
BOM = "\ufeff"


def csv_table(header: Sequence[str], lines: Iterable[Sequence[object]]) -> str:
    """A BOM first, then the header and the lines: CSV that Excel opens in Chinese. A text
    cell that a spreadsheet would run as a formula (=, +, -, @ before anything but a
    number) is kept as text by a leading apostrophe."""
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_inert(c) for c in line] for line in lines)
    return buf.getvalue()


def _inert(cell: object) -> object:
    if isinstance(cell, str) and cell[:1] in FORMULA and not _numeric(cell):
        return "'" + cell
    return "" if cell is None else cell


#: What a spreadsheet reads as the start of a formula.
FORMULA = ("=", "+", "-", "@")


def _numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def csv_text(report: Report, lang: str) -> str:
    """Section, figure, value: a BOM first, the header in `lang`, plain numbers."""
    return csv_table(headers(lang), ((r.section_label, r.label, r.plain)
                                     for r in rows(report, lang)))


def xlsx_table(header: Sequence[str], lines: Sequence[Sequence[object]], *, lang: str,
               sheet_name: str, title: str | None = None,
               how: Callable[[int, object], str] | None = None) -> bytes:
    """A workbook to file: a title row (where given), a frozen bold header, a row a line;
    numbers stay numbers (money to the fen with thousands separators, rates as percentages)
    and days stay dates. `how(line index, value)`: how a value is filed (`kind`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    lang = labels.normalise_lang(lang)
    filed = how or (lambda _, value: kind(value))  # type: ignore[arg-type]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name
    top = 1
    if title is not None:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet["A1"].font = Font(bold=True, size=14)
        top = 2
    sheet.append(list(header))
    for cell in sheet[top]:
        cell.font = Font(bold=True)
    texts = [[str(h)] for h in header]
    for i, line in enumerate(lines):
        hows = [filed(i, v) for v in line]
        sheet.append(list(line))
        for j, (value, h) in enumerate(zip(line, hows, strict=True)):
            cell = sheet.cell(row=sheet.max_row, column=j + 1)
            if h in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[h]
                cell.alignment = Alignment(horizontal="right")
            texts[j].append(_shown_in_cell(value, h))
    for j, column in enumerate(texts):
        width = min(80, max(map(cell_len, column)) + 3)
        sheet.column_dimensions[get_column_letter(j + 1)].width = width
    sheet.freeze_panes = f"A{top + 1}"
    sheet.print_title_rows = f"1:{top}"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    book.properties.title = title or sheet_name
    book.properties.creator = "casework"
    book.properties.language = labels.TAGS[lang]
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _shown_in_cell(value: object, how: str) -> str:
    if how in ("date", "datetime"):
        return "0000-00-00 00:00" if how == "datetime" else "0000-00-00"
    if isinstance(value, int | float | Decimal):
        return shown(value, how == "rate")
    return "" if value is None else str(value)


def xlsx_bytes(report: Report, lang: str) -> bytes:
    """The report as a workbook to file: its title, then Section, Figure, Value a row."""
    lang = labels.normalise_lang(lang)
    lines = rows(report, lang)
    heading = " — ".join(filter(None, (title(report, lang), note(report, lang))))
    return xlsx_table(headers(lang), [(r.section_label, r.label,
                                       "—" if r.value is None else r.value) for r in lines],
                      lang=lang, sheet_name=labels.name("xlsx.sheet", lang), title=heading,
                      how=lambda i, value: kind(value, lines[i].rate))  # type: ignore[arg-type]


# ---- the terminal ------------------------------------------------------------------------

Line = tuple[str, tuple[str, ...]]  # a label and its values, one a column


@dataclass(frozen=True)
class FigureTable:
    """Labelled figures with one or more value columns, for a terminal of any width.

    Where it fits, a boxed table; where it does not (80 columns, Chinese labels, a column a
    union body), each label on a line of its own, its values right-aligned beside it or
    under it. A label is never cut short, as a narrow table column would cut it.
    """

    title: str
    headers: tuple[str, ...]  # the label column's, then one per value column
    groups: tuple[tuple[str, tuple[Line, ...]], ...]  # (section label, its lines)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        label_width = max(cell_len(t) for t in self._labels())
        widths = [max(cell_len(h), *(cell_len(v[i]) for _, lines in self.groups
                                     for _, v in lines)) for i, h in enumerate(self.headers[1:])]
        if label_width + sum(widths) + 3 * (len(widths) + 1) + 1 <= width:
            yield self._boxed()
        else:
            yield from self._stacked(width, widths)

    def _labels(self) -> Iterator[str]:
        yield self.headers[0]
        for caption, lines in self.groups:
            yield caption
            yield from (label for label, _ in lines)

    def _boxed(self) -> Table:
        table = Table(title=self.title)
        table.add_column(self.headers[0], no_wrap=True)
        for header in self.headers[1:]:
            table.add_column(header, justify="right", no_wrap=True)
        blank = [""] * (len(self.headers) - 1)
        for caption, lines in self.groups:
            table.add_row(Text(caption, style="bold"), *blank)
            for i, (label, values) in enumerate(lines):
                table.add_row(label, *values, end_section=i == len(lines) - 1)
        return table

    def _stacked(self, width: int, widths: list[int]) -> Iterator[Text]:
        yield Text(self.title, style="bold", justify="center")
        many = len(widths) > 1
        for caption, lines in self.groups:
            yield Text("")
            yield Text(caption, style="bold underline")
            if many:
                yield _right(_block(self.headers[1:], widths), width, style="bold")
            for label, values in lines:
                block = _block(values, widths)
                if cell_len(block) > width - 2:  # too many columns even alone: one a line
                    yield Text(f"  {label}")
                    for header, value in zip(self.headers[1:], values, strict=True):
                        yield _right(f"{header}: {value}", width)
                elif 2 + cell_len(label) + 2 + cell_len(block) <= width:
                    yield Text(f"  {label}") + _right(block, width - 2 - cell_len(label))
                else:
                    yield Text(f"  {label}")
                    yield _right(block, width)


def _block(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(" " * (w - cell_len(v)) + v for v, w in zip(values, widths, strict=True))


def _right(text: str, width: int, style: str = "") -> Text:
    return Text(" " * max(0, width - cell_len(text)) + text, style=style)


def table(report: Report, lang: str) -> FigureTable:
    """One report for the terminal: a value column, the sections as headings."""
    return FigureTable(
        title=title(report, lang),
        headers=(labels.name("column.metric", lang), labels.name("column.value", lang)),
        groups=tuple((caption, tuple((r.label, (r.shown,)) for r in lines))
                     for caption, lines in sections(rows(report, lang))),
    )

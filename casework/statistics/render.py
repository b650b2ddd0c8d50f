"""A report in the format asked for — table, json, csv, markdown, html or xlsx — in English,
simplified Chinese (the default Chinese) or traditional Chinese (casework.labels)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from casework import labels
from casework.errors import InvalidInput
from casework.statistics.explain import Explanation
from casework.statistics.figures import Report
from casework.statistics.formats import (
    FigureTable,
    csv_text,
    headers,
    rows,
    sections,
    table,
    title,
    xlsx_bytes,
)
from casework.statistics.html import html

FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")


def render(report: Report, fmt: str, lang: str = "en",
           explained: Mapping[str, Explanation] | None = None) -> Any:
    """Text (str) for json, csv, markdown and html; bytes for xlsx; a rich renderable for
    table. An unknown format or language is refused before anything is rendered. HTML
    links each figure in `explained` to the list of its cases."""
    lang = labels.normalise_lang(lang)
    if fmt == "json":
        return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return csv_text(report, lang)
    if fmt == "xlsx":
        return xlsx_bytes(report, lang)
    if fmt == "markdown":
        return markdown(report, lang)
    if fmt == "table":
        return table(report, lang)
    if fmt == "html":
        return html(report, lang, explained)
    raise InvalidInput({"format": f"{fmt!r}: use {', '.join(FORMATS)}"})


def markdown(report: Report, lang: str) -> str:
    section, metric, value = map(_cell, headers(lang))
    lines = [f"## {title(report, lang)}", "", f"| {section} | {metric} | {value} |",
             "|---|---|---:|"]
    lines += [f"| {_cell(r.section_label)} | {_cell(r.label)} | {_cell(r.shown)} |"
              for r in rows(report, lang)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """A Markdown table cell: a '|' in an employer's name must not split the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|")


def side_by_side(reports: dict[str, Report], lang: str = "en",
                 only: Collection[str] | None = None) -> FigureTable:
    """Several reports of one period as one table, a column each (the bodies and the
    roll-up, say): the half-year summary a report writer reads across. `only`: the figures
    to show (keys such as "disputes.received"), each with its members."""
    lang = labels.normalise_lang(lang)
    first = next(iter(reports.values()))
    columns = {name: {r.key: r.shown for r in rows(report, lang)}
               for name, report in reports.items()}
    labelled = {r.key: r for report in reports.values() for r in rows(report, lang)
                if only is None or f"{r.section}.{r.path[0]}" in only}
    # an employer only one body saw still goes beside the other employers
    first_seen: dict[tuple[str, str], int] = {}
    for r in labelled.values():
        first_seen.setdefault((r.section, r.path[0]), len(first_seen))
    order = sorted(labelled.values(), key=lambda r: first_seen[r.section, r.path[0]])
    groups = tuple(
        (caption, tuple((r.label, tuple(columns[name].get(r.key, "") for name in reports))
                        for r in lines))
        for caption, lines in sections(order)
    )
    return FigureTable(
        title=labels.name("title.periods", lang).format(
            start=first.start, end=first.end, as_of=first.as_of),
        headers=(labels.name("column.metric", lang), *reports),
        groups=groups,
    )

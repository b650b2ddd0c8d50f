"""Spreadsheets on a terminal: `casework import KIND FILE`, and lists as CSV or XLSX
(`--format csv|xlsx --output FILE`), headed in `--lang`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic.fields import FieldInfo

from casework import labels
from casework.cli.build import Param
from casework.cli.reports import DEFAULT_LANG, LANG_HELP
from casework.cli.settings import casework, settings
from casework.cli.show import done, err, progress_bar
from casework.errors import InvalidInput
from casework.labels import normalise_lang
from casework.sheets import Lines, file_bytes

#: What every list command takes besides its filters.
EXPORT = [
    Param("format", Annotated[str, FieldInfo(
        description="table, csv (UTF-8 with a BOM, which Excel opens) or xlsx (needs "
                    "--output).")], "table"),
    Param("output", Annotated[str | None, FieldInfo(
        description="The file to write the csv or xlsx to (default: the terminal, for "
                    "csv).")], None),
    Param("lang", Annotated[str, FieldInfo(description="Headers: " + LANG_HELP)], None),
]
FORMATS = ("table", "csv", "xlsx")


def exporting(values: dict[str, Any]) -> tuple[str, str | None, str] | None:
    """Take the export options out of a list command's values: (format, output, lang), or
    None for the terminal's own table."""
    fmt = values.pop("format", None) or "table"
    output, lang = values.pop("output", None), values.pop("lang", None)
    if fmt not in FORMATS:
        raise InvalidInput({"format": f"{fmt!r}: use {', '.join(FORMATS)}"})
    if fmt == "table":
        return None
    if fmt == "xlsx" and output is None:
        raise InvalidInput({"output": "xlsx is a workbook, not text: name a file with "
                                      "--output, e.g. --output disputes.xlsx"})
    import os

    return fmt, output, normalise_lang(lang or os.environ.get("CASEWORK_LANG") or DEFAULT_LANG)


def export(how: tuple[str, str | None, str], lines: Callable[[str], Lines], name: str) -> None:
    """Write a list's sheet as CSV or XLSX to --output or, for CSV, to the terminal."""
    fmt, output, lang = how
    data = file_bytes(lines(lang), fmt, lang, name)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    Path(output).write_bytes(data)
    done(f"wrote {output}", {"output": output})


def import_(
    kind: Annotated[str, typer.Argument(help="disputes, aid, warnings or register.")],
    file: Annotated[str, typer.Argument(help="A .xlsx or .csv file (UTF-8 or GB18030).")],
    lang: Annotated[str, typer.Option("--lang", envvar="CASEWORK_LANG",
                                      help=LANG_HELP)] = DEFAULT_LANG,
) -> None:
    """Import last year's records from a spreadsheet: every row is checked first, and a
    file with any bad row imports nothing; a row imported before is not imported again."""
    from casework.importing import BadRows, import_file

    lang = normalise_lang(lang)
    progress = (progress_bar(labels.name("import.progress", lang))
                if sys.stdout.isatty() and not settings.json else None)
    with casework() as cw:
        try:
            result = import_file(cw, kind, file, actor=settings.actor, lang=lang,
                                 progress=progress)
        except BadRows as e:
            for line in e.lines():
                err.print(line, highlight=False, soft_wrap=True, markup=False)
            err.print(labels.name("import.refused", lang).format(
                n=len({p.line for p in e.problems}), file=Path(file).name),
                highlight=False, soft_wrap=True, markup=False)
            raise SystemExit(1) from None
    done(result.summary(lang), {"file": result.file, "new": result.count("new"),
                                "completed": result.count("completed"),
                                "already": result.count("already"),
                                "records": [{"row": r, "record": n, "status": s}
                                            for r, n, s in result.records]})


def add(app: typer.Typer) -> None:
    app.command("import")(import_)

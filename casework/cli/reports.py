"""Figures and upkeep on a terminal: report, refusals, project, demo, lifecycle."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from casework.cli.settings import casework, settings
from casework.cli.show import done, out, progress_bar, show
from casework.errors import InvalidInput
from casework.labels import normalise_lang
from casework.periods import period
from domain import KINDS


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"


LANG_HELP = ("zh (Simplified Chinese, also zh-Hans; the default), zh-Hant (traditional) or en; "
             "default $CASEWORK_LANG, else zh.")
#: Union staff in mainland China read Simplified Chinese: the terminal's default language.
DEFAULT_LANG = "zh-Hans"


def day(name: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput({name: f"not a date (YYYY-MM-DD): {value!r}"}) from None


def report(
    from_: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    period_: Annotated[str | None, typer.Option("--period", help="2023H1, 2023Q2, 2023-05")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Read states at this date.")] = None,
    known_at: Annotated[
        str | None,
        typer.Option("--known-at", help="Only what had been recorded by then (replays)."),
    ] = None,
    replay: Annotated[
        bool, typer.Option("--replay", help="Replay the log, not the read model.")
    ] = False,
    format_: Annotated[str, typer.Option(
        "--format", help="table, json, csv, markdown, html or xlsx (redirect it to a file)."
    )] = Format.table,
    lang: Annotated[str, typer.Option("--lang", envvar="CASEWORK_LANG",
                                      help=LANG_HELP)] = DEFAULT_LANG,
    cohort: Annotated[bool, typer.Option(
        "--cohort", help="Also the cohort: the cases received in the period, as of its end."
    )] = False,
    explain: Annotated[str | None, typer.Option(
        "--explain", metavar="FIGURE",
        help="List the cases behind a figure, e.g. disputes.success_rate.")] = None,
    by_body: Annotated[bool, typer.Option(
        "--by-body", help="The top-level bodies side by side (each with the bodies below "
                          "it) and their total.")] = False,
) -> None:
    """The period's return (opening, received, concluded by outcome, closing; money, help,
    the register), for a half year or any period."""
    from casework.statistics.render import render

    if format_ not in set(Format):  # checked here, not by typer: one line, like every error
        raise InvalidInput({"format": f"{format_!r}: use {', '.join(Format)}"})
    lang = normalise_lang(lang)  # en, zh-Hans or zh-Hant; anything else refused in one line
    if format_ == Format.xlsx and not settings.json and sys.stdout.isatty():
        raise InvalidInput({"format": "xlsx is a workbook, not text: redirect it, "
                                      "e.g. > return.xlsx"})
    if period_:
        start, end = period(period_)
    else:
        start_, end_ = day("from", from_), day("to", to)
        if start_ is None or end_ is None:
            raise InvalidInput({"period": "give --period, or both --from and --to"})
        start, end = start_, end_
    if end < start:
        raise InvalidInput({"end": f"{end} is before start {start}"})
    progress = (progress_bar("replaying events")
                if replay and sys.stderr.isatty() and not settings.json else None)
    fmt = Format.json if settings.json else Format(format_)
    explained = {}
    with casework(read=True) as cw:
        if explain is not None:
            e = cw.explain(explain, start, end, as_of=day("as_of", as_of), org=settings.org,
                           actor=settings.actor)
            _print_explanation(e, fmt)
            return
        if by_body:
            from casework.statistics.render import side_by_side

            tops = [b.code for b in cw.bodies.list() if b.parent is None]
            if not tops:
                raise InvalidInput({"by_body": "no body is registered: register the union's "
                                               "bodies (casework body register) first"})
            returns = {org: cw.report(start, end, as_of=day("as_of", as_of), org=org,
                                      known_at=known_at, replay=replay, actor=settings.actor)
                       for org in [*tops, None]}
            out.print(side_by_side({org or "all": r for org, r in returns.items()}, lang))
            return
        figures = cw.report(start, end, as_of=day("as_of", as_of), known_at=known_at,
                            org=settings.org, replay=replay, progress=progress,
                            actor=settings.actor, cohort=cohort)
        if fmt is Format.html and known_at is None:
            from casework.statistics.explain import RULES

            explained = {f: cw.explain(f, start, end, as_of=day("as_of", as_of),
                                       org=settings.org, actor=settings.actor) for f in RULES}
    text = render(figures, fmt.value, lang, explained=explained)
    if fmt is Format.table:
        out.print(text)
    elif isinstance(text, bytes):  # xlsx
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _print_explanation(e: object, fmt: Format) -> None:
    """The cases behind a figure: JSON, or one line a case under a heading a list."""
    from casework.statistics.explain import Explanation

    assert isinstance(e, Explanation)
    if fmt is Format.json:
        sys.stdout.write(e.model_dump_json(indent=2) + "\n")
        return
    lists = [("counted", e.numerator)]
    if e.denominator is not None:
        lists.append(("out of", e.denominator))
    lines = [f"{e.figure}: {e.basis}"]
    for name, cases in lists:
        lines.append(f"{name} ({len(cases)}, adding up to {sum((c.counts for c in cases), 0)}):")
        lines += [f"  {c.number}  {c.org}  {c.state}  received {c.received}  on {c.on}"
                  + ("" if c.counts == 1 else f"  {c.counts}") for c in cases]
    sys.stdout.write("\n".join(lines) + "\n")


def refusals() -> None:
    """Commands the policy refused, oldest first (for supervisors and auditors)."""
    with casework(read=True) as cw:
        show(cw.access.refusals(settings.actor, org=settings.org), "refusals")


def project() -> None:
    """Bring the read model up to date with the event log."""
    with casework() as cw:
        n = cw.project()
    done(f"folded {n} events", {"folded": n})


def demo(lang: Annotated[str, typer.Option("--lang", envvar="CASEWORK_LANG",
                                           help=LANG_HELP)] = DEFAULT_LANG) -> None:
    """Build the first half of 2023 as the source document tells it, and report it."""
    from casework.demo import run_demo

    run_demo(settings.store, json=settings.json, console=out, lang=normalise_lang(lang))


def lifecycle(
    kind: Annotated[str, typer.Argument(help=", ".join(KINDS))] = "dispute",
) -> None:
    """Print a case kind's lifecycle as a Mermaid diagram."""
    if kind not in KINDS:
        raise InvalidInput({"kind": " or ".join(KINDS)})
    sys.stdout.write(KINDS[kind].lifecycle.mermaid() + "\n")


def add(app: typer.Typer) -> None:
    for name, call in (("report", report), ("refusals", refusals), ("project", project),
                       ("demo", demo), ("lifecycle", lifecycle)):
        app.command(name)(call)

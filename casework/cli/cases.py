"""Every kind of case on a terminal, built from its declaration: `casework dispute accept`,
`casework warning report`, … — no command is written out per move."""

from __future__ import annotations

from inspect import getdoc
from typing import Annotated, Any

import typer
from pydantic.fields import FieldInfo

from casework.cases import CaseCommands
from casework.cli.build import Param, command, from_form, from_signature
from casework.cli.settings import casework, settings
from casework.cli.sheets import EXPORT, export, exporting
from casework.cli.show import done, show
from casework.queries import QUERIES, CaseQueries
from casework.sheets import case_sheet
from domain import KINDS
from domain.kind import Kind

AT = Param("at", Annotated[str | None, FieldInfo(
    description="When it happened, e.g. 2023-03-01T09:30 (default: now).")], None)


def case(kind: Kind) -> Param:
    said = FieldInfo(description=f"Case number, e.g. {kind.prefix}-2023-0001.")
    return Param("case", Annotated[str, said], argument=True)


def given(values: dict[str, Any]) -> dict[str, Any]:
    """What the user typed: options left out take the library's own defaults."""
    return {k: v for k, v in values.items() if v is not None}


def add(app: typer.Typer) -> dict[str, typer.Typer]:
    """A group of commands per kind of case; returns the groups, by kind."""
    groups = {}
    for kind in KINDS.values():
        group = groups[kind.name] = typer.Typer(no_args_is_help=True, help=kind.help)
        app.add_typer(group, name=kind.name)
        _opening(group, kind)
        for move in kind.moves:
            _move(group, kind, move)
        _amends(group, kind)
        _reads(group, kind)
    return groups


def _opening(group: typer.Typer, kind: Kind) -> None:
    form = kind.opening

    def run(values: dict[str, Any]) -> None:
        with casework() as cw:
            number = getattr(cw, kind.plural).open(org=settings.org, actor=settings.actor,
                                                   **given(values))
        done(f"{form.name.rstrip('e')}ed {number}", {"case": number})

    command(group, form.name, [*from_form(form), AT], run, form.doc)


def _move(group: typer.Typer, kind: Kind, move: str) -> None:
    form = kind.moves[move]
    if move in kind.spawns:
        form = kind.spawns[move].form(KINDS[kind.spawns[move].kind].opening)
    dest = kind.lifecycle.dest(move)  # None: a note, the case stays where it is

    def run(values: dict[str, Any]) -> None:
        number = values.pop("case")
        with casework() as cw:
            desk = getattr(cw, kind.plural)
            opened = desk.move(move, number, actor=settings.actor, **given(values))
            state = dest or desk.get(number).state
        data = {"case": number, "state": state, **({"opened": opened} if opened else {})}
        done(f"{number} {state}" + (f": {opened}" if opened else ""), data)

    command(group, kind.command(move), [case(kind), *from_form(form), AT], run,
            kind.moves[move].doc)


def _amends(group: typer.Typer, kind: Kind) -> None:
    """`correct` and `void`, every kind's: a correction's options are every fact its
    opening and its moves may record, each as optional as the correction takes it."""
    reason = Param("reason", Annotated[str, FieldInfo(description="Why, in a few words.")])
    fields = [Param(name, f.form.fields[f.name].annotation | None, None)
              for name, f in kind.facts(kind.moves).items()]

    def run_correct(values: dict[str, Any]) -> None:
        number, why = values.pop("case"), values.pop("reason")
        with casework() as cw:
            getattr(cw, kind.plural).correct(number, reason=why, actor=settings.actor,
                                             **given(values))
        done(f"{number} corrected", {"case": number, "corrected": sorted(given(values))})

    command(group, "correct", [case(kind), reason, *fields, AT], run_correct,
            getdoc(CaseCommands.correct) or "")
    duplicate = Param("duplicate_of", Annotated[str | None, FieldInfo(
        description="The case this one duplicates.")], None)

    def run_void(values: dict[str, Any]) -> None:
        number = values.pop("case")
        with casework() as cw:
            getattr(cw, kind.plural).void(number, actor=settings.actor, **given(values))
        done(f"{number} voided", {"case": number, "voided": True})

    command(group, "void", [case(kind), reason, duplicate, AT], run_void,
            getdoc(CaseCommands.void) or "")


def _reads(group: typer.Typer, kind: Kind) -> None:
    def run_show(values: dict[str, Any]) -> None:
        with casework() as cw:
            show(getattr(cw, kind.plural).get(values["case"], actor=settings.actor))

    command(group, "show", [case(kind)], run_show,
            f"One {kind.lifecycle.name} case, with its history.")
    queries = QUERIES.get(kind.name, CaseQueries)

    def run_list(values: dict[str, Any]) -> None:
        how = exporting(values)
        with casework() as cw:
            desk = getattr(cw, kind.plural)
            lines = desk.list(org=settings.org, actor=settings.actor, **given(values))
            if how is None:
                show(lines, kind.plural)
                return
            moved = desk.moved(lines)
            export(how, lambda lang: case_sheet(kind.name, lines, moved, cw.clock.tz, lang),
                   kind.plural)

    command(group, "list", [*from_signature(queries.list), *EXPORT], run_list,
            f"{kind.lifecycle.name.capitalize()} cases, oldest first (no personal data); "
            "as CSV or XLSX with --format, in the columns `casework import` reads.")

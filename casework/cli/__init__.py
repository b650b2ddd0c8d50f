"""`casework` on a terminal: the same commands as the library, one line per error.

Global options (--store, --json, --org, --tz, --as) may come before or after the command.
"""

from __future__ import annotations

import os
import sys

import typer
from eventsourcing.persistence import PersistenceError
from typer._click.exceptions import UsageError

from casework.cli import cases, records, reports, upkeep
from casework.cli.reports import DEFAULT_LANG
from casework.cli.settings import hoist, options
from casework.cli.show import err
from casework.desk.cli import add_commands as add_desk
from casework.errors import CaseworkError, InvalidInput
from casework.faults import one_line
from casework.labels import error, normalise_lang

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="Case management for a union's dispute-mediation and hardship-aid centres.",
)
app.callback()(options)
records.add(app, cases.add(app))
reports.add(app)
upkeep.add(app)
add_desk(app)  # casework account …, casework serve


def main(argv: list[str] | None = None) -> int:
    args = hoist(list(sys.argv[1:] if argv is None else argv))
    try:
        app(args=args, prog_name="casework", standalone_mode=False)
    except UsageError as e:  # a mistyped command or option: one line, like every error
        err.print(f"error: {e.format_message()}", highlight=False, soft_wrap=True)
        return 2
    except CaseworkError as e:
        err.print(f"error: {_in_terminal_language(e)}", highlight=False, soft_wrap=True)
        return 1
    except PersistenceError as e:  # a path the library left unwrapped: still one clean line
        err.print(f"error: the store failed: {one_line(e)}", highlight=False, soft_wrap=True)
        return 1
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


def _in_terminal_language(e: CaseworkError) -> str:
    """The error as the terminal's language ($CASEWORK_LANG, else Simplified Chinese)
    words it, where the labels do; as raised otherwise (or for a language we lack)."""
    try:
        return error(e, normalise_lang(os.environ.get("CASEWORK_LANG") or DEFAULT_LANG))
    except InvalidInput:
        return str(e)


__all__ = ["app", "main"]

"""Global options: the store, the body, the time zone, who acts, how to print.

They may come before or after the command (`casework dispute show X --json`): `hoist`
moves them to the front, where the parser wants them.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from casework.app import Casework


class Settings:
    store: str | None = None
    json: bool = False
    org: str | None = None
    tz: str | None = None
    actor: str = ""


settings = Settings()

#: Each global option and how many values it takes.
GLOBAL_FLAGS = {"--json": 0, "--store": 1, "--org": 1, "--tz": 1, "--as": 1, "--actor": 1}
#: Commands whose own options share a global option's name: there, the flag is theirs.
OWN_FLAGS = {"account": frozenset({"--org"})}


def options(
    store: Annotated[
        str | None,
        typer.Option("--store", envvar="CASEWORK_STORE",
                     help="memory://, sqlite:///path.db or postgresql://user:pw@host/db"),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    org: Annotated[
        str | None,
        typer.Option("--org", envvar="CASEWORK_ORG", help="Union body (default: default)."),
    ] = None,
    tz: Annotated[
        str | None, typer.Option("--tz", envvar="CASEWORK_TZ", help="Time zone of naive times.")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--as", "--actor", envvar="CASEWORK_ACTOR",
                     help="Who does this (default: $CASEWORK_ACTOR, else your login name)."),
    ] = None,
) -> None:
    settings.store, settings.json, settings.org, settings.tz = store, json, org, tz
    settings.actor = actor if actor is not None else getpass.getuser()


@contextmanager
def casework(*, read: bool = False) -> Iterator[Casework]:
    """The store of the global options. A read (`read`) refuses an SQLite file that does not
    exist, rather than creating an empty store and reporting zeros from it."""
    if read:
        from pathlib import Path

        from casework.errors import StoreError
        from casework.store import resolve

        store = resolve(settings.store)
        path = store.env.get("SQLITE_DBNAME")
        if store.kind == "sqlite" and path and not path.startswith("file:") and not (
                Path(path).exists()):
            raise StoreError(f"no store at {path!r}: nothing has been recorded there "
                             "(check --store or $CASEWORK_STORE)")
    with Casework(store=settings.store, org=settings.org, tz=settings.tz) as cw:
        yield cw


def hoist(argv: list[str]) -> list[str]:
    """Let global options follow the command too: `casework dispute show X --json`."""
    front: list[str] = []
    rest: list[str] = []
    own = OWN_FLAGS.get(_command(argv), frozenset())
    i = 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if name in GLOBAL_FLAGS and name not in own:
            takes = GLOBAL_FLAGS[name] if "=" not in arg else 0
            front.extend(argv[i : i + 1 + takes])
            i += 1 + takes
        else:
            rest.append(arg)
            i += 1
    return front + rest


def _command(argv: list[str]) -> str:
    """The first word that is neither a global option nor its value."""
    i = 0
    while i < len(argv):
        name = argv[i].split("=", 1)[0]
        if name in GLOBAL_FLAGS:
            i += 1 + (GLOBAL_FLAGS[name] if "=" not in argv[i] else 0)
        elif argv[i].startswith("-"):
            i += 1
        else:
            return argv[i]
    return ""

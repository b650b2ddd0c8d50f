"""What the operator runs: re-encrypting a store under a new key."""

from __future__ import annotations

from typing import Annotated

import typer

from casework.cli.settings import settings
from casework.cli.show import done, err
from casework.rekey import rekey_command


def rekey(
    to: Annotated[str, typer.Option("--to", help="A new, empty store to copy into.")],
    to_key_env: Annotated[str | None, typer.Option(
        "--to-key-env", help="The environment variable holding the new key.")] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="Write the copy unencrypted (said on purpose).")] = False,
) -> None:
    """Copy the store into a new one under another cipher key, and verify it."""
    result = rekey_command(settings.store, to, to_key_env, plain=plain,
                           say=lambda line: err.print(line, highlight=False))
    done(result.summary(), result.as_dict())


def add(app: typer.Typer) -> None:
    app.command("rekey")(rekey)

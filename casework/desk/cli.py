"""`casework account …` and `casework serve` on a terminal.

Accounts are administered where the server runs, by its operator: each change is an event
recorded as made by `--as` (default: the operator's login name).
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Annotated

import typer

from casework.cli.settings import casework, settings
from casework.cli.show import done, out
from casework.errors import InvalidInput, StoreError

#: Where the desk is served for a Chinese office unless told otherwise.
DEFAULT_TZ = "Asia/Shanghai"

accounts = typer.Typer(no_args_is_help=True, help="Staff accounts of the desk (sign-in).")

Id = Annotated[str, typer.Argument(help="The account's id: the sign-in name, e.g. m-chen.")]
Orgs = Annotated[list[str] | None, typer.Option(
    "--org", help="A union body the account works for (repeat; * for every body).")]
Stdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input.")]


def _password(stdin: bool) -> str:
    if stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise InvalidInput({"password": "give --password-stdin, or run on a terminal"})
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise InvalidInput({"password": "the two passwords differ"})
    return first


@accounts.command("add")
def add(account: Id,
        role: Annotated[str, typer.Option(help="mediator, aid_officer, warning_officer, "
                                               "supervisor or auditor.")],
        org: Orgs = None,
        name: Annotated[str, typer.Option(help="The person's name, as shown.")] = "",
        password_stdin: Stdin = False) -> None:
    """Add a staff account (its password is hashed with argon2; only the hash is kept)."""
    from casework.desk.accounts import Accounts

    password = _password(password_stdin)
    with casework() as cw:
        Accounts(cw).add(account, role=role, orgs=org or [], password=password, name=name,
                         actor=settings.actor)
    done(f"added {account}", {"account": account})


@accounts.command("change-password")
def change_password(account: Id, password_stdin: Stdin = False) -> None:
    """Set a new password; every session of the account ends."""
    from casework.desk.accounts import Accounts

    password = _password(password_stdin)
    with casework() as cw:
        Accounts(cw).change_password(account, password=password, actor=settings.actor)
    done(f"password of {account} changed", {"account": account})


@accounts.command("role")
def role(account: Id, new: Annotated[str, typer.Argument(help="The new role.")]) -> None:
    """Change an account's role."""
    from casework.desk.accounts import Accounts

    with casework() as cw:
        Accounts(cw).change_role(account, role=new, actor=settings.actor)
    done(f"{account} is now {new}", {"account": account, "role": new})


@accounts.command("grant")
def grant(account: Id, org: Orgs = None) -> None:
    """Let an account work for more union bodies."""
    from casework.desk.accounts import Accounts

    with casework() as cw:
        Accounts(cw).grant(account, orgs=org or [], actor=settings.actor)
    done(f"{account} granted {', '.join(org or [])}", {"account": account})


@accounts.command("revoke")
def revoke(account: Id, org: Orgs = None,
           reason: Annotated[str, typer.Option(help="Why, for the record.")] = "access revoked",
           ) -> None:
    """Revoke bodies (--org …), or, without --org, all access: the account is closed and
    its sessions end; its history stays."""
    from casework.desk.accounts import Accounts

    with casework() as cw:
        if org:
            Accounts(cw).revoke_bodies(account, orgs=org, actor=settings.actor)
        else:
            Accounts(cw).close(account, reason=reason, actor=settings.actor)
    done(f"{account}: revoked {', '.join(org) if org else 'all access'}", {"account": account})


@accounts.command("reopen")
def reopen(account: Id) -> None:
    """Give a closed account its access back."""
    from casework.desk.accounts import Accounts

    with casework() as cw:
        Accounts(cw).reopen(account, actor=settings.actor)
    done(f"{account} reopened", {"account": account})


@accounts.command("unlock")
def unlock(account: Id) -> None:
    """Lift a lock after wrong passwords before its 15 minutes are up."""
    from casework.desk.accounts import Accounts

    with casework() as cw:
        Accounts(cw).unlock(account, actor=settings.actor)
    done(f"{account} unlocked", {"account": account})


@accounts.command("list")
def list_() -> None:
    """Every account: role, bodies, whether it may sign in."""
    from rich.table import Table

    from casework.desk.accounts import AccountBook

    with casework() as cw:
        book = AccountBook(cw)
        book.refresh()
        views = sorted(book.accounts.values(), key=lambda a: a.id)
        now = cw.clock.now()
    if settings.json:
        out.print_json(data=[{"account": a.id, "name": a.name, "role": a.role,
                              "orgs": list(a.orgs), "active": a.active,
                              "locked": a.locked_until is not None and now < a.locked_until}
                             for a in views])
        return
    rows = Table("account", "name", "role", "orgs", "active", "locked until", title="accounts")
    for a in views:
        locked = a.locked_until.isoformat(timespec="minutes") if (
            a.locked_until is not None and now < a.locked_until) else ""
        rows.add_row(a.id, a.name, a.role, ", ".join(a.orgs), "yes" if a.active else "no",
                     locked)
    out.print(rows)


@accounts.command("show")
def show_(account: Id) -> None:
    """One account and its history: who changed it, when."""
    from rich.table import Table

    from casework.desk.accounts import Accounts

    with casework() as cw:
        a = Accounts(cw).get(account)
    if settings.json:
        out.print_json(data={"account": a.id, "name": a.name, "role": a.role,
                             "orgs": list(a.orgs), "active": a.active,
                             "history": [{"what": w, "at": at.isoformat(), "who": who}
                                         for w, at, who in a.history]})
        return
    out.print(f"{a.id} ({a.name or '-'}): {a.role} of {', '.join(a.orgs)}"
              f"{'' if a.active else ', closed'}")
    steps = Table("when", "what", "who", title="history")
    for what, at, who in a.history:
        steps.add_row(at.isoformat(timespec="minutes"), what, who)
    out.print(steps)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int | None, typer.Option(
        help="Worker processes (default: 1 on SQLite, 2 per core up to 4 on PostgreSQL).")
    ] = None,
    forwarded_allow_ips: Annotated[str, typer.Option(
        help="Reverse proxies whose X-Forwarded-* headers are trusted.")] = "127.0.0.1",
) -> None:
    """Serve the desk, the staff's web application (sign in with `casework account add`)."""
    import uvicorn

    from casework.app import Casework
    from casework.store import resolve

    store = resolve(settings.store)
    n = workers if workers is not None else (
        min(4, 2 * (os.cpu_count() or 1)) if store.is_postgres else 1)
    if n < 1:
        raise InvalidInput({"workers": "at least 1"})
    if store.url.startswith("memory:") and n > 1:
        raise StoreError("memory:// lives in one process: serve it with --workers 1")
    tz = settings.tz or os.environ.get("CASEWORK_TZ") or DEFAULT_TZ
    with Casework(store=store.url, tz=tz, org=settings.org) as cw:  # tables and read model
        cw.project()
    os.environ.update(CASEWORK_STORE=store.url, CASEWORK_TZ=tz)
    if settings.org:
        os.environ["CASEWORK_ORG"] = settings.org
    out.print(f"casework desk on http://{host}:{port} ({n} worker{'s' * (n > 1)}, "
              f"{store.redacted()}, {tz})")
    uvicorn.run("casework.desk.serve:app", factory=True, host=host, port=port, workers=n,
                proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips,
                server_header=False, log_level="info")


def add_commands(app: typer.Typer) -> None:
    app.add_typer(accounts, name="account")
    app.command("serve")(serve)

"""`casework` on a terminal: the same commands as the library, one line per error.

Global options (--store, --json, --org, --tz) may come before or after the command.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
from eventsourcing.persistence import PersistenceError
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from typer._click.exceptions import UsageError

from casework.app import Casework
from casework.errors import CaseworkError, InvalidInput
from casework.periods import period
from casework.views import CaseLine
from workflows import AID, DISPUTE, Lifecycle

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="Case management for a union's dispute-mediation and hardship-aid centres.",
)
dispute_app = typer.Typer(no_args_is_help=True, help="Labour-dispute cases.")
aid_app = typer.Typer(no_args_is_help=True, help="Hardship-aid cases, payouts, campaigns.")
register_app = typer.Typer(no_args_is_help=True, help="The hardship register.")
fund_app = typer.Typer(no_args_is_help=True, help="Aid funds.")
app.add_typer(dispute_app, name="dispute")
app.add_typer(aid_app, name="aid")
app.add_typer(register_app, name="register")
app.add_typer(fund_app, name="fund")

#: Each kind of case: the service that moves it, and its lifecycle.
KINDS: dict[str, tuple[str, Lifecycle]] = {"dispute": ("disputes", DISPUTE), "aid": ("aid", AID)}

out = Console()
err = Console(stderr=True)
T = TypeVar("T")


class Settings:
    store: str | None = None
    json: bool = False
    org: str | None = None
    tz: str | None = None
    actor: str = ""


settings = Settings()

At = Annotated[
    str | None, typer.Option("--at", help="When it happened, e.g. 2023-03-01T09:30 (default: now).")
]
Case = Annotated[str, typer.Argument(help="Case number, e.g. LD-2023-0001.")]


@app.callback()
def _global(
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            envvar="CASEWORK_STORE",
            help="memory://, sqlite:///path.db or postgresql://user:pw@host/db",
        ),
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
        typer.Option(
            "--as",
            "--actor",
            envvar="CASEWORK_ACTOR",
            help="Who does this (default: $CASEWORK_ACTOR, else your login name).",
        ),
    ] = None,
) -> None:
    settings.store, settings.json, settings.org, settings.tz = store, json, org, tz
    settings.actor = actor if actor is not None else getpass.getuser()


@contextmanager
def casework() -> Iterator[Casework]:
    with Casework(store=settings.store, org=settings.org, tz=settings.tz) as cw:
        yield cw


def show(value: Any, title: str = "") -> None:
    """Print a view, a list of views or a plain value: as JSON with --json, else as text."""
    if settings.json:
        if isinstance(value, BaseModel):
            out.print_json(value.model_dump_json())
        elif isinstance(value, list):
            out.print_json(data=[v.model_dump(mode="json") for v in value])
        else:
            out.print_json(data=value if not isinstance(value, Decimal) else f"{value:.2f}")
        return
    if isinstance(value, list):
        _table(value, title)
    elif isinstance(value, BaseModel):
        _record(value)
    elif value is not None:
        out.print(value)


def _record(view: BaseModel) -> None:
    table = Table(show_header=False, box=None)
    for name, value in view:
        if name == "history":
            continue
        table.add_row(f"[bold]{name}[/]", _text(value))
    for name in ("mediation_deadline",):
        if hasattr(view, name):
            table.add_row(f"[bold]{name}[/]", _text(getattr(view, name)))
    out.print(table)
    history = getattr(view, "history", ())
    if history:
        steps = Table("when", "what", "who", title="history")
        for step in history:
            steps.add_row(step.at.isoformat(timespec="minutes"), step.type, step.actor)
        out.print(steps)


def _table(lines: list[Any], title: str) -> None:
    if not lines:
        out.print(f"no {title or 'records'}")
        return
    columns = [n for n, v in lines[0] if n != "kind"
               and not all(getattr(ln, n) is None for ln in lines)]
    table = Table(title=title)
    for i, name in enumerate(columns):
        table.add_column(name, no_wrap=i == 0)  # the case number stays whole
    for line in lines:
        table.add_row(*(_text(getattr(line, c)) for c in columns))
    out.print(table)


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, tuple | list):
        return ", ".join(_text(v) for v in value)
    return "" if value is None else str(value)


def done(what: str, data: dict[str, Any]) -> None:
    if settings.json:
        out.print_json(data=data)
    else:
        out.print(what)


# ---- disputes ----------------------------------------------------------------------------


@dispute_app.command("receive")
def dispute_receive(
    category: Annotated[
        str, typer.Option(help="labor_contract, wages, work_injury, social_insurance or other")
    ],
    workers: Annotated[int, typer.Option(help="Workers involved.")],
    amount: Annotated[str, typer.Option(help="Money at stake, in yuan.")],
    channel: Annotated[str, typer.Option(help="visit, phone, letter, online or referral")],
    employer: Annotated[str, typer.Option()],
    at: At = None,
    summary: Annotated[str, typer.Option()] = "",
    petitioner: Annotated[str | None, typer.Option()] = None,
    contact: Annotated[str | None, typer.Option()] = None,
    industry: Annotated[str | None, typer.Option(help="e.g. textiles, chemicals")] = None,
) -> None:
    """Record a worker's petition."""
    with casework() as cw:
        case = cw.disputes.receive(
            category=category,
            workers=workers,
            amount=amount,
            channel=channel,
            employer=employer,
            summary=summary,
            petitioner=petitioner,
            contact=contact,
            industry=industry,
            org=settings.org,
            at=at,
            actor=settings.actor,
        )
    done(f"received {case}", {"case": case})


@dispute_app.command("accept")
def dispute_accept(case: Case, at: At = None) -> None:
    """Accept a petition for mediation (starts the 15-day clock)."""
    _move("dispute", "accept", case, at)


@dispute_app.command("decline")
def dispute_decline(case: Case, reason: Annotated[str, typer.Option()], at: At = None) -> None:
    """Decline a petition: not admissible, or referred elsewhere."""
    _move("dispute", "decline", case, at, reason=reason)


@dispute_app.command("mediate")
def dispute_mediate(case: Case, mediator: Annotated[str, typer.Option()], at: At = None) -> None:
    """Start mediation with a mediator."""
    _move("dispute", "start_mediation", case, at, mediator=mediator)


@dispute_app.command("resolve")
def dispute_resolve(
    case: Case, settled_amount: Annotated[str, typer.Option()], at: At = None
) -> None:
    """Record the mediation agreement."""
    _move("dispute", "resolve", case, at, settled_amount=settled_amount)


@dispute_app.command("escalate")
def dispute_escalate(
    case: Case,
    to: Annotated[str, typer.Option(help="arbitration, court, labour_inspection, higher_union")],
    reason: Annotated[str, typer.Option()] = "",
    at: At = None,
) -> None:
    """Send the dispute to arbitration, court, labour inspection or a higher union."""
    _move("dispute", "escalate", case, at, to=to, reason=reason)


@dispute_app.command("withdraw")
def dispute_withdraw(case: Case, reason: Annotated[str, typer.Option()], at: At = None) -> None:
    """The petitioner withdraws."""
    _move("dispute", "withdraw", case, at, reason=reason)


@dispute_app.command("show")
def dispute_show(case: Case) -> None:
    """One dispute, with its history."""
    with casework() as cw:
        show(cw.disputes.get(case))


@dispute_app.command("list")
def dispute_list(
    state: Annotated[str | None, typer.Option()] = None,
    overdue_on: Annotated[str | None, typer.Option(help="Only those overdue on this date.")] = None,
) -> None:
    """Disputes, oldest first (no personal data)."""
    with casework() as cw:
        show(
            cw.disputes.list(
                state=state, org=settings.org, overdue_on=_date("overdue_on", overdue_on)
            ),
            "disputes",
        )


def _move(kind: str, move: str, case: str, at: str | None, /, **options: Any) -> None:
    """Run the `move` of a `kind` of case as the acting actor; say where the case went."""
    service, lifecycle = KINDS[kind]
    with casework() as cw:
        getattr(getattr(cw, service), move)(case, at=at, actor=settings.actor, **options)
    state = lifecycle.dest(move)
    done(f"{case} {state}", {"case": case, "state": state})


def _date(name: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput({name: f"not a date (YYYY-MM-DD): {value!r}"}) from None


# ---- hardship aid ------------------------------------------------------------------------


@aid_app.command("receive")
def aid_receive(
    channel: Annotated[str, typer.Option(help="visit, phone, letter, online or referral")],
    at: At = None,
    summary: Annotated[str, typer.Option()] = "",
    worker: Annotated[str | None, typer.Option(help="Register id, if registered.")] = None,
    petitioner: Annotated[str | None, typer.Option()] = None,
    contact: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a request for help (接待)."""
    with casework() as cw:
        case = cw.aid.receive(
            channel=channel,
            summary=summary,
            worker=worker,
            petitioner=petitioner,
            contact=contact,
            org=settings.org,
            at=at,
            actor=settings.actor,
        )
    done(f"received {case}", {"case": case})


@aid_app.command("accept")
def aid_accept(case: Case, at: At = None) -> None:
    """Accept the request as a case (受理)."""
    _move("aid", "accept", case, at)


@aid_app.command("decline")
def aid_decline(case: Case, reason: Annotated[str, typer.Option()], at: At = None) -> None:
    """Decline the request."""
    _move("aid", "decline", case, at, reason=reason)


@aid_app.command("approve")
def aid_approve(
    case: Case,
    kind: Annotated[str, typer.Option(help="one_off, monthly_subsidy, referral, legal_aid, other")],
    at: At = None,
    fund: Annotated[str | None, typer.Option()] = None,
    amount: Annotated[str | None, typer.Option(help="One-off amount.")] = None,
    monthly_amount: Annotated[str | None, typer.Option()] = None,
    first_month: Annotated[str | None, typer.Option(help="YYYY-MM")] = None,
    months: Annotated[int | None, typer.Option(help="Omit for open-ended.")] = None,
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Decide the help (處理)."""
    _move("aid", "approve", case, at, kind=kind, fund=fund, amount=amount,
          monthly_amount=monthly_amount, first_month=first_month, months=months, note=note)


@aid_app.command("implement")
def aid_implement(case: Case, at: At = None) -> None:
    """Deliver the help (落實); one-off relief is paid from its fund."""
    _move("aid", "implement", case, at)


@aid_app.command("feedback")
def aid_feedback(case: Case, feedback: Annotated[str, typer.Option()], at: At = None) -> None:
    """Record the worker's feedback (反饋)."""
    _move("aid", "record_feedback", case, at, feedback=feedback)


@aid_app.command("close")
def aid_close(case: Case, at: At = None) -> None:
    """Close the case."""
    _move("aid", "close", case, at)


@aid_app.command("escalate")
def aid_escalate(
    case: Case,
    to: Annotated[str, typer.Option(help="higher_union or civil_affairs")],
    reason: Annotated[str, typer.Option()] = "",
    at: At = None,
) -> None:
    """Refer the case upwards."""
    _move("aid", "escalate", case, at, to=to, reason=reason)


@aid_app.command("withdraw")
def aid_withdraw(case: Case, reason: Annotated[str, typer.Option()], at: At = None) -> None:
    """The worker withdraws the request."""
    _move("aid", "withdraw", case, at, reason=reason)


@aid_app.command("show")
def aid_show(case: Case) -> None:
    """One aid case, with its history."""
    with casework() as cw:
        show(cw.aid.get(case))


@aid_app.command("list")
def aid_list(state: Annotated[str | None, typer.Option()] = None) -> None:
    """Aid cases, oldest first (no personal data)."""
    with casework() as cw:
        lines: list[CaseLine] = cw.aid.list(state=state, org=settings.org)
        show(lines, "aid cases")


@aid_app.command("pay-quarter")
def aid_pay_quarter(
    quarter: Annotated[str, typer.Argument(help="e.g. 2023Q2")], at: At = None
) -> None:
    """Pay every active monthly subsidy its months of the quarter (never twice)."""
    with casework() as cw:
        _payout(cw.aid.pay_quarter(quarter, org=settings.org, at=at, actor=settings.actor))


@aid_app.command("campaign")
def aid_campaign(
    campaign: Annotated[str, typer.Argument(help="e.g. 2023-spring-festival")],
    fund: Annotated[str, typer.Option()],
    amount: Annotated[str, typer.Option(help="Paid to each worker.")],
    workers: Annotated[list[str], typer.Option("--worker", help="Register id (repeat).")],
    at: At = None,
) -> None:
    """Pay a condolence campaign to registered workers (never twice per worker)."""
    with casework() as cw:
        _payout(
            cw.aid.run_campaign(
                campaign, fund=fund, workers=workers, amount=amount, at=at, actor=settings.actor
            )
        )


def _payout(payout: Any) -> None:
    if settings.json:
        show(payout)
        return
    _table(list(payout.paid), f"{payout.run}: paid")
    out.print(f"total {payout.total:,.2f}; already paid before: {len(payout.already_paid)}")


# ---- register and funds ------------------------------------------------------------------


@register_app.command("enrol")
def register_enrol(
    worker: Annotated[str, typer.Argument(help="Register id, e.g. a member number.")],
    reason: Annotated[
        str, typer.Option(help="illness, disability, single_parent, unemployment, disaster, other")
    ],
    at: At = None,
    name: Annotated[str | None, typer.Option()] = None,
    id_number: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Put a worker on the hardship register."""
    with casework() as cw:
        cw.register.enrol(
            worker,
            reason=reason,
            name=name,
            id_number=id_number,
            org=settings.org,
            at=at,
            actor=settings.actor,
        )
    done(f"{worker} enrolled", {"worker": worker, "active": True})


@register_app.command("review")
def register_review(
    worker: str,
    reason: Annotated[str, typer.Option()],
    note: Annotated[str, typer.Option()] = "",
    at: At = None,
) -> None:
    """Re-verify a registered worker's hardship."""
    with casework() as cw:
        cw.register.review(worker, reason=reason, note=note, at=at, actor=settings.actor)
    done(f"{worker} reviewed", {"worker": worker})


@register_app.command("exit")
def register_exit(
    worker: str,
    reason: Annotated[
        str, typer.Option(help="recovered, employed, retired, deceased, left, other")
    ],
    at: At = None,
) -> None:
    """Take a worker off the register."""
    with casework() as cw:
        cw.register.exit(worker, reason=reason, at=at, actor=settings.actor)
    done(f"{worker} exited", {"worker": worker, "active": False})


@register_app.command("show")
def register_show(worker: str) -> None:
    """One register entry."""
    with casework() as cw:
        show(cw.register.get(worker))


@fund_app.command("open")
def fund_open(code: str, name: Annotated[str, typer.Option()], at: At = None) -> None:
    """Open an aid fund."""
    with casework() as cw:
        cw.funds.open(code, name=name, org=settings.org, at=at, actor=settings.actor)
    done(f"fund {code} opened", {"fund": code})


@fund_app.command("contribute")
def fund_contribute(
    code: str,
    amount: Annotated[str, typer.Option()],
    source: Annotated[str, typer.Option(help="e.g. one-day-pay drive")],
    at: At = None,
) -> None:
    """Credit money to a fund."""
    with casework() as cw:
        cw.funds.contribute(code, amount=amount, source=source, at=at, actor=settings.actor)
        balance = cw.funds.balance(code)
    done(f"fund {code}: balance {balance:,.2f}", {"fund": code, "balance": f"{balance:.2f}"})


@fund_app.command("show")
def fund_show(code: str) -> None:
    """A fund's balance and totals."""
    with casework() as cw:
        show(cw.funds.get(code))


# ---- statistics --------------------------------------------------------------------------


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


@app.command("report")
def report_command(
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
        "--format", help="table, json, csv, markdown or html.")] = Format.table,
    lang: Annotated[str, typer.Option(
        "--lang", help="en, or zh: the source document's Chinese terms.")] = Lang.en,
) -> None:
    """The half-year (or any period's) figures."""
    from casework.statistics.render import render

    for name, value, choices in (("format", format_, Format), ("lang", lang, Lang)):
        if value not in set(choices):  # checked here, not by typer: one line, like every error
            raise InvalidInput({name: f"{value!r}: use {', '.join(choices)}"})
    if period_:
        start, end = period(period_)
    else:
        start_, end_ = _date("from", from_), _date("to", to)
        if start_ is None or end_ is None:
            raise InvalidInput({"period": "give --period, or both --from and --to"})
        start, end = start_, end_
    progress = _progress() if replay and sys.stderr.isatty() and not settings.json else None
    with casework() as cw:
        figures = cw.report(
            start,
            end,
            as_of=_date("as_of", as_of),
            known_at=known_at,
            org=settings.org,
            replay=replay,
            progress=progress,
        )
    fmt = Format.json if settings.json else Format(format_)
    text = render(figures, fmt.value, lang)
    if fmt is Format.table:
        out.print(text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _progress() -> Callable[[int, int], None]:
    from rich.progress import Progress

    bar = Progress(console=err, transient=True)
    task = bar.add_task("replaying events", total=None)
    bar.start()

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.stop()

    return update


@app.command("refusals")
def refusals_command() -> None:
    """Commands the policy refused, oldest first (for supervisors and auditors)."""
    with casework() as cw:
        show(cw.access.refusals(settings.actor, org=settings.org), "refusals")


@app.command("project")
def project_command() -> None:
    """Bring the read model up to date with the event log."""
    with casework() as cw:
        n = cw.project()
    done(f"folded {n} events", {"folded": n})


@app.command("demo")
def demo_command() -> None:
    """Build the first half of 2023 as the source document tells it, and report it."""
    from casework.demo import run_demo

    run_demo(settings.store, json=settings.json, console=out)


@app.command("lifecycle")
def lifecycle_command(
    kind: Annotated[str, typer.Argument(help="dispute or aid")] = "dispute",
) -> None:
    """Print a case kind's lifecycle as a Mermaid diagram."""
    if kind not in KINDS:
        raise InvalidInput({"kind": "dispute or aid"})
    sys.stdout.write(KINDS[kind][1].mermaid() + "\n")


GLOBAL_FLAGS = {"--json": 0, "--store": 1, "--org": 1, "--tz": 1, "--as": 1, "--actor": 1}


def _hoist(argv: list[str]) -> list[str]:
    """Let global options follow the command too: `casework dispute show X --json`."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if name in GLOBAL_FLAGS:
            takes = GLOBAL_FLAGS[name] if "=" not in arg else 0
            front.extend(argv[i : i + 1 + takes])
            i += 1 + takes
        else:
            rest.append(arg)
            i += 1
    return front + rest


def main(argv: list[str] | None = None) -> int:
    args = _hoist(list(sys.argv[1:] if argv is None else argv))
    try:
        app(args=args, prog_name="casework", standalone_mode=False)
    except UsageError as e:  # a mistyped command or option: one line, like every error
        err.print(f"error: {e.format_message()}", highlight=False, soft_wrap=True)
        return 2
    except CaseworkError as e:
        err.print(f"error: {e}", highlight=False, soft_wrap=True)
        return 1
    except PersistenceError as e:
        err.print(f"error: the store failed: {e}", highlight=False, soft_wrap=True)
        return 1
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


__all__ = ["app", "main"]

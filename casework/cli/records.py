"""The register, the funds, the union bodies and aid's payouts on a terminal, built from
the services' own signatures: a row per command."""

from __future__ import annotations

import inspect
from typing import Any

import typer

from casework.cli.build import command, from_signature
from casework.cli.cases import AT, given
from casework.cli.settings import casework, settings
from casework.cli.show import payout, show

#: (group, command, service, method): what each command calls.
COMMANDS = [
    ("register", "enrol", "register", "enrol"),
    ("register", "review", "register", "review"),
    ("register", "exit", "register", "exit"),
    ("register", "show", "register", "get"),
    ("fund", "open", "funds", "open"),
    ("fund", "contribute", "funds", "contribute"),
    ("fund", "correct", "funds", "correct"),
    ("fund", "show", "funds", "get"),
    ("fund", "balance", "funds", "balance"),
    ("fund", "ledger", "funds", "ledger"),
    ("body", "register", "bodies", "register"),
    ("body", "show", "bodies", "get"),
    ("body", "list", "bodies", "list"),
    ("aid", "pay-quarter", "aid", "pay_quarter"),
    ("aid", "campaign", "aid", "run_campaign"),
]


def add(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    for name, text in (("register", "The hardship register."), ("fund", "Aid funds."),
                       ("body", "Union bodies: their kind and the body above them.")):
        groups[name] = typer.Typer(no_args_is_help=True, help=text)
        app.add_typer(groups[name], name=name)
    from casework.aid import Aid
    from casework.bodies import Bodies
    from casework.funds import Funds
    from casework.register import Register

    classes: dict[str, type] = {"register": Register, "funds": Funds, "aid": Aid,
                                "bodies": Bodies}
    for group, name, service, method in COMMANDS:
        call = getattr(classes[service], method)
        params = [p for p in from_signature(call) if p.name != "at"]
        takes_at = "at" in inspect.signature(call).parameters
        command(groups[group], name, [*params, *([AT] if takes_at else [])],
                _runner(service, method, params[0].name if params else ""),
                (inspect.getdoc(call) or name).splitlines()[0])


def _runner(service: str, method: str, key: str) -> Any:
    def run(values: dict[str, Any]) -> None:
        with casework() as cw:
            target = getattr(cw, service)
            kwargs = given(values)
            if "org" in inspect.signature(getattr(target, method)).parameters:
                kwargs["org"] = settings.org
            if "actor" in inspect.signature(getattr(target, method)).parameters:
                kwargs["actor"] = settings.actor
            result = getattr(target, method)(**kwargs)
            if hasattr(result, "paid") and hasattr(result, "run"):
                payout(result)
            elif result is None or isinstance(result, str):
                show(target.get(values[key], actor=settings.actor))  # as it now stands
            else:
                show(result)

    return run

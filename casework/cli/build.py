"""A terminal command from a signature: the library's own parameters become its options.

Commands are not written twice: each is built from what the library declares — a move's
form, a service method's signature — with the help its types carry (a field's description,
a Literal's choices). The CLI adds only what a terminal needs: where the store is and who
acts (global options), and how the result looks.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

import typer
from pydantic.fields import FieldInfo

from domain.kind import Form

REQUIRED = inspect.Parameter.empty
#: Parameters the global options fill, not the command's own.
GLOBAL = frozenset({"org", "actor", "self"})
#: Options named otherwise than their parameter (one value per flag, repeated).
FLAGS = {"workers": "--worker", "representatives": "--representative",
         "parties": "--party"}


@dataclass(frozen=True)
class Param:
    name: str
    annotation: Any
    default: Any = REQUIRED
    argument: bool = False


def from_form(form: Form) -> list[Param]:
    return [Param(name, f.annotation if not f.description else
                  Annotated[f.annotation, FieldInfo(description=f.description)],
                  REQUIRED if f.is_required() else f.default)
            for name, f in form.fields.items()]


def from_signature(call: Callable[..., Any]) -> list[Param]:
    """A method's own parameters: positional ones are arguments, keyword-only ones options."""
    hints = typing.get_type_hints(call, include_extras=True)
    return [Param(name, hints.get(name, str), p.default,
                  argument=p.kind is not inspect.Parameter.KEYWORD_ONLY)
            for name, p in inspect.signature(call).parameters.items()
            if name not in GLOBAL and p.kind is not inspect.Parameter.VAR_KEYWORD]


def command(group: typer.Typer, name: str, params: Sequence[Param],
            run: Callable[[dict[str, Any]], None], help: str) -> None:
    """Add `name` to `group`: its options from `params`, its body `run(values)`."""

    def body(**values: Any) -> None:
        run(values)

    parameters, annotations = [], {}
    for p in params:
        tp, said = _terminal(p.annotation)
        default = None if p.default is REQUIRED and tp is bool else p.default
        flag = [FLAGS[p.name]] if p.name in FLAGS and tp == list[str] else []
        info = typer.Argument(help=said) if p.argument else typer.Option(*flag, help=said)
        annotation: Any = Annotated[tp if default is REQUIRED else tp | None, info]
        parameters.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY,
                                            default=default, annotation=annotation))
        annotations[p.name] = annotation
    body.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    body.__annotations__ = annotations
    body.__doc__ = help
    group.command(name)(body)


def _terminal(annotation: Any) -> tuple[Any, str]:
    """The type a terminal value is parsed as (the library validates it), and its help."""
    said: list[str] = []
    tp = annotation
    while True:
        if typing.get_origin(tp) is Annotated:
            said += [m.description for m in tp.__metadata__
                     if isinstance(m, FieldInfo) and m.description]
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) in (Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = options[0] if len(options) == 1 or Decimal in options else str
        else:
            break
    if typing.get_origin(tp) is Literal:
        said.append("one of " + ", ".join(map(str, typing.get_args(tp))))
        return str, " ".join(said)
    if typing.get_origin(tp) in (list, Sequence, tuple) or tp in (list, Sequence):
        return list[str], " ".join(said)
    return (tp if tp in (int, bool) else str), " ".join(said)

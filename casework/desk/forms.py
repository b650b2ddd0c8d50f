"""HTML forms from what the library declares: a move's form (its pydantic model) or a
service method's signature — the same sources the CLI builds its options from. The desk
adds no field of its own, only how each is shown and how a browser's text is read back.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from casework.errors import InvalidInput
from casework.words import Words

#: Parameters a service fills itself: never a form's field.
SERVICE = frozenset({"self", "actor", "org", "at"})


@dataclass
class Input:
    """One labelled field of a form."""

    name: str
    label: str
    widget: str  # select | number | decimal | text | textarea | lines | datetime
    required: bool
    help: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    max_length: int | None = None
    value: str = ""
    error: str = ""
    suggestions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Shape:
    """What an annotation asks of a browser: a widget, choices, whether None is allowed."""

    base: Any
    optional: bool
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    help: str = ""


def shape(annotation: Any, info: FieldInfo | None = None) -> Shape:
    optional, max_length, helps = False, None, []
    choices: tuple[str, ...] = ()
    meta: list[Any] = list(info.metadata) if info is not None else []
    if info is not None and info.description:
        helps.append(info.description)
    tp = annotation
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp, *more = typing.get_args(tp)
            meta.extend(more)
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(tp))
            tp = args[0]
        else:
            break
    for m in meta:
        if isinstance(m, FieldInfo):
            if m.description:
                helps.append(m.description)
            meta.extend(m.metadata)
        if getattr(m, "max_length", None):
            max_length = m.max_length
    if typing.get_origin(tp) is Literal:
        choices = tuple(str(a) for a in typing.get_args(tp))
        tp = str
    return Shape(tp, optional, choices, max_length, helps[0] if helps else "")


def _widget(s: Shape) -> str:
    if s.choices:
        return "select"
    if s.base is int:
        return "number"
    if s.base is Decimal:
        return "decimal"
    if typing.get_origin(s.base) in (list, tuple) or s.base in (list, tuple):
        return "lines"
    if s.max_length is not None and s.max_length > 200:
        return "textarea"
    return "text"


def _input(name: str, s: Shape, required: bool, w: Words, kind: str) -> Input:
    return Input(
        name=name, label=w.field(name, kind=kind), widget=_widget(s), required=required,
        help=s.help if w.lang == "en" else "",
        choices=[(c, w.choice(c, field=name)) for c in s.choices],
        max_length=s.max_length,
    )


def from_model(model: type[BaseModel], w: Words, kind: str = "",
               skip: Iterable[str] = ()) -> list[Input]:
    skipped = set(skip)
    return [_input(name, shape(f.annotation, f), f.is_required(), w, kind)
            for name, f in model.model_fields.items() if name not in skipped]


def from_signature(call: Callable[..., Any], w: Words, kind: str = "") -> list[Input]:
    hints = typing.get_type_hints(call, include_extras=True)
    out = []
    for name, p in inspect.signature(call).parameters.items():
        if name in SERVICE or p.kind is inspect.Parameter.VAR_KEYWORD:
            continue
        s = shape(hints.get(name, str))
        out.append(_input(name, s, p.default is inspect.Parameter.empty, w, kind))
    return out


def when(w: Words) -> Input:
    """The optional time a move happened (blank: now), as the CLI's --at."""
    return Input(name="at", label=w("field.at"), widget="datetime", required=False)


def read(inputs: list[Input], data: Mapping[str, Any]) -> dict[str, Any]:
    """The browser's text as the library's values: blanks left out (defaults apply), whole
    numbers as int, lines as a list. Everything else is validated by the library."""
    out: dict[str, Any] = {}
    for i in inputs:
        raw = data.get(i.name)
        text = raw.strip() if isinstance(raw, str) else ""
        i.value = raw if isinstance(raw, str) else ""
        if not text:
            continue
        if i.widget == "number":
            out[i.name] = int(text) if text.lstrip("-").isdigit() else text
        elif i.widget == "lines":
            out[i.name] = [t.strip() for t in text.replace(",", "\n").splitlines() if t.strip()]
        else:
            out[i.name] = text
    return out


#: pydantic's error types, as a clerk would be told.
ZH_ERRORS = {
    "missing": "此项必填",
    "string_too_short": "此项必填",
    "string_too_long": "不能超过 {max_length} 个字",
    "string_pattern_mismatch": "格式不正确",
    "literal_error": "请从列表中选择",
    "int_parsing": "请输入整数",
    "int_type": "请输入整数",
    "int_from_float": "请输入整数",
    "decimal_parsing": "请输入数字金额,如 12000 或 3500.50",
    "decimal_type": "请输入数字金额",
    "decimal_max_places": "最多两位小数",
    "decimal_max_digits": "数字过长",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "string_type": "请输入文字",
    "extra_forbidden": "不接受此项",
}
#: Phrases of the library's own refusals (InvalidInput) → Chinese.
ZH_PHRASES = (
    ("required for", "此项必填"),
    ("is in the future", "时间不能晚于现在"),
    ("is before", "时间不能早于该记录的上一步"),
    ("not a date and time", "时间格式不正确,如 2023-03-01T09:30"),
    ("already paid", "已发放过"),
    ("has left the register", "该职工已退出档案"),
    ("listed twice", "有重复"),
    ("not on the register", "不在档案中"),
    ("cannot be made before", "时间早于该季度"),
    ("YYYY-MM", "格式为 YYYY-MM,如 2023-03"),
)


def zh_error(err: Mapping[str, Any]) -> str:
    template = ZH_ERRORS.get(str(err.get("type")))
    if template is None:
        return "输入有误"
    ctx = {k: str(v) for k, v in dict(err.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except KeyError:
        return template.split("{")[0].strip()


def model_errors(model: type[BaseModel], values: Mapping[str, Any], w: Words) -> dict[str, str]:
    """Field → why, in the user's language, if `values` do not make `model`."""
    try:
        model.model_validate(values)
    except ValidationError as e:
        out: dict[str, str] = {}
        for err in e.errors():
            name = str(err["loc"][0]) if err["loc"] else "form"
            out.setdefault(name, zh_error(err) if w.lang == "zh" else str(err["msg"]))
        return out
    return {}


def refusal_errors(e: InvalidInput, w: Words) -> dict[str, str]:
    """The library's InvalidInput, per field, in the user's language."""
    if w.lang == "en":
        return dict(e.fields)
    out = {}
    for name, why in e.fields.items():
        text = next((zh for phrase, zh in ZH_PHRASES if phrase in why), None)
        out[name] = text or f"输入有误({why})"
    return out


def attach(inputs: list[Input], errors: Mapping[str, str]) -> dict[str, str]:
    """Put each error beside its field; returns those that belong to no field."""
    names = {i.name: i for i in inputs}
    rest = {}
    for name, why in errors.items():
        target = names.get(name.split(".")[0])
        if target is not None:
            target.error = why
        else:
            rest[name] = why
    return rest

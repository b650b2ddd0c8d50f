"""How results look on a terminal: text tables, or JSON with --json."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from casework.cli.settings import settings

out = Console()
err = Console(stderr=True)


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
        table(value, title)
    elif isinstance(value, BaseModel):
        record(value)
    elif value is not None:
        out.print(value)


def record(view: BaseModel) -> None:
    rows = Table(show_header=False, box=None)
    for name, value in view:
        if name != "history":
            rows.add_row(f"[bold]{name}[/]", text(value))
    out.print(rows)
    history = getattr(view, "history", ())
    if history:
        steps = Table("when", "what", "who", "why", title="history")
        for step in history:
            steps.add_row(step.at.isoformat(timespec="minutes"), step.type, step.actor,
                          said(step))
        out.print(steps)


def said(step: Any) -> str:
    """What a correction, a void or a reopening said: why, and each fact's old → new."""
    parts = [getattr(step, "reason", None) or ""]
    for name, (old, new) in (getattr(step, "changes", None) or {}).items():
        parts.append(f"{name}: {text(old)} → {text(new)}")
    if getattr(step, "duplicate_of", None):
        parts.append(f"duplicates {step.duplicate_of}")
    return "; ".join(p for p in parts if p)


def table(lines: list[Any], title: str) -> None:
    if not lines:
        out.print(f"no {title or 'records'}")
        return
    names = list(dict.fromkeys(n for line in lines for n, _ in line))
    columns = [n for n in names if n != "kind"
               and not all(getattr(ln, n, None) is None for ln in lines)]
    rows = Table(title=title)
    for i, name in enumerate(columns):  # the case number stays whole; the rest wrap, not cut
        rows.add_column(name, no_wrap=i == 0, overflow="fold")
    for line in lines:
        rows.add_row(*(text(getattr(line, c, None)) for c in columns))
    out.print(rows)


def text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, tuple | list):
        return ", ".join(text(v) for v in value)
    return "" if value is None else str(value)


def done(what: str, data: dict[str, Any]) -> None:
    if settings.json:
        out.print_json(data=data)
    else:
        out.print(what)


def payout(result: Any) -> None:
    """A payout or campaign: who was paid what, and who had been paid before."""
    if settings.json:
        show(result)
        return
    table(list(result.paid), f"{result.run}: paid")
    out.print(f"total {result.total:,.2f}; already paid before: {len(result.already_paid)}")


def progress_bar(label: str) -> Callable[[int, int], None]:
    """A transient bar on stderr, fed (done, total) by a long job; gone when done."""
    from rich.progress import Progress

    bar = Progress(console=err, transient=True)
    task = bar.add_task(label, total=None)
    bar.start()

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.stop()

    return update

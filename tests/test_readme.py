"""The README's lifecycle diagrams are generated from workflows/: stale ones fail here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain import KINDS, Kind

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_lifecycle_diagram_is_current(kind: Kind) -> None:
    text = README.read_text(encoding="utf-8")
    name = kind.name
    block = re.search(
        rf"<!-- lifecycle:{name} -->\n```mermaid\n(.*?)\n```\n<!-- /lifecycle:{name} -->",
        text, re.S)
    assert block, f"README has no {name} lifecycle block"
    assert block.group(1) == kind.lifecycle.mermaid(), (
        f"README's {name} diagram is stale: paste `casework lifecycle {name}` into it")


def test_quick_start_has_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert len(commands) == 2
    assert commands[0].endswith("casework demo")
    assert commands[1].endswith("python -m pytest")


def test_import_columns_are_current() -> None:
    from casework.sheets import columns_markdown

    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- import-columns -->\n(.*?)\n<!-- /import-columns -->", text, re.S)
    assert block, "README has no import-columns block"
    assert block.group(1) == columns_markdown(), (
        "README's spreadsheet columns are stale: paste casework.sheets.columns_markdown()")

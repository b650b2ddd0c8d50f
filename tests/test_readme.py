"""The README's lifecycle diagrams are generated from workflows/: stale ones fail here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflows import AID, DISPUTE

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize(("kind", "lifecycle"), [("dispute", DISPUTE), ("aid", AID)])
def test_lifecycle_diagram_is_current(kind: str, lifecycle: object) -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(
        rf"<!-- lifecycle:{kind} -->\n```mermaid\n(.*?)\n```\n<!-- /lifecycle:{kind} -->",
        text, re.S)
    assert block, f"README has no {kind} lifecycle block"
    assert block.group(1) == lifecycle.mermaid(), (  # type: ignore[attr-defined]
        f"README's {kind} diagram is stale: paste `casework lifecycle {kind}` into it")


def test_quick_start_has_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert len(commands) == 2
    assert commands[0].endswith("casework demo")
    assert commands[1].endswith("python -m pytest")

"""casework.statistics.formats and the formats render.py builds on it: numbers as people read
them, CSV that Excel opens, a workbook to file, and labels never cut at 80 columns."""

from __future__ import annotations

import ast
import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len
from rich.console import Console

from casework import Casework, labels
from casework.demo import build, reports
from casework.errors import InvalidInput
from casework.labels import LANGS
from casework.statistics.figures import Report
from casework.statistics.formats import (
    DATA_KEYED,
    csv_text,
    figure_label,
    plain,
    rows,
    shown,
    title,
    xlsx_bytes,
)
from casework.statistics.render import render, side_by_side

PACKAGE = Path(__file__).resolve().parents[1] / "casework"


@pytest.fixture(scope="module")
def demo() -> Iterator[dict[str, Report]]:
    with Casework(store="memory://") as cw:
        build(cw)
        yield reports(cw)


def test_numbers_as_tables_and_csv_show_them() -> None:
    assert shown(Decimal("2940000")) == "2,940,000.00"  # as the HTML cards
    assert plain(Decimal("2940000")) == "2940000.00"
    assert shown(12345) == "12,345" and plain(12345) == "12345"
    assert shown(0.9333, rate=True) == plain(0.9333, rate=True) == "93.3%"
    assert shown(1.0, rate=True) == "100.0%"
    assert shown(6.5) == "6.5" and shown(11.0) == "11"
    assert shown(None) == plain(None) == shown(None, rate=True) == "—"
    assert shown("Tenglong Wire") == "Tenglong Wire"


def test_labels_join_the_names_and_end_with_the_unit() -> None:
    path = ("resolved_by_category", "work_injury")
    assert figure_label("disputes", path, "zh") == "调解成功按类别·工伤(件)"
    assert figure_label("disputes", path, "zh-Hant") == "調解成功按類別·工傷(件)"
    assert figure_label("disputes", path, "en") == "Resolved by category · Work injury (cases)"
    tally = ("by_employer", "Tenglong Wire", "resolved")
    assert figure_label("disputes", tally, "zh") == "按用人单位·Tenglong Wire·调解成功(件)"
    assert figure_label("aid", ("fund_balances", "other"), "zh") == "帮困基金余额·other(元)"
    assert figure_label("disputes", ("days_to_resolution", "median"), "zh") == \
        "调解成功用时·中位数(天)"


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_of_the_demo_is_labelled(demo: dict[str, Report], lang: str) -> None:
    """No code name leaks into a Chinese report: only what the records name (employers,
    funds, months, mediators) is shown as it is."""
    for report in demo.values():
        for r in rows(report, lang):
            text = r.label
            for parent, member in zip(r.path, r.path[1:], strict=False):
                if parent in DATA_KEYED:
                    text = text.replace(member, "")
            if lang == "en":
                assert "_" not in text, r.key
            else:
                assert not re.search("[A-Za-z_]", text), r.key


@pytest.mark.parametrize("lang", LANGS)
def test_csv_has_a_bom_and_opens_as_utf8_sig(demo: dict[str, Report], lang: str) -> None:
    report = demo["subdistrict"]
    text = csv_text(report, lang)
    assert render(report, "csv", lang) == text
    assert text.startswith("\ufeff")
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    header, *lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == [labels.name(f"column.{c}", lang) for c in ("section", "metric", "value")]
    assert lines == [[r.section_label, r.label, r.plain] for r in rows(report, lang)]
    assert [labels.label("disputes.amount_involved", lang), "2940000.00"] in \
        [line[1:] for line in lines]
    if lang == "zh-Hant":
        assert header == ["業務", "項目", "數值"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_workbook_holds_the_reports_values(demo: dict[str, Report], lang: str) -> None:
    report = demo["county"]
    data = render(report, "xlsx", lang)
    assert isinstance(data, bytes) and data.startswith(b"PK")  # a zip, as xlsx files are
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A1"].value == title(report, lang)
    assert [c.value for c in sheet[2]] == [labels.name(f"column.{c}", lang)
                                          for c in ("section", "metric", "value")]
    assert sheet.freeze_panes == "A3"
    expected = rows(report, lang)
    got = list(sheet.iter_rows(min_row=3, values_only=False))
    assert len(got) == len(expected)
    for r, (section, metric, value) in zip(expected, got, strict=True):
        assert (section.value, metric.value) == (r.section_label, r.label)
        if r.value is None:
            assert value.value == "—"
        elif isinstance(r.value, Decimal):
            assert Decimal(str(value.value)).quantize(Decimal("0.01")) == r.value
            assert value.number_format == "#,##0.00"
        elif r.rate:
            assert value.value == pytest.approx(r.value)
            assert value.number_format == "0.0%"
        else:
            assert value.value == r.value
    for column, texts in (("A", [r.section_label for r in expected]),
                          ("B", [r.label for r in expected])):
        assert sheet.column_dimensions[column].width >= max(map(cell_len, texts))
    handled = next(v for r, (_, _, v) in zip(expected, got, strict=True)
                   if r.key == "aid.handling_rate")
    assert handled.value == pytest.approx(0.9091)  # 處理率達90%: a number, shown as 90.9%


def _printed(renderable: object, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [80, 200])
def test_no_label_is_cut_in_a_terminal(demo: dict[str, Report], lang: str,
                                       width: int) -> None:
    for report in demo.values():
        out = _printed(render(report, "table", lang), width)
        assert max(cell_len(line) for line in out.splitlines()) <= width
        for r in rows(report, lang):
            assert r.label in out, r.label
            assert r.section_label in out
        assert "…" not in out
    out = _printed(side_by_side(demo, lang), width)
    assert max(cell_len(line) for line in out.splitlines()) <= width
    for name in demo:
        assert name in out
    for report in demo.values():
        for r in rows(report, lang):
            assert r.label in out, r.label
    assert "…" not in out


def test_a_wide_terminal_gets_a_boxed_table(demo: dict[str, Report]) -> None:
    out = _printed(render(demo["subdistrict"], "table", "zh"), 200)
    assert "┃ 项目" in out
    assert re.search(r"│ 涉案金额\(元\) +│ +2,940,000\.00 │", out)


def test_a_label_wider_than_the_terminal_wraps_and_is_not_cut() -> None:
    employer = "Guangdong Provincial Jiangmen City Xinhui District Precision Hardware Co Ltd"
    with Casework(store="memory://") as cw:
        cw.disputes.receive(category="wages", workers=2, amount=Decimal(1000), channel="visit",
                            employer=employer, org="subdistrict", at=datetime(2023, 3, 1, 9),
                            actor="m-01")
        report = cw.report(datetime(2023, 1, 1).date(), datetime(2023, 6, 30).date())
    out = _printed(render(report, "table", "zh"), 80)
    assert "…" not in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    joined = " ".join(line.strip() for line in out.splitlines())
    assert f"按用人单位·{employer}·本期受理(件)" in joined


def test_markdown_shows_thousands_separators(demo: dict[str, Report]) -> None:
    text = render(demo["subdistrict"], "markdown", "zh")
    assert "| 劳动争议调解 | 涉案金额(元) | 2,940,000.00 |" in text.splitlines()
    assert text.splitlines()[2] == "| 业务 | 项目 | 数值 |"


@pytest.mark.parametrize(("fmt", "lang", "names"), [
    ("pdf", "en", "pdf"), ("csv", "fr", "fr"), ("xlsx", "zh-HK", "zh-HK"),
])
def test_an_unknown_format_or_language_is_refused(
    demo: dict[str, Report], fmt: str, lang: str, names: str,
) -> None:
    with pytest.raises(InvalidInput, match=names) as refused:
        render(demo["all"], fmt, lang)
    assert "\n" not in str(refused.value)


def _imports(module: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_render_and_html_do_not_import_each_other() -> None:
    html = _imports(PACKAGE / "statistics" / "html.py")
    formats = _imports(PACKAGE / "statistics" / "formats.py")
    assert not any(m.startswith("casework.statistics.render") for m in html | formats)
    assert not any(m.startswith("casework.statistics.html") for m in formats)
    assert not any(m.startswith("casework.statistics") for m in _imports(PACKAGE / "labels.py"))


def test_a_replay_says_so_in_the_workbooks_title() -> None:
    with Casework(store="memory://") as cw:
        report = cw.report(datetime(2023, 1, 1).date(), datetime(2023, 6, 30).date(),
                           known_at=datetime(2023, 7, 5, 12))
    sheet = load_workbook(io.BytesIO(xlsx_bytes(report, "zh"))).active
    assert sheet is not None
    assert "按 2023-07-05 12:00" in str(sheet["A1"].value)
    assert sheet["C3"].value == 0 and sheet["C3"].number_format == "#,##0"

"""The HTML report: a self-contained page whose charts carry the report's figures, checked
in a real headless browser (Debian's chromium) where one is installed."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from casework import Casework
from casework.demo import build, reports
from casework.labels import LANGS, label
from casework.statistics.figures import Report
from casework.statistics.html import PALETTE, html

H1 = (date(2023, 1, 1), date(2023, 6, 30))


@pytest.fixture(scope="module")
def demo() -> Iterator[dict[str, Report]]:
    """The demo's half-year reports: rendering needs no store, so memory:// will do."""
    with Casework(store="memory://") as cw:
        build(cw)
        yield reports(cw)


def test_the_page_fetches_nothing(demo: dict[str, Report]) -> None:
    page = html(demo["all"])
    assert page.startswith("<!doctype html>")
    assert not re.search(r"<script|<link|<iframe|<img|\bsrc=|@import|url\(", page, re.I)
    assert set(re.findall(r"https?://[^'\" ]+", page)) == {"http://www.w3.org/2000/svg"}


def test_the_charts_carry_the_reports_figures(demo: dict[str, Report]) -> None:
    report = demo["all"]
    d, a = report.disputes, report.aid
    page = html(report)
    assert page.count("<svg") == 7
    for caption in ("Disputes concluded, by outcome, and still open",
                    "Resolved disputes by category",
                    "Resolutions by month", "Fund balances on 2023-06-30 (yuan)",
                    "Aid paid by kind (yuan)"):
        assert f"<figcaption>{caption}</figcaption>" in page
    outcomes = {**d.concluded_by_outcome, "closing": d.closing}
    for state, name in (("closing", "Closing, still open"),
                        ("declined", "Declined, not accepted"),
                        ("withdrawn", "Withdrawn"),
                        ("escalated", "Handed on (labour inspection, a higher union)"),
                        ("resolved", "Resolved by agreement")):
        assert f"<title>{name}: {outcomes[state]}</title>" in page
    for category, n in d.resolved_by_category.items():
        assert f"<title>{label(f'category.{category}', 'en')}: {n}</title>" in page
    for month, n in d.resolved_by_month.items():
        assert f"<title>{month}: {n}</title>" in page
    for fund, balance in a.fund_balances.items():
        assert f"<title>{fund}: {balance:,.2f}</title>" in page
    assert f"<title>Condolence campaigns paid: {a.campaigns_paid:,.2f}</title>" in page
    assert f"<div class=figure>{d.amount_involved:,.2f}</div>" in page


def test_resolutions_by_month_cover_the_period_and_sum_to_the_resolved(
    demo: dict[str, Report],
) -> None:
    for report in demo.values():
        months = report.disputes.resolved_by_month
        assert list(months) == [f"2023-{m:02d}" for m in range(1, 7)]
        assert sum(months.values()) == report.disputes.resolved


def test_chinese_is_simplified_by_default_in_the_glossarys_words(
    demo: dict[str, Report],
) -> None:
    page = html(demo["subdistrict"], "zh")
    assert '<html lang="zh-CN">' in page
    assert html(demo["subdistrict"], "zh-Hans") == page
    for term in ("调处率", "成功率", "处理率", "工伤", "调解成功按月", "帮困基金余额",
                 "劳动争议调解", "困难职工帮扶", "涉及职工(人次)", "涉案金额(元)", "项目",
                 "主要数据", "2,940,000.00"):
        assert term in page
    for word in ("Handling rate", "Figure", "cases", "調處率", "勞動爭議"):
        assert word not in page


def test_traditional_chinese_on_request(demo: dict[str, Report]) -> None:
    page = html(demo["subdistrict"], "zh-Hant")
    assert '<html lang="zh-Hant">' in page
    assert html(demo["subdistrict"], "zh-TW") == page
    for term in ("調處率", "成功率", "處理率", "工傷", "調解成功按月", "幫困基金餘額",
                 "勞動爭議調解", "困難職工幫扶", "涉及職工(人次)", "主要數據", "項目"):
        assert term in page
    for word in ("调处率", "劳动争议", "帮扶"):
        assert word not in page


def test_text_from_the_records_is_escaped() -> None:
    with Casework(store="memory://") as cw:
        cw.disputes.receive(
            category="wages", workers=2, amount=Decimal(1000), channel="visit",
            employer='<script>alert("x")</script> & Sons', org="subdistrict",
            at=datetime(2023, 3, 1, 9), actor="m-01",
        )
        report = cw.report(*H1)
    for lang in LANGS:
        page = html(report, lang)
        assert "<script" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in page


def test_an_empty_period_renders_without_figures_to_divide() -> None:
    with Casework(store="memory://") as cw:
        report = cw.report(*H1, known_at=datetime(2023, 7, 5, 12))
    page = html(report)
    assert report.disputes.handling_rate is None
    assert "<div class=figure>—</div>" in page
    assert page.count("nothing to show") == 3  # no funds, no channels of either kind
    assert "As recorded by 2023-07-05 12:00" in page


# ---- in a real browser -------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH "
                                    "(Debian: apt-get install chromium)")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, timeout=180, check=True,
    )


def _pixels(png: bytes) -> tuple[int, int, Counter[bytes]]:
    """Width, height and a count of each RGB colour of an 8-bit RGB(A) PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            data += chunk
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) in ((8, 2, 0), (8, 6, 0)), "unexpected PNG layout"
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(data), width * bpp
    prev, counts = bytearray(stride), Counter[bytes]()
    for y in range(height):
        line = y * (stride + 1)
        kind, row = raw[line], bytearray(raw[line + 1:line + 1 + stride])
        _unfilter(kind, row, prev, bpp)
        counts.update(bytes(row[i:i + 3]) for i in range(0, stride, bpp))
        prev = row
    return width, height, counts


def _unfilter(kind: int, row: bytearray, prev: bytearray, bpp: int) -> None:
    if kind == 0:
        return
    if kind == 2:
        row[:] = bytes((a + b) & 0xFF for a, b in zip(row, prev, strict=True))
        return
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            guess = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
            row[i] = (row[i] + guess) & 0xFF
        else:
            raise AssertionError(f"unknown PNG filter {kind}")


@needs_chromium
def test_the_page_renders_with_its_charts_in_chromium(
    demo: dict[str, Report], tmp_path: Path,
) -> None:
    page = tmp_path / "report.html"
    page.write_text(html(demo["all"]), encoding="utf-8")
    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    width, height, counts = _pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    total = width * height
    white = counts[b"\xff\xff\xff"]
    assert (total - white) / total > 0.05, "the page is (nearly) blank"
    assert len(counts) > 20
    drawn = [c for c in PALETTE if counts[bytes.fromhex(c[1:])] > 300]
    assert len(drawn) >= 5, f"chart colours on screen: {drawn}"


@needs_chromium
def test_the_browsers_dom_holds_the_charts(demo: dict[str, Report], tmp_path: Path) -> None:
    report = demo["subdistrict"]
    page = tmp_path / "report.html"
    page.write_text(html(report, "zh"), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout.decode()
    assert dom.count("<svg") == 7
    assert "调解成功按月" in dom and "帮困基金余额" in dom
    assert f"<title>工伤: {report.disputes.resolved_by_category['work_injury']}</title>" in dom
    months = re.findall(r"<title>(\d{4}-\d{2}): (\d+)</title>", dom)
    assert sum(int(n) for _, n in months) == report.disputes.resolved

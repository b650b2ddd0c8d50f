"""`casework report` on a terminal: the demo's figures in every format, periods by name or
by dates, replays as the log stood earlier, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from casework.cli import main

SUBDISTRICT = ["--period", "2023H1", "--org", "subdistrict"]
MONEY = re.compile(r"-?\d+\.\d{2}")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def report(capsys: pytest.CaptureFixture[str], store: str, *args: str) -> Any:
    code, out, err = run(capsys, "report", "--store", store, "--format", "json", *args)
    assert (code, err) == (0, "")
    return json.loads(out)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One demo store for the read-only tests (the formats are not about the store: the
    store_url tests below run the demo on both)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'd.db'}"
    assert main(["demo", "--store", url]) == 0
    return url


def _money_leaves(data: Any, path: str = "") -> dict[str, str]:
    if isinstance(data, dict):
        return {k: v for key, value in data.items()
                for k, v in _money_leaves(value, f"{path}.{key}").items()}
    return {path: data} if isinstance(data, str) else {}


def test_demo_then_the_subdistrict_report_as_json(
    store_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "demo", "--store", store_url)[0] == 0
    data = report(capsys, store_url, *SUBDISTRICT)
    d = data["disputes"]
    assert (data["start"], data["end"], data["org"]) == ("2023-01-01", "2023-06-30",
                                                         "subdistrict")
    assert (d["received"], d["accepted"], d["mediation_concluded"], d["resolved"]) == (
        65, 15, 15, 14)
    assert (d["opening"], d["concluded"], d["closing"]) == (0, 65, 0)
    assert d["handling_rate"] == 1.0
    assert d["success_rate"] == 0.9333
    assert d["resolved_by_category"] == {"labor_contract": 3, "wages": 3, "work_injury": 5,
                                         "social_insurance": 0, "other": 3}
    assert d["workers_involved"] == 32
    assert d["amount_involved"] == "2940000.00"
    assert data["aid"]["one_off_paid"] == "9500.00"
    money = _money_leaves({"disputes": d, "aid": data["aid"]})
    assert {".disputes.amount_involved", ".aid.amount_paid",
            ".aid.fund_balances.subdistrict-relief"} <= set(money)
    assert all(MONEY.fullmatch(v) for v in money.values()), money
    assert report(capsys, store_url, *SUBDISTRICT, "--replay") == data


def test_known_at_replays_the_log_as_it_stood(
    store_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "demo", "--store", store_url)[0] == 0
    before_the_late_petition = datetime.now(UTC).isoformat()
    code, _, err = run(capsys, "--store", store_url, "dispute", "receive", "--category",
                       "wages", "--workers", "4", "--amount", "8000", "--channel", "visit",
                       "--employer", "Tenglong Wire", "--org", "subdistrict",
                       "--at", "2023-06-20T10:00", "--actor", "m-li")
    assert (code, err) == (0, "")
    now = report(capsys, store_url, *SUBDISTRICT)
    then = report(capsys, store_url, *SUBDISTRICT, "--known-at", before_the_late_petition)
    assert now["disputes"]["received"] == 66
    assert then["disputes"]["received"] == 65
    assert then["known_at"] is not None and now["known_at"] is None
    assert then["aid"] == now["aid"]
    before_the_demo = report(capsys, store_url, *SUBDISTRICT, "--known-at", "2023-07-05")
    assert before_the_demo["disputes"]["received"] == 0  # recorded since, not in 2023


def _csv(out: str) -> list[list[str]]:
    """What Excel reads: the text opens as utf-8-sig, the BOM is not part of the header."""
    assert out.startswith("\ufeff")
    return list(csv.reader(io.StringIO(out.encode("utf-8").decode("utf-8-sig"))))


def test_csv_parses_and_carries_the_figures(
    demo: str, capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", "csv",
                         "--lang", "en")
    assert (code, err) == (0, "")
    header, *lines = _csv(out)
    assert header == ["Section", "Figure", "Value"]
    assert all(len(line) == 3 for line in lines)
    figures = {(s, m): v for s, m, v in lines}
    assert len(figures) == len(lines)
    disputes, aid = "Labour-dispute mediation", "Hardship aid"
    assert figures[disputes, "Received (cases)"] == "65"
    assert figures[disputes, "Handling rate"] == "100.0%"
    assert figures[disputes, "Success rate"] == "93.3%"
    assert figures[disputes, "Resolved by category · Work injury (cases)"] == "5"
    assert figures[disputes, "Amount at stake (yuan)"] == "2940000.00"  # plain: any program
    assert figures[aid, "Newly registered (persons)"] == "5"
    assert sum(int(v) for (s, m), v in figures.items()
               if m.startswith("Resolved by month · ")) == 14


def test_markdown_is_one_table_of_the_csv_rows(
    demo: str, capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", "markdown",
                    "--lang", "en")
    _, table, _ = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", "csv",
                      "--lang", "en")
    title, blank, head, rule, *lines = out.splitlines()
    assert title.startswith("## ") and "subdistrict" in title and blank == ""
    assert (head, rule) == ("| Section | Figure | Value |", "|---|---|---:|")
    cells = [line.strip("| ").split(" | ") for line in lines]
    rows = _csv(table)[1:]
    assert [c[:2] for c in cells] == [r[:2] for r in rows]
    assert [c[2].replace(",", "") for c in cells] == [r[2] for r in rows]
    assert "| Labour-dispute mediation | Received (cases) | 65 |" in lines
    assert "| Labour-dispute mediation | Amount at stake (yuan) | 2,940,000.00 |" in lines


@pytest.mark.parametrize("fmt", ["markdown", "csv", "table", "html"])
def test_chinese_is_simplified_in_the_glossarys_words(
    demo: str, fmt: str, capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", fmt,
                         "--lang", "zh")
    assert (code, err) == (0, "")
    amount = "2940000.00" if fmt == "csv" else "2,940,000.00"
    for term in ("调处率", "成功率", "劳动争议调解", "工伤", "涉案金额(元)", amount):
        assert term in out
    for term in ("調處率", "勞動爭議"):
        assert term not in out
    if fmt in ("markdown", "csv"):
        assert "100.0%" in out.split("调处率")[1].splitlines()[0]
        assert "93.3%" in out.split("成功率")[1].splitlines()[0]
    if fmt == "csv":
        assert _csv(out)[0] == ["业务", "项目", "数值"]


def test_html_through_the_cli_is_one_page(demo: str, capsys: pytest.CaptureFixture[str],
                                          ) -> None:
    code, out, _ = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", "html")
    assert code == 0
    assert out.startswith("<!doctype html>") and out.rstrip().endswith("</html>")
    assert out.count("<svg") == 7


def test_named_periods_are_their_dates(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    for name, first, last in (("2023Q2", "2023-04-01", "2023-06-30"),
                              ("2023-05", "2023-05-01", "2023-05-31"),
                              ("2023H1", "2023-01-01", "2023-06-30")):
        named = report(capsys, demo, "--period", name)
        dated = report(capsys, demo, "--from", first, "--to", last)
        assert named == dated
        assert (named["start"], named["end"], named["as_of"]) == (first, last, last)


def test_cohorts_of_adjoining_periods_add_up(
    demo: str, capsys: pytest.CaptureFixture[str],
) -> None:
    def received(period: str) -> tuple[int, int]:
        data = report(capsys, demo, "--period", period)
        return data["disputes"]["received"], data["aid"]["received"]

    months = [received(f"2023-{m:02d}") for m in (4, 5, 6)]
    q1, q2 = received("2023Q1"), received("2023Q2")
    assert q2 == tuple(map(sum, zip(*months, strict=True)))
    assert received("2023H1") == (q1[0] + q2[0], q1[1] + q2[1])
    assert all(n > 0 for n in q2)


def test_replay_equals_the_read_model(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--period", "2023H1"], ["--period", "2023Q1", "--org", "county"],
                 ["--period", "2023-05", "--as-of", "2023-06-30"]):
        assert report(capsys, demo, *args, "--replay") == report(capsys, demo, *args)


@pytest.mark.parametrize(("args", "names"), [
    (["--period", "2023H3"], "2023H3"),
    (["--period", "2023H1", "--format", "pdf"], "pdf"),
    (["--period", "2023H1", "--lang", "fr"], "fr"),
    (["--from", "2023-06-30", "--to", "2023-01-01"], "before"),
    (["--from", "2023-01-01"], "--period"),
    (["--from", "2023-02-30", "--to", "2023-03-31"], "2023-02-30"),
])
def test_a_bad_request_is_one_line_and_non_zero(
    args: list[str], names: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "report", "--store", f"sqlite:///{tmp_path / 'x.db'}", *args)
    assert code != 0
    assert out == ""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ") and names in err


def test_traditional_on_request(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    for tag in ("zh-Hant", "zh-TW"):
        code, out, err = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format",
                             "markdown", "--lang", tag)
        assert (code, err) == (0, "")
        assert "| 勞動爭議調解 | 調處率 | 100.0% |" in out
    code, out, _ = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", "markdown",
                       "--lang", "zh-Hans")
    assert code == 0 and "| 劳动争议调解 | 调处率 | 100.0% |" in out


def test_xlsx_is_a_workbook_on_stdout(demo: str,
                                      capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from openpyxl import load_workbook

    code = main(["report", "--store", demo, *SUBDISTRICT, "--format", "xlsx", "--lang", "zh"])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    sheet = load_workbook(io.BytesIO(out)).active
    assert sheet is not None
    values = {row[1]: row[2] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["本期受理(件)"] == 65 and values["涉案金额(元)"] == 2940000


def test_the_demo_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--store", f"sqlite:///{tmp_path / 'd.db'}",
                         "--lang", "zh")
    assert (code, err) == (0, "")
    assert "调处率" in out and "劳动争议调解" in out


def test_a_store_that_does_not_exist_is_an_error_not_zeros(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "typo.db"
    code, out, err = run(capsys, "report", "--store", f"sqlite:///{missing}",
                         "--period", "2023H1")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and "no store" in err
    assert not missing.exists()  # a read creates nothing


def test_a_body_no_record_names_is_an_error_not_zeros(
    demo: str, capsys: pytest.CaptureFixture[str],
) -> None:
    for replay in ([], ["--replay"]):
        code, out, err = run(capsys, "report", "--store", demo, "--period", "2023H1",
                             "--org", "subdistrcit", *replay)
        assert code != 0 and out == ""
        assert len(err.strip().splitlines()) == 1 and "subdistrcit" in err


def test_explain_lists_the_cases_behind_a_figure(
    demo: str, capsys: pytest.CaptureFixture[str],
) -> None:
    data = report(capsys, demo, *SUBDISTRICT, "--explain", "disputes.success_rate")
    assert data["figure"] == "disputes.success_rate"
    assert (len(data["numerator"]), len(data["denominator"])) == (14, 15)
    assert all(c["state"] == "resolved" for c in data["numerator"])
    code, out, _ = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--explain",
                       "disputes.workers_involved")
    assert code == 0 and "adding up to 32" in out
    code, _, err = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--explain", "nope")
    assert code != 0 and len(err.strip().splitlines()) == 1


def test_every_figure_of_the_html_links_to_its_cases(
    demo: str, capsys: pytest.CaptureFixture[str],
) -> None:
    from casework.statistics.explain import RULES
    from casework.statistics.html import anchor

    code, out, _ = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", "html")
    assert code == 0
    for figure in RULES:
        assert f"href='#{anchor(figure)}'" in out and f"id='{anchor(figure)}'" in out


def test_the_cohort_on_request(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = report(capsys, demo, *SUBDISTRICT, "--cohort")
    assert data["disputes"]["cohort"]["concluded"] == 15
    assert report(capsys, demo, *SUBDISTRICT)["disputes"]["cohort"] is None


def test_the_terminal_speaks_simplified_chinese_by_default(
    demo: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CASEWORK_LANG", raising=False)
    code, out, _ = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", "csv")
    assert code == 0 and _csv(out)[0] == ["业务", "项目", "数值"]
    assert "调处率" in out and "調處率" not in out
    monkeypatch.setenv("CASEWORK_LANG", "en")
    code, out, _ = run(capsys, "report", "--store", demo, *SUBDISTRICT, "--format", "csv")
    assert code == 0 and _csv(out)[0] == ["Section", "Figure", "Value"]

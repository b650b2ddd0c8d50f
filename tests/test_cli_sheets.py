"""`casework import` and the lists' --format csv|xlsx on a terminal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casework.cli import main

GOOD = """编号,接待时间,争议类别,涉及职工(人),涉案金额(元),接待方式,用人单位,受理日期
A-1,2023-03-01,工资,3,12000,来访,华光纺织,2023-03-02
A-2,2023-03-02,工伤,1,800,来电,宏达机械,
"""
BAD = """接待时间,争议类别,涉及职工(人),涉案金额(元),接待方式,用人单位
2023-03-01,偷窃,3,12000,来访,华光纺织
2023-03-02,工伤,1,八百,来电,宏达机械
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_then_again_then_a_bad_file(capsys: pytest.CaptureFixture[str],
                                           store_url: str, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="gb18030")
    code, out, err = run(capsys, "--store", store_url, "--as", "m-01", "import", "disputes",
                         str(good))
    assert code == 0 and out.strip() == "good.csv:新导入 2 条,补全 0 条,已导入过 0 条"
    assert err == ""  # no progress bar where the output is not a terminal
    code, out, _ = run(capsys, "--store", store_url, "--as", "m-01", "import", "disputes",
                       str(good), "--lang", "en", "--json")
    assert code == 0 and json.loads(out)["already"] == 2
    code, out, err = run(capsys, "--store", store_url, "--as", "m-01", "import", "disputes",
                         str(bad))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "第 2 行 争议类别:「偷窃」不是可选值:劳动合同, 工资, 工伤, 社会保险, 其他",
        "第 3 行 涉案金额(元):「八百」不是数字",
        "bad.csv 有 2 行有误,未导入任何记录"]
    code, out, _ = run(capsys, "--store", store_url, "--json", "dispute", "list")
    assert len(json.loads(out)) == 2


def test_lists_as_csv_and_xlsx(capsys: pytest.CaptureFixture[str], store_url: str,
                               tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert run(capsys, "--store", store_url, "--as", "m-01", "import", "disputes",
               str(good))[0] == 0
    out_csv = tmp_path / "d.csv"
    code, _, _ = run(capsys, "--store", store_url, "dispute", "list", "--format", "csv",
                       "--output", str(out_csv))
    assert code == 0
    text = out_csv.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert text.decode("utf-8-sig").splitlines()[0].startswith("案件编号,工会,状态,接待时间")
    code, _, err = run(capsys, "--store", store_url, "dispute", "list", "--format", "xlsx")
    assert code == 1 and "--output" in err
    book = tmp_path / "d.xlsx"
    assert run(capsys, "--store", store_url, "dispute", "list", "--state", "accepted",
               "--format", "xlsx", "--output", str(book), "--lang", "en")[0] == 0
    ws = load_workbook(io.BytesIO(book.read_bytes())).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Case number", "Union body", "State", "Received")
    assert len(rows) == 2 and rows[1][0] == "LD-2023-0001"
    code, _, err = run(capsys, "--store", store_url, "dispute", "list", "--format", "pdf")
    assert code == 1 and "format" in err


def test_the_register_and_a_fund_ledger_as_csv(capsys: pytest.CaptureFixture[str],
                                               store_url: str) -> None:
    for args in (["fund", "open", "f1", "--name", "Aid", "--at", "2023-01-01T09:00"],
                 ["fund", "contribute", "f1", "--amount", "100", "--source", "drive",
                  "--at", "2023-01-02T09:00"],
                 ["register", "enrol", "C-1", "--reason", "illness", "--name", "李华"]):
        assert run(capsys, "--store", store_url, "--as", "a-01", *args)[0] == 0
    code, out, _ = run(capsys, "--store", store_url, "fund", "ledger", "f1", "--format", "csv")
    assert code == 0
    header, row = out.splitlines()
    assert header == "\ufeff序号,日期,用途,金额(元),来源/对象,更正原因,余额(元),经办人,录入时间"
    assert row.rsplit(",", 1)[0] == "2,2023-01-02 09:00,募集/拨入,100,drive,,100,a-01"
    code, out, _ = run(capsys, "--store", store_url, "register", "list", "--format", "csv",
                       "--lang", "en")
    assert code == 0 and out.splitlines()[1].startswith("C-1,illness,李华,default,")

"""Importing spreadsheets and exporting lists, on both stores: aid paid from its fund, the
register, warnings, two imports at once, access under a directory, XLSX in English."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from casework import Actor, Casework, Directory, InvalidInput
from casework.importing import BadRows, import_file
from casework.sheets import case_sheet, decode, file_bytes, register_sheet, sheet

DISPUTES = """编号,工会,接待时间,争议类别,涉及职工(人),涉案金额(元),接待方式,用人单位,受理日期
A-1,north,2023-03-01,工资,3,12000,来访,华光纺织,2023-03-02
A-2,south,2023-03-02,工伤,1,800,来电,宏达机械,
A-3,north,2023-03-03,其他,1,0,来信,宏达机械,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_aid_is_decided_and_paid_from_its_named_fund(cw: Casework, tmp_path: Path) -> None:
    cw.funds.open("county-aid", name="County aid fund", at="2023-01-01T09:00", actor="a-01")
    cw.funds.contribute("county-aid", amount=Decimal(5000), source="drive",
                        at="2023-01-02T09:00", actor="a-01")
    path = write(tmp_path, "aid.csv", (
        "档案编号,接待时间,接待方式,受理日期,处理(审批帮扶)日期,帮扶方式,帮困基金,"
        "救助金额(元),落实日期\n"
        "C-1,2023-02-01,来访,2023-02-02,2023-02-03,临时困难救助金,county-aid,1500,2023-02-04\n"
        "C-2,2023-02-05,phone,2023-02-06,2023-02-07,legal_aid,,,\n"))
    result = import_file(cw, "aid", path, actor="a-01")
    assert result.count("new") == 2
    paid = cw.aid.get(result.records[0][1])
    assert (paid.state, paid.paid, paid.help["fund"]) == ("implemented", Decimal(1500),
                                                          "county-aid")
    assert cw.funds.balance("county-aid") == Decimal(3500)
    assert cw.aid.get(result.records[1][1]).state == "approved"
    assert import_file(cw, "aid", path, actor="a-01").count("already") == 2
    assert cw.funds.balance("county-aid") == Decimal(3500)  # paid once
    lines = cw.aid.list()  # and the list, exported in English, imports back as it was
    out = tmp_path / "aid.xlsx"
    out.write_bytes(file_bytes(case_sheet("aid", lines, cw.aid.moved(lines), cw.clock.tz,
                                          "en"), "xlsx", "en", "aid"))
    with Casework(store=f"sqlite:///{tmp_path / 'again.db'}") as again:
        again.funds.open("county-aid", name="County aid fund", at="2023-01-01T09:00",
                         actor="a-01")
        again.funds.contribute("county-aid", amount=Decimal(5000), source="drive",
                               at="2023-01-02T09:00", actor="a-01")
        import_file(again, "aid", out, actor="a-01")
        assert [x.model_dump() for x in again.aid.list()] == [x.model_dump() for x in lines]
        assert again.funds.balance("county-aid") == Decimal(3500)


def test_the_register_and_warnings(cw: Casework, tmp_path: Path) -> None:
    register = write(tmp_path, "register.csv", "档案号,困难原因,姓名,建档时间\n"
                                               "C-1,患病,李华,2023-01-05\nC-2,disability,,2023-01-06\n")
    assert import_file(cw, "register", register, actor="a-01").count("new") == 2
    entry = cw.register.get("C-1")
    assert (entry.name, entry.reason, entry.source) == ("李华", "illness", "C-1")
    assert [h.type for h in entry.history] == ["enrol", "import"]
    assert import_file(cw, "register", register, actor="a-01").count("already") == 2
    header, rows = register_sheet(cw.register.list(), "en")
    assert header[:2] == ["Register id", "Hardship reason"]
    assert [r[0] for r in rows] == ["C-1", "C-2"]
    warnings = write(tmp_path, "warnings.csv", (
        "Enterprise,Risk,Workers at risk,Early-warning officer,Received,Verify: date,"
        "Resolve at the source: date,How it was resolved\n"
        "Huaguang,wage arrears,40,o-07,2023-04-01,2023-04-02,2023-04-10,wages paid\n"))
    (number,) = [n for _, n, _ in import_file(cw, "warnings", warnings, actor="o-07").records]
    view = cw.warnings.get(number)
    assert (view.state, view.how, view.source) == ("resolved", "wages paid", "warnings.csv#2")


def test_two_imports_of_one_file_at_once_store_each_row_once(store_url: str,
                                                             tmp_path: Path) -> None:
    days = [f"2023-03-{1 + i % 20:02d}" for i in range(30)]
    rows = "".join(f"A-{i},{d},工资,2,{100 + i},来访,厂{i},{d}\n" for i, d in enumerate(days))
    path = write(tmp_path, "many.csv", "编号,接待时间,争议类别,涉及职工(人),涉案金额(元),"
                                       "接待方式,用人单位,受理日期\n" + rows)
    results, errors = [], []

    def run() -> None:
        try:
            with Casework(store=store_url) as cw:
                results.append(import_file(cw, "disputes", path, actor="m-01"))
        except Exception as e:  # pragma: no cover - shown by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sum(r.count("new") for r in results) == 30
    with Casework(store=store_url) as cw:
        lines = cw.disputes.list()
        assert len(lines) == 30
        assert {line.state for line in lines} == {"accepted"}
        assert sorted(cw.disputes.get(x.number).source for x in lines) == sorted(
            f"A-{i}" for i in range(30))


def test_rows_of_a_body_the_actor_does_not_cover_are_bad_rows(store_url: str,
                                                              tmp_path: Path) -> None:
    directory = Directory({"m-01": Actor("m-01", "mediator", ("north",)),
                           "aud": Actor("aud", "auditor")})
    path = write(tmp_path, "d.csv", DISPUTES)
    with Casework(store=store_url, actors=directory) as cw:
        with pytest.raises(BadRows) as refused:
            import_file(cw, "disputes", path, actor="m-01")
        assert [(p.line, p.column) for p in refused.value.problems] == [(3, "工会")]
        assert "north, not south" in refused.value.problems[0].why
        with pytest.raises(BadRows) as auditor:  # an auditor changes nothing
            import_file(cw, "disputes", path, actor="aud")
        assert {p.line for p in auditor.value.problems} == {2, 3, 4}
        assert cw.disputes.list(actor="m-01") == []


def test_aid_above_an_officers_threshold_is_a_bad_row(store_url: str, tmp_path: Path) -> None:
    directory = Directory({"a-01": Actor("a-01", "aid_officer")},
                          limits={"one_off": Decimal(2000)})
    path = write(tmp_path, "aid.csv", (
        "接待时间,接待方式,受理日期,处理(审批帮扶)日期,帮扶方式,帮困基金,救助金额(元)\n"
        "2023-02-01,来访,2023-02-02,2023-02-03,临时困难救助金,f,1500\n"
        "2023-02-05,来访,2023-02-06,2023-02-07,临时困难救助金,f,3000\n"
        "2023-02-05,来访,2023-02-06,2023-02-07,临时困难救助金,nowhere,300\n"))
    with Casework(store=store_url, actors=directory) as cw:
        cw.funds.open("f", name="Aid", at="2023-01-01T09:00", actor="a-01")
        with pytest.raises(BadRows) as refused:
            import_file(cw, "aid", path, actor="a-01")
        threshold, fund = refused.value.problems
        assert (threshold.line, threshold.column) == (3, "处理(审批帮扶)日期")
        assert "supervisor" in threshold.why
        assert (fund.line, fund.column) == (4, "处理(审批帮扶)日期")
        assert "nowhere" in fund.why
        assert cw.aid.list(actor="a-01") == []


def test_an_xlsx_file_in_english_with_a_title_row_and_dates(cw: Casework,
                                                            tmp_path: Path) -> None:
    from datetime import date, datetime

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Case number", "Received", "Category", "Workers involved",
               "Amount at stake (yuan)", "Channel", "Employer", "Accept: date"])
    ws.append([1001, datetime(2023, 5, 1, 9, 30), "Wages", 3, 1200.5, "In person", "Acme",
               date(2023, 5, 2)])
    ws.append([None] * 8)  # an empty row is skipped
    path = tmp_path / "d.xlsx"
    book.save(path)
    (record,) = import_file(cw, "disputes", path, actor="m-01").records
    view = cw.disputes.get(record[1])
    assert (view.source, view.category, view.amount, view.state) == (
        "1001", "wages", Decimal("1200.50"), "accepted")
    assert view.received_at.isoformat() == "2023-05-01T09:30:00+00:00"


def test_files_that_are_not_tables_are_refused(cw: Casework, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"xlsx or \.csv"):
        import_file(cw, "disputes", write(tmp_path, "d.txt", "x"), actor="m-01")
    with pytest.raises(InvalidInput, match="no file"):
        import_file(cw, "disputes", tmp_path / "missing.csv", actor="m-01")
    with pytest.raises(InvalidInput, match="kind"):
        import_file(cw, "cases", write(tmp_path, "d.csv", DISPUTES), actor="m-01")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK not a workbook")
    with pytest.raises(InvalidInput, match="not a workbook"):
        import_file(cw, "disputes", bad, actor="m-01")
    assert decode("编号".encode("gb18030")) == "编号"
    assert decode("\ufeff编号".encode()) == "编号"


def test_every_field_of_every_form_has_a_column_headed_in_both_languages() -> None:
    from domain import KINDS

    for kind in KINDS.values():
        s = sheet(kind.name)
        for move, form in [(kind.opening.name, kind.opening), *s.forms.items()]:
            for name in form.fields:
                column = s.by_name[name]
                assert column.headers["zh-Hans"] != name and column.headers["en"], (move, name)
        headers = [h for c in s.columns for h in (c.headers["zh-Hans"],)]
        assert len(headers) == len(set(headers)), kind.name  # one column, one name


def test_an_export_keeps_a_formula_as_text_and_reads_it_back(cw: Casework,
                                                             tmp_path: Path) -> None:
    cw.disputes.receive(category="wages", workers=1, amount=0, channel="visit",
                        employer="=HYPERLINK(1)", at="2023-03-01T09:00", actor="m-01")
    lines = cw.disputes.list()
    data = file_bytes(case_sheet("dispute", lines, cw.disputes.moved(lines), cw.clock.tz,
                                 "zh-Hans"), "csv", "zh-Hans", "disputes")
    assert "'=HYPERLINK(1)" in data.decode("utf-8-sig")
    (tmp_path / "x.csv").write_bytes(data)
    with Casework(store=f"sqlite:///{tmp_path / 'again.db'}") as again:
        import_file(again, "disputes", tmp_path / "x.csv", actor="m-01")
        assert again.disputes.list()[0].employer == "=HYPERLINK(1)"

"""Steps of import_export.feature (in Simplified Chinese): a file checked whole, imported
once, completed after a fault, read in GB18030 or with a BOM, exported and read back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pytest_bdd import given, parsers, scenarios, then, when

from casework import Casework, StoreError
from casework.importing import BadRows, Imported, import_file
from casework.sheets import case_sheet, file_bytes
from features.support import Desk

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("import_export.feature")

ENCODINGS = {"GB18030": "gb18030", "UTF-8-BOM": "utf-8-sig", "UTF-8": "utf-8"}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return tmp_path


def _csv(table: list[list[str]]) -> str:
    return "".join(",".join(cell.strip() for cell in row) + "\n" for row in table)


@given(parsers.re(r"一份争议案件表 (?P<name>\S+):"))
def a_file(files: Path, name: str, datatable: list[list[str]]) -> None:
    (files / name).write_text(_csv(datatable), encoding="utf-8")


@given(parsers.re(r"一份争议案件表 (?P<name>\S+),以 (?P<encoding>\S+) 保存:"))
def a_file_encoded(files: Path, name: str, encoding: str, datatable: list[list[str]]) -> None:
    data = _csv(datatable).encode(ENCODINGS[encoding])
    if encoding == "GB18030":  # it is not UTF-8: the reader has to tell
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    (files / name).write_bytes(data)


def _import(desk: Desk, files: Path, name: str, actor: str) -> None:
    desk.attempt(lambda: import_file(desk.cw, "disputes", files / name, actor=actor))


@when(parsers.re(r"调解员 (?P<actor>\S+) (?:再导入一次|导入) (?P<name>[^,\s]+)$"))
def imports(desk: Desk, files: Path, actor: str, name: str) -> None:
    _import(desk, files, name, actor)


@when(parsers.re(r"调解员 (?P<actor>\S+) 导入 (?P<name>[^,\s]+),存储在第 (?P<n>\d+) 次办理时出错"))
def imports_with_a_fault(desk: Desk, files: Path, actor: str, name: str, n: str,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    log = desk.cw.log
    save, calls = log.save, [0]

    def failing(*records: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == int(n):
            raise StoreError("the store refused the write: disk I/O error")
        return save(*records, **kwargs)

    monkeypatch.setattr(log, "save", failing)
    _import(desk, files, name, actor)
    monkeypatch.undo()
    assert isinstance(desk.refusal, StoreError), desk.refusal


def _result(desk: Desk) -> Imported:
    assert desk.refusal is None, desk.refusal
    assert isinstance(desk.result, Imported)
    return desk.result


@then(parsers.re(r"新导入 (?P<new>\d+) 件,已导入过 (?P<already>\d+) 件"))
def counted(desk: Desk, new: str, already: str) -> None:
    r = _result(desk)
    assert (r.count("new"), r.count("completed"), r.count("already")) == (int(new), 0,
                                                                          int(already))


@then(parsers.re(r"新导入 (?P<new>\d+) 件,补全 (?P<completed>\d+) 件,已导入过 (?P<already>\d+) 件"))
def counted_completed(desk: Desk, new: str, completed: str, already: str) -> None:
    r = _result(desk)
    assert (r.count("new"), r.count("completed"), r.count("already")) == (
        int(new), int(completed), int(already))


def by_source(cw: Casework, source: str) -> Any:
    found = [cw.disputes.get(line.number) for line in cw.disputes.list()]
    (view,) = [v for v in found if getattr(v, "source", None) == source]
    return view


STATES = {"调解成功": "resolved", "终止调解": "terminated", "已接待": "received",
          "调解中": "mediating"}


@then(parsers.re(r"来源 (?P<source>\S+) 的案件 (?P<state>调解成功|终止调解|已接待|调解中)$"))
def case_state(desk: Desk, source: str, state: str) -> None:
    assert by_source(desk.cw, source).state == STATES[state]


@then(parsers.re(r"来源 (?P<source>\S+) 的案件 调解成功,协议金额 (?P<amount>[\d.]+),"
                 r"受理于 (?P<accepted>[\d-]+)"))
def case_resolved(desk: Desk, source: str, amount: str, accepted: str) -> None:
    view = by_source(desk.cw, source)
    assert view.state == "resolved"
    assert f"{view.settled_amount:.2f}" == amount
    assert view.accepted_on.isoformat() == accepted


@then(parsers.re(r"来源 (?P<source>\S+) 的案件的办理记录是 (?P<steps>.+)"))
def case_history(desk: Desk, source: str, steps: str) -> None:
    view = by_source(desk.cw, source)
    assert [h.type for h in view.history] == [s.strip() for s in steps.split(",")]
    assert {h.actor for h in view.history} == {"m-01"}


@then(parsers.re(r"来源 (?P<source>\S+) 的案件的用人单位是 (?P<employer>\S+)"))
def case_employer(desk: Desk, source: str, employer: str) -> None:
    assert by_source(desk.cw, source).employer == employer


@then(parsers.re(r"导入被拒绝,指出 (?P<named>.+)"))
def refused(desk: Desk, named: str) -> None:
    assert isinstance(desk.refusal, BadRows), desk.refusal
    found = {(p.line, p.column) for p in desk.refusal.problems}
    wanted = set()
    for part in named.split("、"):
        line, column = part.removeprefix("第 ").split(" 行 ")
        wanted.add((int(line), column))
    assert found == wanted, desk.refusal.lines()


@then("没有任何争议案件")
def no_cases(desk: Desk) -> None:
    assert desk.cw.disputes.list() == []


@then(parsers.re(r"共有 (?P<n>\d+) 件争议案件"))
def how_many(desk: Desk, n: str) -> None:
    assert len(desk.cw.disputes.list()) == int(n)


@when(parsers.re(r"把争议案件清单导出为 (?P<fmt>csv|xlsx),表头用 (?P<lang>\S+)"))
def exported(desk: Desk, files: Path, fmt: str, lang: str) -> None:
    lines = desk.cw.disputes.list()
    data = file_bytes(case_sheet("dispute", lines, desk.cw.disputes.moved(lines),
                                 desk.cw.clock.tz, lang), fmt, lang, "disputes")
    desk.before = files / f"export.{fmt}"
    desk.before.write_bytes(data)


@then(parsers.re(r"导出文件的表头以 (?P<first>.+) 开头"))
def export_headers(desk: Desk, first: str) -> None:
    path: Path = desk.before
    wanted = [h.strip() for h in first.split(",")]
    if path.suffix == ".csv":
        text = path.read_bytes()
        assert text.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads it as UTF-8
        header = text.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        sheet = load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[: len(wanted)] == wanted


@then("把导出文件导入一个空的存储,得到同样的案件")
def round_trip(desk: Desk, tmp_path: Path) -> None:
    again = Casework(store=f"sqlite:///{tmp_path / 'again.db'}")
    try:
        import_file(again, "disputes", desk.before, actor="m-01")
        before = [line.model_dump() for line in desk.cw.disputes.list()]
        after = [line.model_dump() for line in again.disputes.list()]
        assert after == before
    finally:
        again.close()

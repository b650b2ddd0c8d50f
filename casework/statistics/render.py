"""A report as text: table, json, csv, markdown or html, in English or in the source
document's Chinese terms."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from casework.errors import InvalidInput
from casework.statistics.figures import Report

ZH = {
    "disputes": "勞動爭議調解", "aid": "困難職工幫扶",
    "received": "接待職工信訪(件)", "accepted": "受理(件)", "declined": "不予受理(件)",
    "withdrawn": "撤回(件)", "concluded": "調處結案(件)", "resolved": "成功調處(件)",
    "escalated": "移送(件)", "open": "在辦(件)", "handling_rate": "調處率",
    "success_rate": "成功率", "resolved_by_category": "成功調處按類別",
    "resolved_by_month": "成功調處按月",
    "labor_contract": "勞動合同", "wages": "工資糾紛", "work_injury": "工傷糾紛",
    "social_insurance": "社會保險", "other": "其它",
    "workers_involved": "涉及職工(人次)", "amount_involved": "涉案金額(元)",
    "settled_amount": "調解協議金額(元)", "overdue": "超過15日未結(件)",
    "days_to_resolution": "調處天數", "median": "中位數", "p90": "第90百分位",
    "by_channel": "按來訪方式", "by_employer": "按用人單位", "by_mediator": "按調解員",
    "visit": "來人", "phone": "來電", "letter": "來信", "online": "網上",
    "referral": "預警員報告",
    "received_by_channel": "接待來人來電來信(人次)",
    "handled": "處理(件)", "implemented": "落實(件)", "workers_helped": "幫扶困難職工(人)",
    "amount_paid": "幫扶資金(元)", "one_off_paid": "臨時困難救助金(元)",
    "subsidies_paid": "困難補助(元)", "campaigns_paid": "慰問金和慰問品(元)",
    "campaign_workers": "慰問困難職工(名)", "referrals": "介紹再就業(人)",
    "subsidy_households": "補助對象(户)", "subsidy_monthly_min": "每人每月補助最低(元)",
    "subsidy_monthly_max": "每人每月補助最高(元)",
    "registered_workers": "特困職工檔案(人)", "newly_registered": "新增困難職工(人)",
    "contributions": "募集資金(元)", "fund_balances": "幫困基金餘額(元)",
}
ZH.update({  # the mediation procedure (issue 12)
    "answered": "諮詢答覆(件)", "referred": "轉介(件)", "terminated": "終止調解(件)",
    "terminated_by_reason": "終止調解按原因", "expired": "期滿未達成協議",
    "party_refused": "當事人不願繼續調解", "arbitration_applied": "當事人申請仲裁(件)",
    "followed_up": "履行回訪(件)", "performance": "履行情況", "yes": "全部履行",
    "partly": "部分履行", "no": "未履行", "performance_rate": "履行率",
    "collective": "集體勞動爭議(件)", "collective_workers": "集體勞動爭議涉及職工(人)",
})
ZH.update({  # early warnings (預警)
    "warnings": "預警信息", "reported": "預警信息(條)", "verified": "核實(條)",
    "resolved_at_source": "源頭化解(條)", "became_disputes": "轉為勞動爭議(條)",
    "dismissed": "核實無風險(條)", "resolved_at_source_share": "源頭化解率",
    "workers_at_risk": "涉及職工(人)", "by_risk": "按風險類別", "by_officer": "按預警員",
    "by_enterprise": "按企業", "wage_arrears": "拖欠工資", "closure": "關停",
    "layoffs": "裁員", "relocation": "搬遷",
})
ZH_AID = {"received": "接待(人次)", "accepted": "受理案件(件)", "handling_rate": "處理率",
          "declined": "不予幫扶(件)"}


def rows(report: Report, lang: str = "en") -> Iterator[tuple[str, str, str]]:
    """(section, metric, value) for every figure, nested ones as "parent.child"."""
    data = report.model_dump(mode="json")
    for section in report.sections():
        for key, value in data[section].items():
            yield from _flat(section, [key], value, lang)


def _label(section: str, path: list[str], lang: str) -> str:
    if lang != "zh":
        return ".".join(path)
    names = []
    for i, part in enumerate(path):
        table = ZH_AID if section == "aid" and i == 0 and part in ZH_AID else ZH
        names.append(table.get(part, part))
    return "·".join(names)


def _flat(section: str, path: list[str], value: Any, lang: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(section, [*path, k], v, lang)
        return
    if value is None:
        text = "—"
    elif path[-1].endswith("_rate"):
        text = f"{value * 100:.1f}%"
    else:
        text = str(value)
    yield (ZH[section] if lang == "zh" else section), _label(section, path, lang), text


def _cell(text: str) -> str:
    """A Markdown table cell: a '|' in an employer's name must not split the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _title(report: Report, lang: str) -> str:
    who = report.org or ("全部" if lang == "zh" else "all bodies")
    if lang == "zh":
        return f"{report.start} 至 {report.end} 工作統計({who})"
    return f"Figures {report.start} to {report.end} ({who}), states as of {report.as_of}"


def render(report: Report, fmt: str, lang: str = "en") -> Any:
    if lang not in ("en", "zh"):
        raise InvalidInput({"lang": "en or zh"})
    if fmt == "json":
        data = report.model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["section", "metric", "value"])
        writer.writerows(rows(report, lang))
        return buf.getvalue()
    if fmt == "markdown":
        lines = [f"## {_title(report, lang)}", "", "| section | metric | value |",
                 "|---|---|---:|"]
        lines += [f"| {_cell(s)} | {_cell(m)} | {_cell(v)} |" for s, m, v in rows(report, lang)]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        from rich.table import Table

        table = Table("section", "metric", "value", title=_title(report, lang))
        for s, m, v in rows(report, lang):
            table.add_row(s, m, v)
        return table
    if fmt == "html":
        from casework.statistics.html import html

        return html(report, lang)
    raise InvalidInput({"format": "table, json, csv, markdown or html"})


def side_by_side(reports: dict[str, Report], lang: str = "en") -> Any:
    """Several reports of one period as one table, a column each (the bodies and the
    roll-up, say): the half-year summary a report writer reads across."""
    from rich.table import Table

    first = next(iter(reports.values()))
    columns = {name: {(s, m): v for s, m, v in rows(r, lang)} for name, r in reports.items()}
    keys = list(dict.fromkeys(k for values in columns.values() for k in values))
    title = (f"{first.start} 至 {first.end}" if lang == "zh"
             else f"{first.start} to {first.end}, states as of {first.as_of}")
    table = Table("section", "metric", *reports, title=title)
    for key in keys:
        table.add_row(*key, *(columns[name].get(key, "") for name in reports))
    return table

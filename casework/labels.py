"""Every word the reports print, in English, simplified Chinese and traditional Chinese.

Chinese is written once, in simplified characters: staff in mainland bodies read them, and
the union's glossary (../shared/GLOSSARY.md) is written in them first. Traditional is
derived by OpenCC, so the two scripts cannot drift apart; a traditional form is spelled out
by hand only where OpenCC's word is not the one union staff use (`TRADITIONAL_OVERRIDES`).
OpenCC's s2tw writes the variant characters the source document uses (為, 核實, 線);
plain s2t would write 爲 and 覈實, and s2twp would also swap words (信息 → 資訊) against
the glossary. Where the glossary is silent, the words are the law's or the national
labour-dispute statistics', not a translation of the English.

Keys are dotted: ``section.disputes``, ``disputes.handling_rate`` (a figure of a section),
``category.wages``, ``unit.case``, ``chart.months`` … A figure's label carries its unit:
``label("disputes.amount_involved", "zh")`` is ``涉案金额(元)``; `name` leaves it off.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from casework.errors import InvalidInput

if TYPE_CHECKING:
    from opencc import OpenCC

#: The languages, by their BCP 47 script tags; "zh" alone means simplified.
LANGS = ("en", "zh-Hans", "zh-Hant")

_ALIASES = {"en": "en", "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh-cn": "zh-Hans",
            "zh-hant": "zh-Hant", "zh-tw": "zh-Hant"}

#: The tag a document in each language carries (<html lang>, a workbook's language).
TAGS = {"en": "en", "zh-Hans": "zh-CN", "zh-Hant": "zh-Hant"}

# ---- the table ---------------------------------------------------------------------------

#: Units: what a count or an amount is counted in.
_UNITS = {
    "case": ("cases", "件"),
    "person_time": ("person-times", "人次"),  # a worker in two cases counts twice
    "person": ("persons", "人"),  # distinct people
    "household": ("households", "户"),
    "yuan": ("yuan", "元"),
    "day": ("days", "天"),
}

#: Figures of a section: English, simplified Chinese, and the unit (None for rates and
#: for figures whose members carry their own unit).
_FIGURES: dict[str, dict[str, tuple[str, str, str | None]]] = {
    "disputes": {
        # the return: opening + received + reopened − concluded = closing (本期收结案)
        "opening": ("Opening, carried over", "上期未结", "case"),
        "received": ("Received", "本期受理", "case"),
        "reopened": ("Reopened, back to mediation", "本期恢复调解", "case"),
        "concluded": ("Concluded", "本期结案", "case"),
        "closing": ("Closing, still open", "期末未结", "case"),
        "concluded_by_outcome": ("Concluded by outcome", "按结案方式", "case"),
        "resolved": ("Resolved by agreement", "调解成功", "case"),
        "terminated": ("Mediation terminated", "终止调解", "case"),
        "withdrawn": ("Withdrawn", "撤回", "case"),
        "declined": ("Declined, not accepted", "不予受理", "case"),
        "answered": ("Consultation answered", "咨询答复", "case"),
        "referred": ("Referred elsewhere", "转介", "case"),
        "escalated": ("Handed on (labour inspection, a higher union)", "移送", "case"),
        "arbitration": ("The party applied for arbitration", "当事人申请仲裁", "case"),
        "arbitration_applied": ("Applied for arbitration", "申请仲裁", "case"),
        "terminated_by_reason": ("Terminated, by reason", "终止原因", "case"),
        "followed_up": ("Agreements followed up", "履行回访", "case"),
        "performance": ("Performance found", "履行情况", "case"),
        "accepted": ("Accepted for mediation", "受理调解", "case"),
        "mediation_concluded": ("Concluded after acceptance", "调处结案", "case"),
        "cohort": ("Cohort: the cases received in the period, as they stood at its end",
                   "本期受理案件办理情况", None),
        "open": ("Open", "在办", "case"),
        "overdue": ("Overdue, past the 15-day clock", "超期", "case"),
        "due_soon": ("Due soon", "即将到期", "case"),
        "handling_rate": ("Handling rate", "调处率", None),
        "success_rate": ("Success rate", "成功率", None),
        "performance_rate": ("Performance rate", "履行率", None),
        "collective": ("Collective disputes, 10+ workers", "集体劳动争议", "case"),
        "collective_workers": ("Workers in collective disputes", "集体劳动争议涉及职工",
                               "person_time"),
        "resolved_by_category": ("Resolved by category", "调解成功按类别", "case"),
        "resolved_by_month": ("Resolved by month", "调解成功按月", "case"),
        "workers_involved": ("Workers involved", "涉及职工", "person_time"),
        "amount_involved": ("Amount at stake", "涉案金额", "yuan"),
        "settled_amount": ("Amount agreed", "调解协议金额", "yuan"),
        "days_to_resolution": ("Days from acceptance to agreement", "调解成功用时", "day"),
        "by_channel": ("By channel", "按接待方式", "case"),
        "by_employer": ("By employer", "按用人单位", None),
        "by_mediator": ("By mediator", "按调解员", None),
    },
    "aid": {
        "opening": ("Opening, carried over", "上期未结", "case"),
        "received": ("Requests received", "接待", "person_time"),
        "reopened": ("Reopened", "本期重新办理", "case"),
        "concluded": ("Concluded", "本期结案", "case"),
        "closing": ("Closing, still open", "期末未结", "case"),
        "concluded_by_outcome": ("Concluded by outcome", "按结案方式", "case"),
        "received_by_channel": ("Received by channel", "按接待方式", "person_time"),
        "requests": ("Requests received at the desk", "接待", "person_time"),
        "cohort": ("Cohort: the requests received in the period, as they stood at its end",
                   "本期接待案件办理情况", None),
        "accepted": ("Accepted as cases", "受理案件", "case"),
        "declined": ("Declined", "不予帮扶", "case"),
        "handled": ("Handled, decided", "处理", "case"),
        "handling_rate": ("Handling rate", "处理率", None),
        "approved": ("Approved", "批准帮扶", "case"),
        "implemented": ("Implemented, delivered", "落实", "case"),
        "feedback": ("Feedback recorded", "反馈", "case"),
        "closed": ("Closed", "办结", "case"),
        "withdrawn": ("Withdrawn", "撤回", "case"),
        "referred": ("Referred elsewhere", "转介", "case"),
        "escalated": ("Referred to a higher union or civil affairs", "转上级工会或民政",
                      "case"),
        "open": ("Open", "在办", "case"),
        "workers_helped": ("Workers helped", "帮扶困难职工", "person"),
        "amount_paid": ("Aid paid", "帮扶资金", "yuan"),
        "one_off_paid": ("One-off relief paid", "临时困难救助金", "yuan"),
        "subsidies_paid": ("Monthly subsidies paid", "生活补助", "yuan"),
        "campaigns_paid": ("Condolence campaigns paid", "慰问金和慰问品", "yuan"),
        "campaign_workers": ("Workers visited in campaigns", "慰问困难职工", "person"),
        "referrals": ("Re-employment referrals", "介绍再就业", "person"),
        "subsidy_households": ("Subsidies running", "补助对象", "household"),
        "subsidy_monthly_min": ("Monthly subsidy, lowest", "每人每月补助最低", "yuan"),
        "subsidy_monthly_max": ("Monthly subsidy, highest", "每人每月补助最高", "yuan"),
        "registered_workers": ("Workers on the hardship register", "困难职工档案", "person"),
        "newly_registered": ("Newly registered", "新增困难职工", "person"),
        "contributions": ("Contributions received", "募集资金", "yuan"),
        "fund_balances": ("Fund balances", "帮困基金余额", "yuan"),
    },
    "warnings": {
        "opening": ("Opening, carried over", "上期未结", "case"),
        "received": ("Reported in the period", "本期报送", "case"),
        "reopened": ("Reopened: the risk came back", "本期重新核实", "case"),
        "concluded": ("Concluded", "本期结案", "case"),
        "closing": ("Closing, still open", "期末未结", "case"),
        "concluded_by_outcome": ("Concluded by outcome", "按结案方式", "case"),
        "reported": ("Reported", "报送预警信息", "case"),
        "resolved": ("Resolved at the source", "源头化解", "case"),
        "became_dispute": ("Became a labour dispute", "转为劳动争议", "case"),
        "cohort": ("Cohort: the warnings reported in the period, as they stood at its end",
                   "本期预警信息办理情况", None),
        "verified": ("Verified", "核实", "case"),
        "resolved_at_source": ("Resolved at the source", "源头化解", "case"),
        "became_disputes": ("Became labour disputes", "转为劳动争议", "case"),
        "dismissed": ("No risk found", "核实无风险", "case"),
        "withdrawn": ("Withdrawn", "撤回", "case"),
        "open": ("Open", "在办", "case"),
        "resolved_at_source_share": ("Share resolved at the source", "源头化解率", None),
        "workers_at_risk": ("Workers at risk", "涉及职工", "person"),
        "by_risk": ("By risk", "按风险类型", "case"),
        "by_officer": ("By early-warning officer", "按预警员", None),
        "by_enterprise": ("By enterprise", "按企业", None),
    },
}

#: Everything else: English and simplified Chinese. "{name}" fields are filled by callers.
_WORDS: dict[str, tuple[str, str]] = {
    "section.disputes": ("Labour-dispute mediation", "劳动争议调解"),
    "section.aid": ("Hardship aid", "困难职工帮扶"),
    "section.warnings": ("Early warning", "预警信息"),
    # what a set of figures is about (the return is the default; the cohort is kept)
    "basis.flow": ("Return for the period: carried over, received, concluded, still open",
                   "本期收结案情况:上期未结、本期受理、本期结案、期末未结"),
    "basis.cohort": ("Cases received in the period, as they stood on {as_of}",
                     "本期受理案件截至{as_of}的办理情况"),
    "title.report": ("Figures {start} to {end} ({who}), states as of {as_of}",
                     "{start} 至 {end} 工作统计({who}),状态截至 {as_of}"),
    "title.periods": ("{start} to {end}, states as of {as_of}",
                      "{start} 至 {end},状态截至 {as_of}"),
    "title.all": ("all bodies", "全部工会"),
    "title.total": ("Total", "合计"),
    "title.known_at": ("As recorded by {known_at}", "按 {known_at} 前已记录的数据"),
    "column.section": ("Section", "业务"),
    "column.metric": ("Figure", "项目"),
    "column.value": ("Value", "数值"),
    "html.key": ("Key figures", "主要数据"),
    "html.charts": ("Charts", "图表"),
    "html.tables": ("All figures", "全部数据"),
    "html.empty": ("nothing to show", "无数据"),
    "chart.states": ("Disputes by state on {as_of}", "劳动争议案件状态(截至{as_of},件)"),
    "chart.outcomes": ("Disputes concluded, by outcome, and still open",
                       "劳动争议本期结案方式及期末未结(件)"),
    "html.explain": ("Cases behind each figure", "各项数据对应的案件"),
    "html.numerator": ("Counted", "计入"),
    "html.denominator": ("Out of", "基数"),
    "explain.number": ("Case", "案件编号"),
    "explain.org": ("Body", "工会"),
    "explain.state": ("State at the end", "期末状态"),
    "explain.received": ("Received", "接待日期"),
    "explain.on": ("Counted on", "计入日期"),
    "explain.counts": ("Adds", "计入数"),
    "explain.basis": ("Basis", "口径"),
    "error.no_body": ("no record names the body {org!r}", "没有任何记录属于工会 {org!r}"),
    "error.InsufficientFunds": ("fund {fund!r} would go below zero on {on}, short by {short} "
                                "yuan", "帮困基金 {fund!r} 将在 {on} 出现负余额,缺口 {short} 元"),
    "chart.categories": ("Resolved disputes by category", "调解成功按类别(件)"),
    "chart.months": ("Resolutions by month", "调解成功按月(件)"),
    "chart.channels": ("Disputes received by channel", "劳动争议接待方式(件)"),
    "chart.aid_channels": ("Aid requests received by channel", "帮扶接待方式(人次)"),
    "chart.paid": ("Aid paid by kind (yuan)", "帮扶资金按类别(元)"),
    "chart.funds": ("Fund balances on {as_of} (yuan)", "帮困基金余额(截至{as_of},元)"),
    "xlsx.sheet": ("Return", "统计表"),
    # why a mediation was terminated (domain.values.TerminationReason)
    "termination.expired": ("The period ran out", "期满未达成协议"),
    "termination.party_refused": ("A party would not go on", "当事人不愿继续调解"),
    # what a follow-up of an agreement found (domain.values.Performance)
    "performance.yes": ("Performed in full", "全部履行"),
    "performance.partly": ("Partly performed", "部分履行"),
    "performance.no": ("Not performed", "未履行"),
    "stat.median": ("Median", "中位数"),
    "stat.p90": ("90th percentile", "第90百分位"),
    # dispute categories (domain.values.Category)
    "category.labor_contract": ("Labour contract", "劳动合同"),
    "category.wages": ("Wages", "工资"),
    "category.work_injury": ("Work injury", "工伤"),
    "category.social_insurance": ("Social insurance", "社会保险"),
    "category.other": ("Other", "其他"),
    # how a petition or a request came in (domain.values.Channel)
    "channel.visit": ("In person", "来访"),
    "channel.phone": ("Phone", "来电"),
    "channel.letter": ("Letter", "来信"),
    "channel.online": ("Online", "网上"),
    "channel.referral": ("Early-warning officer", "预警员报告"),
    "channel.outreach": ("Union's own outreach (survey, home visit)", "主动走访调查"),
    # kinds of help (domain.values.HelpKind, and campaign payments)
    "help.one_off": ("One-off relief", "临时困难救助金"),
    "help.monthly_subsidy": ("Monthly subsidy", "生活补助"),
    "help.referral": ("Re-employment referral", "介绍再就业"),
    "help.legal_aid": ("Legal aid", "法律援助"),
    "help.campaign": ("Condolence campaign", "送温暖慰问"),
    "help.other": ("Other", "其他"),
    # early-warning risks (domain.warnings.Risk)
    "risk.wage_arrears": ("Wage arrears", "拖欠工资"),
    "risk.closure": ("Closure", "停产关闭"),
    "risk.layoffs": ("Lay-offs", "裁员"),
    "risk.relocation": ("Relocation", "搬迁"),
    "risk.social_insurance": ("Social insurance", "社会保险"),
    "risk.other": ("Other", "其他"),
    # where an escalated case went (domain.values.EscalationTarget, AidReferral)
    "target.arbitration": ("Arbitration", "申请仲裁"),
    "target.court": ("Court", "向人民法院起诉"),
    "target.labour_inspection": ("Labour inspection", "劳动保障监察"),
    "target.higher_union": ("Higher union", "上级工会"),
    "target.civil_affairs": ("Civil affairs", "民政部门"),
    # lifecycle states, as a list of cases behind a figure shows them
    "state.dispute.received": ("Received", "已接待"),
    "state.dispute.accepted": ("Accepted", "已受理"),
    "state.dispute.declined": ("Declined", "不予受理"),
    "state.dispute.mediating": ("Mediating", "调解中"),
    "state.dispute.resolved": ("Resolved by agreement", "调解成功"),
    "state.dispute.terminated": ("Terminated", "终止调解"),
    "state.dispute.escalated": ("Escalated", "转仲裁/诉讼等"),
    "state.dispute.withdrawn": ("Withdrawn", "撤回"),
    "state.aid.received": ("Received", "接待"),
    "state.aid.accepted": ("Accepted", "受理"),
    "state.aid.declined": ("Declined", "不予帮扶"),
    "state.aid.approved": ("Approved", "处理(批准)"),
    "state.aid.implemented": ("Implemented", "落实"),
    "state.aid.feedback_recorded": ("Feedback recorded", "反馈"),
    "state.aid.closed": ("Closed", "办结"),
    "state.aid.escalated": ("Referred upwards", "转上级工会或民政"),
    "state.aid.withdrawn": ("Withdrawn", "撤回"),
    "state.warning.reported": ("Reported", "已报送"),
    "state.warning.verified": ("Verified", "已核实"),
    "state.warning.resolved": ("Resolved at the source", "源头化解"),
    "state.warning.became_dispute": ("Became a dispute", "转为劳动争议"),
    "state.warning.dismissed": ("No risk found", "核实无风险"),
    "state.warning.withdrawn": ("Withdrawn", "撤回"),
    # importing a spreadsheet (casework.importing): one line a bad row
    "import.problem": ("row {row}, {column}: {why}", "第 {row} 行 {column}:{why}"),
    "import.refused": ("{n} bad rows in {file}: nothing was imported",
                       "{file} 有 {n} 行有误,未导入任何记录"),
    "import.summary": ("{file}: {new} imported, {completed} completed, {already} already there",
                       "{file}:新导入 {new} 条,补全 {completed} 条,已导入过 {already} 条"),
    "import.empty": ("{file} has no rows", "{file} 中没有数据行"),
    "import.progress": ("importing", "正在导入"),
    "import.unknown_column": ("not a column of this kind of record",
                              "无法识别的列名(见 README 的列名表)"),
    "import.twice": ("the same column as {other!r}", "与「{other}」是同一列"),
    "import.required": ("required", "必填"),
    "import.order": ("cannot {move} once the case is {state}; then allowed: {allowed}",
                     "案件「{state}」后不能「{move}」;此时可办理:{allowed}"),
    "import.unused": ("given, but the row gives no day for a move that records it",
                      "已填写,但没有填写相应办理环节的日期"),
    "import.same_source": ("the same id as row {other}", "与第 {other} 行编号相同"),
    "import.state": ("says {said}, but the days given lead to {reached}",
                     "填写为「{said}」,但按所填日期应为「{reached}」"),
    "import.on_register": ("{worker} is on the register already (not by an import)",
                           "{worker} 已在困难职工档案中(非导入)"),
    "import.not_choice": ("{value!r} is not one of: {choices}", "「{value}」不是可选值:{choices}"),
    "import.not_yes_no": ("{value!r}: yes or no", "「{value}」:请填写 是 或 否"),
    "import.not_whole": ("{value!r} is not a whole number", "「{value}」不是整数"),
    "import.not_number": ("{value!r} is not a number", "「{value}」不是数字"),
    "import.not_date": ("{value!r} is not a date (2023-03-01)",
                        "「{value}」不是日期(如 2023-03-01)"),
    # a fund's ledger as a sheet
    "ledger.number": ("No.", "序号"),
    "ledger.at": ("Date", "日期"),
    "ledger.purpose": ("Purpose", "用途"),
    "ledger.amount": ("Amount (yuan)", "金额(元)"),
    "ledger.party": ("From / to", "来源/对象"),
    "ledger.note": ("Reason for correction", "更正原因"),
    "ledger.balance": ("Balance (yuan)", "余额(元)"),
    "ledger.actor": ("Recorded by", "经办人"),
    "ledger.recorded_at": ("Recorded at", "录入时间"),
    # the desk's own words, kept here so that one table holds the glossary
    "desk.sign_in": ("Sign in", "登录"),
    "desk.sign_out": ("Sign out", "退出"),
    "desk.my_caseload": ("My caseload", "我的案件"),
}

#: Traditional forms OpenCC gets wrong for union staff: it keeps mainland words (登錄,
#: 退出) where the glossary has 登入 / 登出. Only these are spelled out by hand.
TRADITIONAL_OVERRIDES = {"desk.sign_in": "登入", "desk.sign_out": "登出"}


def _build() -> tuple[dict[str, tuple[str, str]], dict[str, str | None]]:
    names = dict(_WORDS)
    units: dict[str, str | None] = {}
    for code, words in _UNITS.items():
        names[f"unit.{code}"] = words
    for section, figures in _FIGURES.items():
        for figure, (en, hans, counted_in) in figures.items():
            names[f"{section}.{figure}"] = (en, hans)
            units[f"{section}.{figure}"] = counted_in
    return names, units


_NAMES, _FIGURE_UNITS = _build()

#: Every key the table holds.
KEYS = frozenset(_NAMES)

# ---- the API -----------------------------------------------------------------------------


def normalise_lang(lang: str) -> str:
    """"en", "zh-Hans" or "zh-Hant" for any tag we accept (zh and zh-CN are simplified,
    zh-TW traditional; case and "_" for "-" do not matter); anything else is refused."""
    found = _ALIASES.get(lang.strip().lower().replace("_", "-"))
    if found is None:
        raise InvalidInput({"lang": f"{lang!r}: use en, zh (simplified, also zh-Hans) "
                                    "or zh-Hant (traditional)"})
    return found


def name(key: str, lang: str) -> str:
    """What `key` is called in `lang`, without its unit."""
    lang = normalise_lang(lang)
    try:
        en, hans = _NAMES[key]
    except KeyError:
        raise KeyError(f"no label {key!r} in casework.labels") from None
    if lang == "en":
        return en
    if lang == "zh-Hans":
        return hans
    return TRADITIONAL_OVERRIDES.get(key) or _hant(key)


def unit(key: str, lang: str) -> str | None:
    """The unit figure `key` is counted in, in `lang` (None for rates and for figures whose
    members carry their own)."""
    code = _FIGURE_UNITS.get(key)
    return None if code is None else name(f"unit.{code}", lang)


def label(key: str, lang: str) -> str:
    """What a report prints for `key` in `lang`: its name and, for a figure, its unit."""
    return with_unit(name(key, lang), unit(key, lang), lang)


def error(e: Exception, lang: str) -> str:
    """An error in `lang` where the table words it (from the error's own fields: a fund's
    shortfall names its fund, day and amount); any other as raised."""
    key = f"error.{type(e).__name__}"
    if key not in _NAMES:
        return str(e)
    fields = {k: f"{v:.2f}" if isinstance(v, Decimal) else v for k, v in vars(e).items()}
    return name(key, lang).format(**fields)


def with_unit(text: str, unit_name: str | None, lang: str) -> str:
    """ "涉案金额" + "元" → "涉案金额(元)"; "Amount at stake (yuan)" in English."""
    if unit_name is None:
        return text
    return f"{text} ({unit_name})" if normalise_lang(lang) == "en" else f"{text}({unit_name})"


def traditional(text: str) -> str:
    """Simplified → traditional Chinese, as OpenCC's s2tw writes it."""
    converted: str = _converter().convert(text)
    return converted


@cache
def _hant(key: str) -> str:
    return traditional(_NAMES[key][1])


@cache
def _converter() -> OpenCC:
    """Loaded on first use: English and simplified reports never pay for the dictionaries."""
    from opencc import OpenCC

    return OpenCC("s2tw.json")


__all__ = ["KEYS", "LANGS", "TAGS", "label", "name", "normalise_lang", "traditional", "unit",
           "with_unit"]

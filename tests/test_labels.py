"""casework.labels: every word in three languages, the glossary's words, one source for both
Chinese scripts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from casework import labels
from casework.errors import InvalidInput
from casework.labels import KEYS, LANGS, label, name, normalise_lang, traditional
from casework.statistics.figures import AidFigures, DisputeFigures
from domain.values import AidReferral, Category, Channel, EscalationTarget, HelpKind

GLOSSARY = Path(__file__).resolve().parents[2] / "shared" / "GLOSSARY.md"
CJK = re.compile(r"[\u4e00-\u9fff]")

#: The figures the flow returns add (issue 14), beside today's fields of figures.py.
FLOW = ("opening", "received", "concluded", "closing", "concluded_by_outcome", "resolved",
        "terminated", "withdrawn", "declined", "answered", "referred", "arbitration_applied",
        "performance_rate", "collective", "collective_workers")
WARNINGS = ("reported", "verified", "resolved_at_source", "became_disputes",
            "resolved_at_source_share", "by_officer", "by_enterprise")
#: domain.warnings.Risk (on the branch that brings early warnings).
RISKS = ("wage_arrears", "closure", "layoffs", "relocation", "social_insurance", "other")

#: Where the glossary has the word, the label is the glossary's word (simplified).
GLOSSARY_WORDS = {
    "disputes.opening": "上期未结", "disputes.received": "本期受理",
    "disputes.concluded": "本期结案", "disputes.closing": "期末未结",
    "disputes.resolved": "调解成功", "disputes.terminated": "终止调解",
    "disputes.declined": "不予受理", "disputes.answered": "咨询答复", "disputes.referred": "转介",
    "disputes.arbitration_applied": "申请仲裁", "disputes.overdue": "超期",
    "disputes.due_soon": "即将到期", "disputes.handling_rate": "调处率",
    "disputes.success_rate": "成功率", "disputes.performance_rate": "履行率",
    "disputes.collective": "集体劳动争议", "disputes.amount_involved": "涉案金额",
    "aid.received": "接待", "aid.handled": "处理", "aid.implemented": "落实",
    "aid.feedback": "反馈", "aid.one_off_paid": "临时困难救助金", "aid.referrals": "介绍再就业",
    "warnings.resolved_at_source": "源头化解", "section.warnings": "预警信息",
    "category.labor_contract": "劳动合同", "category.wages": "工资",
    "category.work_injury": "工伤", "category.social_insurance": "社会保险",
    "category.other": "其他", "channel.visit": "来访", "channel.phone": "来电",
    "channel.letter": "来信", "channel.online": "网上", "help.one_off": "临时困难救助金",
    "help.referral": "介绍再就业", "state.dispute.mediating": "调解中",
    "desk.sign_in": "登录", "desk.sign_out": "退出", "desk.my_caseload": "我的案件",
}


def glossary() -> list[tuple[str, str]]:
    """(simplified, traditional) for every term of the glossary; "A / B" is two terms."""
    if not GLOSSARY.exists():
        pytest.skip(f"no glossary at {GLOSSARY}")
    pairs: list[tuple[str, str]] = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not CJK.search(cells[1]) or cells[0].startswith("English"):
            continue
        hans, hant = cells[1].split(" / "), cells[2].split(" / ")
        assert len(hans) == len(hant), line
        pairs += zip(hans, hant, strict=True)
    assert len(pairs) > 60
    return pairs


def test_every_key_has_all_three_languages() -> None:
    for key in KEYS:
        en, hans, hant = (label(key, lang) for lang in LANGS)
        assert en and not CJK.search(en), key
        assert CJK.search(hans) and CJK.search(hant), key
        assert label(key, "zh") == hans
    assert len({label(k, "zh-Hant") for k in KEYS} - {label(k, "zh") for k in KEYS}) > 50


def test_every_figure_the_reports_show_has_a_label() -> None:
    for section, fields in (("disputes", [*DisputeFigures.model_fields, *FLOW]),
                            ("aid", [*AidFigures.model_fields, "opening", "received",
                                     "concluded", "closing", "concluded_by_outcome"]),
                            ("warnings", WARNINGS)):
        for field in fields:
            assert f"{section}.{field}" in KEYS, f"{section}.{field}"
    vocabularies = (("category", get_args(Category)), ("channel", get_args(Channel)),
                    ("help", get_args(HelpKind)), ("risk", RISKS),
                    ("target", get_args(EscalationTarget) + get_args(AidReferral)))
    for prefix, values in vocabularies:
        for value in values:
            assert f"{prefix}.{value}" in KEYS, f"{prefix}.{value}"


def test_units_are_the_statistics_units() -> None:
    assert [name(f"unit.{u}", "zh") for u in ("case", "person_time", "yuan", "household",
                                               "person")] == ["件", "人次", "元", "户", "人"]
    assert label("disputes.workers_involved", "zh") == "涉及职工(人次)"  # the glossary's
    assert label("disputes.amount_involved", "zh") == "涉案金额(元)"
    assert label("disputes.amount_involved", "zh-Hant") == "涉案金額(元)"
    assert label("disputes.amount_involved", "en") == "Amount at stake (yuan)"
    assert label("disputes.success_rate", "zh") == "成功率"  # a rate has no unit
    assert label("aid.subsidy_households", "zh-Hant") == "補助對象(戶)"


def test_labels_use_the_glossarys_words() -> None:
    pairs = dict(glossary())
    for key, word in GLOSSARY_WORDS.items():
        assert word in pairs, f"{word} is no longer in the glossary"
        assert name(key, "zh") == word, key
        assert name(key, "zh-Hant") == pairs[word], key
    assert "劳动争议" in name("section.disputes", "zh")
    assert "困难职工帮扶" in name("section.aid", "zh")


def test_the_glossarys_traditional_column_is_what_labels_produce() -> None:
    """Each glossary term converts to its traditional column (by OpenCC, or by the one
    override where OpenCC keeps a mainland word), and so does every label holding it."""
    pairs = glossary()
    by_name = {name(k, "zh"): k for k in KEYS}
    for hans, hant in pairs:
        converted = name(by_name[hans], "zh-Hant") if hans in by_name else traditional(hans)
        assert converted == hant, (hans, converted, hant)
    for key in KEYS:
        for hans, hant in pairs:
            if hans in name(key, "zh") and key not in labels.TRADITIONAL_OVERRIDES:
                assert hant in name(key, "zh-Hant"), (key, hans, hant)


def test_traditional_is_derived_and_goes_back_to_the_simplified() -> None:
    """One source: every traditional label is the conversion of its simplified one (bar the
    overrides), and converts back to it."""
    from opencc import OpenCC

    back = OpenCC("t2s.json")
    for key in KEYS - set(labels.TRADITIONAL_OVERRIDES):
        assert name(key, "zh-Hant") == traditional(name(key, "zh"))
        assert back.convert(name(key, "zh-Hant")) == name(key, "zh"), key
    assert name("warnings.verified", "zh-Hant") == "核實"  # the source's 核, not OpenCC's 覈
    assert name("warnings.became_disputes", "zh-Hant") == "轉為勞動爭議"  # 為, not 爲


@pytest.mark.parametrize(("tag", "lang"), [
    ("en", "en"), ("zh", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("zh-CN", "zh-Hans"),
    ("zh-cn", "zh-Hans"), ("zh_CN", "zh-Hans"), ("zh-Hant", "zh-Hant"), ("zh-TW", "zh-Hant"),
])
def test_language_tags(tag: str, lang: str) -> None:
    assert normalise_lang(tag) == lang


@pytest.mark.parametrize("tag", ["fr", "zh-HK", "", "english", "zh-Hans-CN"])
def test_other_languages_are_refused_in_one_line(tag: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        normalise_lang(tag)
    message = str(refused.value)
    assert "\n" not in message and repr(tag) in message and "zh-Hant" in message
    with pytest.raises(InvalidInput):
        label("disputes.received", tag)


def test_an_unknown_key_says_which() -> None:
    with pytest.raises(KeyError, match=r"disputes\.nonsense"):
        label("disputes.nonsense", "en")

"""The mediation rules and the working-day calendar, pure: no store, no application.

Dates are chosen where the law or the calendar changes: the 2008-05-01 and 2012-01-01
boundaries, and the 2023 Mid-Autumn/National Day holiday (2023-09-29..10-06 off, the
Saturday and Sunday 2023-10-07/08 worked in exchange).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.procedure import (
    AID_CENTRE,
    BODY_KINDS,
    ENTERPRISE_COMMITTEE,
    FEDERATION,
    MEDIATION_KINDS,
    PEOPLES_MEDIATION,
    RULES,
    STREET_CENTRE,
    ClockNotStarted,
    ExtensionRefused,
    NoMediationRule,
    UnknownRule,
    acceptance_due,
    check_rules,
    deadline,
    extension_refusal,
    review_due,
    rule_by_id,
    rule_for,
)
from workflows.workdays import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarNotCovered,
    add_days,
    add_working_days,
    is_working_day,
    working_days_between,
)

LAW, ORDER17, REG1993 = rule_by_id("LDMAL-14"), rule_by_id("MOHRSS17-29"), rule_by_id("SC117-10")
D = date

# -- working days ---------------------------------------------------------------------------


def test_the_2023_national_day_holiday_is_not_worked() -> None:
    holiday = [D(2023, 9, 29) + timedelta(days=i) for i in range(8)]  # 09-29 .. 10-06
    assert [is_working_day(d) for d in holiday] == [False] * 8
    assert D(2023, 10, 2).weekday() == 0  # a Monday, and still a holiday


def test_the_make_up_saturday_and_sunday_are_worked() -> None:
    assert D(2023, 10, 7).weekday() == 5 and is_working_day(D(2023, 10, 7))
    assert D(2023, 10, 8).weekday() == 6 and is_working_day(D(2023, 10, 8))
    assert not is_working_day(D(2023, 10, 14))  # an ordinary Saturday


def test_working_days_skip_the_holiday_and_count_the_make_up_days() -> None:
    assert add_working_days(D(2023, 9, 28), 1) == D(2023, 10, 7)
    assert add_working_days(D(2023, 9, 28), 2) == D(2023, 10, 8)
    assert add_working_days(D(2023, 9, 28), 3) == D(2023, 10, 9)
    assert add_working_days(D(2023, 9, 28), 0) == D(2023, 9, 28)
    assert working_days_between(D(2023, 9, 28), D(2023, 10, 9)) == 3
    assert working_days_between(D(2023, 10, 9), D(2023, 9, 28)) == 0


def test_add_days_counts_calendar_or_working_days() -> None:
    assert add_days(D(2023, 9, 28), 3, working=False) == D(2023, 10, 1)
    assert add_days(D(2023, 9, 28), 3, working=True) == D(2023, 10, 9)


def test_negative_day_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(D(2023, 3, 1), -1)
    with pytest.raises(ValueError):
        add_days(D(2023, 3, 1), -1, working=False)


@pytest.mark.parametrize("day", [D(LAST_YEAR + 1, 1, 4), D(FIRST_YEAR - 1, 6, 2)])
def test_a_date_outside_the_calendar_is_an_error_that_names_the_covered_years(day: date) -> None:
    with pytest.raises(CalendarNotCovered, match=f"{FIRST_YEAR}–{LAST_YEAR}") as caught:
        is_working_day(day)
    assert isinstance(caught.value, ValueError) and caught.value.day == day
    assert day.isoformat() in str(caught.value)


def test_counting_working_days_into_an_uncovered_year_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarNotCovered):
        add_working_days(D(LAST_YEAR, 12, 30), 10)


def test_calendar_days_need_no_holiday_calendar() -> None:
    assert add_days(D(LAST_YEAR + 5, 12, 30), 15, working=False) == D(LAST_YEAR + 6, 1, 14)


covered = st.dates(min_value=D(FIRST_YEAR, 1, 1), max_value=D(LAST_YEAR, 10, 31))


@given(covered, st.integers(min_value=1, max_value=30))
def test_the_nth_working_day_after_is_a_working_day_and_the_nth(d: date, n: int) -> None:
    later = add_working_days(d, n)
    assert later > d
    assert is_working_day(later)
    assert working_days_between(d, later) == n
    assert working_days_between(d, later - timedelta(days=1)) == n - 1  # none skipped


@given(covered, st.integers(min_value=0, max_value=400))
def test_calendar_days_are_plain_arithmetic(d: date, n: int) -> None:
    assert (add_days(d, n, working=False) - d).days == n


# -- which rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "received", "rule_id"),
    [
        (ENTERPRISE_COMMITTEE, D(1993, 8, 1), "SC117-10"),
        (ENTERPRISE_COMMITTEE, D(2008, 4, 30), "SC117-10"),
        (ENTERPRISE_COMMITTEE, D(2008, 5, 1), "LDMAL-14"),
        (ENTERPRISE_COMMITTEE, D(2011, 12, 31), "LDMAL-14"),
        (ENTERPRISE_COMMITTEE, D(2012, 1, 1), "MOHRSS17-29"),
        (ENTERPRISE_COMMITTEE, D(2040, 1, 1), "MOHRSS17-29"),
        (STREET_CENTRE, D(2008, 5, 1), "LDMAL-14"),
        (STREET_CENTRE, D(2012, 1, 1), "LDMAL-14"),
        (PEOPLES_MEDIATION, D(2008, 5, 1), "LDMAL-14"),
        (PEOPLES_MEDIATION, D(2023, 10, 7), "LDMAL-14"),
    ],
)
def test_the_rule_is_the_version_in_force_on_the_day_received(
    kind: str, received: date, rule_id: str
) -> None:
    assert rule_for(kind, received).id == rule_id


@pytest.mark.parametrize(
    ("kind", "received"),
    [(STREET_CENTRE, D(2008, 4, 30)), (PEOPLES_MEDIATION, D(2001, 1, 1)),
     (ENTERPRISE_COMMITTEE, D(1993, 7, 31))],
)
def test_no_rule_before_the_first_came_into_force(kind: str, received: date) -> None:
    with pytest.raises(NoMediationRule, match="came into force on"):
        rule_for(kind, received)


@pytest.mark.parametrize("kind", [AID_CENTRE, FEDERATION, "court", ""])
def test_bodies_that_do_not_mediate_have_no_rule(kind: str) -> None:
    with pytest.raises(NoMediationRule) as caught:
        rule_for(kind, D(2023, 3, 1))
    assert isinstance(caught.value, ValueError)


def test_the_mediating_kinds() -> None:
    assert set(MEDIATION_KINDS) == {STREET_CENTRE, ENTERPRISE_COMMITTEE, PEOPLES_MEDIATION}
    assert set(BODY_KINDS) - set(MEDIATION_KINDS) == {AID_CENTRE, FEDERATION}


def test_a_new_rule_is_a_row_and_a_received_case_keeps_its_version() -> None:
    amended = replace(LAW, id="LDMAL2031-14", in_force_from=D(2031, 1, 1), days=20,
                      body_kinds=frozenset({STREET_CENTRE}))
    rules = (*RULES, amended)
    check_rules(rules)
    assert rule_for(STREET_CENTRE, D(2030, 12, 31), rules).id == "LDMAL-14"
    assert rule_for(STREET_CENTRE, D(2031, 1, 1), rules).id == "LDMAL2031-14"
    assert rule_for(PEOPLES_MEDIATION, D(2031, 1, 1), rules).id == "LDMAL-14"
    assert rule_by_id("LDMAL-14", rules) is LAW  # a stored case still finds its version


def test_a_table_with_a_clash_is_refused() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        check_rules((*RULES, replace(LAW, in_force_from=D(2030, 1, 1))))
    with pytest.raises(ValueError, match=r"two rules for \w+ come into force on 2008-05-01"):
        check_rules((*RULES, replace(LAW, id="OTHER")))


def test_a_malformed_row_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown body kind"):
        replace(LAW, id="X", body_kinds=frozenset({"street centre"}))
    with pytest.raises(ValueError, match="extension cap"):
        replace(LAW, id="X", extension_cap_days=15)
    with pytest.raises(ValueError, match="acceptance period"):
        replace(LAW, id="X", acceptance_working_days=3)
    with pytest.raises(ValueError, match="counts_from"):
        replace(LAW, id="X", counts_from="filed")  # type: ignore[arg-type]


def test_rules_are_found_by_id_and_cite_their_article() -> None:
    for r in RULES:
        assert rule_by_id(r.id) is r
        assert r.article.startswith("第") and r.article.endswith("条")
        assert r.citation.startswith("《") and r.citation.endswith(r.article)
    assert LAW.citation == "《中华人民共和国劳动争议调解仲裁法》第十四条"
    with pytest.raises(UnknownRule, match="no rule 'LDMAL-99'"):
        rule_by_id("LDMAL-99")


@given(st.sampled_from(MEDIATION_KINDS), st.dates(min_value=D(2008, 5, 1)))
def test_the_chosen_rule_is_in_force_and_none_newer_is(kind: str, received: date) -> None:
    rule = rule_for(kind, received)
    assert kind in rule.body_kinds and rule.in_force_from <= received
    assert not [r for r in RULES if kind in r.body_kinds
                and rule.in_force_from < r.in_force_from <= received]


# -- deadlines ------------------------------------------------------------------------------


def test_the_law_counts_15_calendar_days_from_receipt_through_a_holiday() -> None:
    assert (LAW.counts_from, LAW.days, LAW.working_days) == ("received", 15, False)
    assert deadline(LAW, D(2023, 9, 28)) == D(2023, 10, 13)
    assert deadline(LAW, D(2023, 9, 28), accepted_on=D(2023, 10, 9)) == D(2023, 10, 13)


def test_an_enterprise_committee_between_the_law_and_order_17_counts_from_receipt() -> None:
    rule = rule_for(ENTERPRISE_COMMITTEE, D(2010, 3, 1))
    assert deadline(rule, D(2010, 3, 1), accepted_on=D(2010, 3, 4)) == D(2010, 3, 16)
    assert acceptance_due(rule, D(2010, 3, 1)) is None


def test_the_1993_regulations_gave_30_days_and_need_no_holiday_calendar() -> None:
    rule = rule_for(ENTERPRISE_COMMITTEE, D(2000, 1, 10))
    assert rule is REG1993
    assert deadline(rule, D(2000, 1, 10)) == D(2000, 2, 9)  # 2000 is before the calendar


def test_order_17_counts_15_days_from_acceptance() -> None:
    received, accepted = D(2023, 9, 27), D(2023, 10, 7)
    assert acceptance_due(ORDER17, received) == D(2023, 10, 8)  # 3rd working day: a Sunday
    assert deadline(ORDER17, received, accepted) == D(2023, 10, 22)
    assert deadline(ORDER17, received, accepted, extension_days=15) == D(2023, 11, 6)
    assert deadline(ORDER17, received, accepted, extension_days=7) == D(2023, 10, 29)


def test_order_17_has_no_deadline_before_acceptance() -> None:
    with pytest.raises(ClockNotStarted, match="MOHRSS17-29"):
        deadline(ORDER17, D(2023, 9, 27))


def test_acceptance_cannot_precede_receipt() -> None:
    with pytest.raises(ValueError, match="before received"):
        deadline(ORDER17, D(2023, 9, 27), accepted_on=D(2023, 9, 26))


def test_a_deadline_in_working_days_follows_the_holiday_calendar() -> None:
    rule = replace(LAW, id="W", days=3, working_days=True)
    assert deadline(rule, D(2023, 9, 28)) == D(2023, 10, 9)
    with pytest.raises(CalendarNotCovered):
        deadline(rule, D(LAST_YEAR, 12, 30))


def test_acceptance_due_outside_the_calendar_is_an_error() -> None:
    with pytest.raises(CalendarNotCovered):
        acceptance_due(ORDER17, D(LAST_YEAR, 12, 30))


def test_the_arbitration_review_application_is_due_15_days_after_the_agreement() -> None:
    assert review_due(ORDER17, D(2023, 10, 20)) == D(2023, 11, 4)
    assert review_due(LAW, D(2023, 10, 20)) is None


# -- extensions -----------------------------------------------------------------------------


def test_the_law_and_the_1993_regulations_allow_no_extension() -> None:
    for rule in (LAW, REG1993):
        reason = extension_refusal(rule, already_extended=False, days=5)
        assert reason is not None
        assert "allows no extension" in reason and rule.id in reason
    with pytest.raises(ExtensionRefused, match="allows no extension"):
        deadline(LAW, D(2023, 3, 1), extension_days=5)


def test_order_17_allows_one_extension_of_at_most_15_days_by_consent() -> None:
    assert extension_refusal(ORDER17, already_extended=False, days=15) is None
    assert extension_refusal(ORDER17, already_extended=False, days=1) is None
    assert extension_refusal(ORDER17, True, 5) == "a case may be extended once"
    too_long = extension_refusal(ORDER17, already_extended=False, days=16)
    assert too_long is not None and "at most 15 days" in too_long
    assert extension_refusal(ORDER17, False, 0) == "an extension must be at least 1 day"
    refused = extension_refusal(ORDER17, False, 5, consent=False)
    assert refused is not None and "both parties" in refused
    with pytest.raises(ExtensionRefused, match="at most 15 days"):
        deadline(ORDER17, D(2023, 9, 27), D(2023, 10, 7), extension_days=16)

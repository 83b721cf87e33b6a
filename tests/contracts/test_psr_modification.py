"""The reg 13 test (contracts.rules.psr_modification) as a table of cases.

PSR 2023 (SI 2023/1348) reg 13(1): (a) provided for and (b) provider identity are
permitted; (c) external factors if not materially different; (d) authority decision if
not materially different and the cumulative lifetime change is below £500,000 or less
than 25% of the original value (both strict). A notice is due for a permitted change of
its own of £500,000 or more. NHS England's guidance: Direct Award A or B contracts may be
modified if not materially different.
"""

from decimal import Decimal

import pytest

from contracts import rules

D = Decimal
A, B, C, DD = rules.PROVIDED_FOR, rules.PROVIDER_IDENTITY, rules.EXTERNAL, rules.AUTHORITY

CASES = [
    # id, original, earlier, change, ground, materially different, awarded by,
    # permitted, notice
    ("d just below £500,000", "2000000", [], "499999.99", DD, False, "", True, False),
    ("d exactly £500,000 and 25%", "2000000", [], "500000", DD, False, "", False, False),
    ("d under 25% of a larger contract", "4000000", [], "999999.99", DD, False, "", True, True),
    ("d exactly 25% is not less than 25%", "4000000", [], "1000000", DD, False, "", False, False),
    ("d below £500,000 though 40%", "1000000", [], "400000", DD, False, "", True, False),
    ("d a reduction counts by its size", "1000000", [], "-600000", DD, False, "", False, False),
    ("d a reduction just below", "2000000", [], "-499999.99", DD, False, "", True, False),
    ("d a large reduction under 25%", "10000000", [], "-2000000", DD, False, "", True, True),
    ("d earlier changes add up", "2000000", ["300000"], "300000", DD, False, "", False, False),
    (
        "d earlier changes net off",
        "2000000",
        ["300000", "-200000"],
        "300000",
        DD,
        False,
        "",
        True,
        False,
    ),
    ("d a cut nets off a rise", "2000000", ["-400000"], "600000", DD, False, "", True, True),
    (
        "d earlier reach exactly £500,000",
        "2000000",
        ["400000"],
        "100000",
        DD,
        False,
        "",
        False,
        False,
    ),
    ("d materially different", "2000000", [], "1000", DD, True, "", False, False),
    ("a provided for, any size", "2000000", [], "5000000", A, False, "", True, True),
    ("a no material-difference test", "2000000", [], "1000", A, True, "", True, False),
    ("b provider identity", "2000000", [], "0", B, False, "", True, False),
    ("b no material-difference test", "2000000", [], "0", B, True, "", True, False),
    ("c external factors, any size", "2000000", [], "3000000", C, False, "", True, True),
    ("c materially different", "2000000", [], "1000", C, True, "", False, False),
    ("DAP A, any size", "2000000", [], "5000000", DD, False, "psr_direct_a", True, True),
    ("DAP B, any size", "2000000", ["900000"], "100000", DD, False, "psr_direct_b", True, False),
    ("DAP B materially different", "2000000", [], "1000", DD, True, "psr_direct_b", False, False),
    ("DAP A external, md", "2000000", [], "1000", C, True, "psr_direct_a", False, False),
    (
        "DAP C gets no such leeway",
        "2000000",
        [],
        "5000000",
        DD,
        False,
        "psr_direct_c",
        False,
        False,
    ),
    ("notice at exactly £500,000", "10000000", [], "500000", DD, False, "", True, True),
    ("notice on a cut of £500,000", "10000000", [], "-500000", DD, False, "", True, True),
    (
        "no notice for its own change below £500,000",
        "10000000",
        ["1000000"],
        "499999.99",
        DD,
        False,
        "",
        True,
        False,
    ),
]


@pytest.mark.parametrize(
    (
        "original",
        "earlier",
        "change",
        "ground",
        "materially_different",
        "awarded_by",
        "permitted",
        "notice",
    ),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_the_reg_13_test_permits_and_asks_for_notices_as_the_regulation_says(
    original, earlier, change, ground, materially_different, awarded_by, permitted, notice
):
    assessment = rules.psr_modification(
        D(original),
        [D(e) for e in earlier],
        D(change),
        ground=ground,
        materially_different=materially_different,
        awarded_by=awarded_by,
    )
    assert (assessment.permitted, assessment.notice_required) == (permitted, notice)
    if not permitted:
        assert "a new procurement is needed" in assessment.reason
    if notice:
        assert "transparency notice within 30 days" in assessment.reason


def test_the_table_has_at_least_twenty_cases():
    assert len(CASES) >= 20


def test_a_refused_modification_over_the_notice_threshold_needs_no_notice_but_a_procurement():
    assessment = rules.psr_modification(D("2000000"), [], D("750000"), ground=DD)
    assert not assessment.permitted
    assert not assessment.notice_required
    assert assessment.reason.endswith("a new procurement is needed.")
    assert "£750,000.00" in assessment.reason


def test_an_unknown_ground_is_refused():
    with pytest.raises(ValueError, match="Unknown modification ground"):
        rules.psr_modification(D("1"), [], D("0"), ground="whim")


def test_the_reason_names_the_cumulative_change_the_quarter_and_the_original_value():
    assessment = rules.psr_modification(D("4000000"), [D("600000")], D("400000"), ground=DD)
    assert assessment.reason.startswith(
        "The cumulative change since award, £1,000,000.00, is neither below £500,000 nor "
        "less than £1,000,000.00, 25% of the original value of £4,000,000.00."
    )

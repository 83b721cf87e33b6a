"""The report's pathway as it stood on the document's date (decisions.figures.pathway_lines)."""

from datetime import date
from types import SimpleNamespace

import pytest

from decisions.figures import pathway_lines

MEETING = date(2024, 7, 2)
STAGES = [
    ("Adult Social Care Scrutiny", date(2024, 6, 10)),
    ("Health Reform and Public Health Cabinet Committee", date(2024, 6, 20)),
    ("Cabinet", MEETING),  # the meeting the report goes to: its "To"
    ("Cabinet Member decision", date(2024, 7, 15)),
]
SCRUTINY = "Adult Social Care Scrutiny, 10 June 2024"
COMMITTEE = "Health Reform and Public Health Cabinet Committee, 20 June 2024"
MEMBER = "Cabinet Member decision, 15 July 2024"


def _decision(stages=STAGES, meeting_date=MEETING):
    rows = [SimpleNamespace(body=body, date=when) for body, when in stages]
    return SimpleNamespace(stages=SimpleNamespace(all=lambda: rows), meeting_date=meeting_date)


@pytest.mark.parametrize(
    ("as_of", "past", "future"),
    [
        (None, f"{SCRUTINY}; {COMMITTEE}", MEMBER),  # the live page: by the meeting only
        (MEETING, f"{SCRUTINY}; {COMMITTEE}", MEMBER),
        (date(2024, 6, 20), f"{SCRUTINY}; {COMMITTEE}", MEMBER),  # on the stage's day
        (date(2024, 6, 15), SCRUTINY, f"{COMMITTEE}; {MEMBER}"),
        (date(2024, 6, 1), "N/A", f"{SCRUTINY}; {COMMITTEE}; {MEMBER}"),
        # Issued after the meeting, the report's future pathway is still its future.
        (date(2024, 8, 1), f"{SCRUTINY}; {COMMITTEE}", MEMBER),
    ],
)
def test_stages_dated_after_the_documents_date_are_future_pathway(as_of, past, future):
    assert pathway_lines(_decision(), as_of=as_of) == (past, future)


def test_an_undated_stage_before_the_meeting_stays_past_whatever_the_date():
    stages = [("Scrutiny", None), ("Cabinet", MEETING), ("Cabinet Member decision", None)]
    assert pathway_lines(_decision(stages), as_of=date(2024, 1, 1)) == (
        "Scrutiny",
        "Cabinet Member decision",
    )

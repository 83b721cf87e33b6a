"""The timeline's line: "Today" on the live pages; "As at <date>", or none, in documents."""

from datetime import date

import pytest

from contracts.figures import figures_for
from contracts.timeline import AS_AT, TODAY, TODAY_COLOUR, timeline_svg
from tests.contracts.factories import ContractFactory, OptionFactory
from tests.contracts.test_detail import _Prefetched

ON = date(2026, 6, 1)


def _svg(**kwargs) -> str:
    contract = ContractFactory.build(
        pk=7, reference="T-1", start_date=date(2025, 2, 1), initial_end_date=date(2027, 1, 31)
    )
    prefetched = _Prefetched(contract, [OptionFactory.build(sequence=1, months=24)])
    return timeline_svg(prefetched, figures_for(prefetched, today=ON), ON, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "label", "description", "line"),
    [
        ({}, "Today, 1 Jun 2026", "Today is 1 Jun 2026.", True),
        ({"marker": TODAY}, "Today, 1 Jun 2026", "Today is 1 Jun 2026.", True),
        ({"marker": AS_AT}, "As at 1 Jun 2026", "As at 1 Jun 2026.", True),
        ({"marker": None}, None, None, False),
    ],
)
def test_the_line_is_labelled_as_its_caller_says(kwargs, label, description, line):
    svg = _svg(**kwargs)
    if label:
        assert f">{label}</text>" in svg
        assert description in svg
    assert (f'stroke="{TODAY_COLOUR}"' in svg) is line
    if kwargs.get("marker", TODAY) != TODAY:
        assert "Today" not in svg

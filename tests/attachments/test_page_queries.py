"""The decision and contract pages run the same queries with 1 attachment or 12: the
attachments (and their uploaders) are prefetched with the record, and their history
read in one query; the templates run none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.attachments.factories import attach
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import DecisionFactory

pytestmark = pytest.mark.django_db


def _counts(client, record, user) -> list[int]:
    counts = []
    for files in (1, 11):
        for n in range(files):
            attach(
                record,
                title=f"Appendix {len(counts)}-{n}",
                user=user,
                exempt_paragraph=3 if n % 3 == 0 else None,
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(record.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    return counts


def test_the_decision_page_reads_any_number_of_attachments_in_fixed_queries(
    commissioner_client, commissioner, clerk
):
    one, twelve = _counts(commissioner_client, DecisionFactory(), clerk)
    assert one == twelve


def test_the_contract_page_reads_any_number_of_attachments_in_fixed_queries(
    commissioner_client, commissioner
):
    one, twelve = _counts(commissioner_client, ContractFactory(), commissioner)
    assert one == twelve

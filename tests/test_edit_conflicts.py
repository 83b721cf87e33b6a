"""Every edit page refuses a form opened before someone else saved the record: the
loser sees what changed, with their own input kept, and saving again keeps theirs.

The form carries the version it was opened with; the check itself is in the model
(audit.versioning), so these tests go through each page that edits a record.
"""

import pytest
from django.urls import reverse

from tests.contracts.factories import AuthorityFactory, ProviderFactory, kent_contract
from tests.decisions.factories import (
    DecisionContractLinkFactory,
    DecisionFactory,
    PathwayStageFactory,
    RecommendationFactory,
    ReportSectionFactory,
)
from tests.grants.factories import (
    AllocationFactory,
    CommitmentFactory,
    FundingFactory,
    OutboundGrantFactory,
    ProgrammeFactory,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def _part(kind):
    return lambda record: reverse(f"decisions:{kind}_edit", args=[record.decision_id, record.pk])


# (who edits, how the record is made, its edit page, the field both people change)
PAGES = {
    "decision": (
        "clerk",
        DecisionFactory,
        lambda r: reverse("decisions:edit", args=[r.pk]),
        "title",
    ),
    "recommendation": ("clerk", RecommendationFactory, _part("recommendation"), "text"),
    "report section": ("clerk", ReportSectionFactory, _part("section"), "heading"),
    "pathway stage": ("clerk", PathwayStageFactory, _part("stage"), "body"),
    "contract link": (
        "clerk",
        lambda: DecisionContractLinkFactory(contract=kent_contract()),
        _part("contract_link"),
        "note",
    ),
    "provider": (
        "commissioner",
        ProviderFactory,
        lambda r: reverse("contracts:provider_edit", args=[r.pk]),
        "address",
    ),
    "authority": (
        "commissioner",
        AuthorityFactory,
        lambda r: reverse("contracts:authority_edit", args=[r.pk]),
        "short_name",
    ),
    "contract": (
        "commissioner",
        kent_contract,
        lambda r: reverse("contracts:edit", args=[r.pk]),
        "title",
    ),
    "allocation": (
        "commissioner",
        AllocationFactory,
        lambda r: reverse("grants:allocation_edit", args=[r.pk]),
        "conditions",
    ),
    "grant programme": (
        "commissioner",
        ProgrammeFactory,
        lambda r: reverse("grants:programme_edit", args=[r.pk]),
        "name",
    ),
    "commitment": (
        "commissioner",
        CommitmentFactory,
        lambda r: reverse("grants:commitment_edit", args=[r.pk]),
        "notes",
    ),
    "funding line": (
        "commissioner",
        FundingFactory,
        lambda r: reverse("grants:funding_edit", args=[r.pk]),
        "notes",
    ),
    "outbound grant": (
        "commissioner",
        OutboundGrantFactory,
        lambda r: reverse("grants:outbound_edit", args=[r.pk]),
        "title",
    ),
}


@pytest.mark.parametrize("kind", PAGES)
def test_a_form_opened_before_someone_else_saved_is_refused_with_the_input_kept(kind, request):
    role, make, url_for, field = PAGES[kind]
    client = request.getfixturevalue(f"{role}_client")
    record = make()
    url = url_for(record)
    opened = client.get(url)
    assert opened.status_code == 200
    data = form_data(opened.content.decode())
    assert data["version"] == str(record.version)

    theirs = type(record).objects.get(pk=record.pk)  # someone else, meanwhile
    setattr(theirs, field, "Their words")
    theirs.save()

    data[field] = "My words"
    refused = client.post(url, data)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Changed by someone else" in page
    assert "My words" in page  # the loser's input is kept
    assert "Their words" in page  # and they see what the other person saved
    record.refresh_from_db()
    assert getattr(record, field) == "Their words"
    assert record.version == theirs.version

    again = client.post(url, form_data(page))  # saving again, having seen theirs
    assert again.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "My words"

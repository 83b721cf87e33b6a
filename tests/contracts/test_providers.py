import pytest
from django.urls import reverse

from contracts.models import Provider
from tests.contracts.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def test_a_commissioner_adds_a_provider(commissioner_client):
    response = commissioner_client.post(
        reverse("contracts:provider_create"),
        {
            "name": "The Forward Trust",
            "provider_type": "vcse",
            "charity_number": "1001701",
            "company_number": "2580377",
            "is_vcse": "on",
        },
    )
    provider = Provider.objects.get(name="The Forward Trust")
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:provider_detail", args=[provider.pk])
    assert provider.company_number == "02580377"
    assert provider.is_vcse is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("charity_number", "12-AB", "Enter a charity number of 6 to 8 digits"),
        ("company_number", "ABC", "Enter a company number of 8 characters"),
        ("name", "", "This field is required."),
    ],
)
def test_invalid_provider_input_is_reshown_at_the_field(commissioner_client, field, value, message):
    data = {"name": "Aquarius", "provider_type": "vcse", field: value}
    response = commissioner_client.post(reverse("contracts:provider_create"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert b'class="govuk-error-summary"' in response.content
    assert f'href="#id_{field}"'.encode() in response.content
    assert not Provider.objects.filter(name="Aquarius").exists()


def test_a_duplicate_provider_name_is_refused(commissioner_client):
    ProviderFactory(name="Aquarius")
    response = commissioner_client.post(
        reverse("contracts:provider_create"), {"name": "Aquarius", "provider_type": "vcse"}
    )
    assert "already exists" in response.context["form"].errors["name"][0]


def test_a_clerk_cannot_edit_providers(clerk_client):
    provider = ProviderFactory()
    response = clerk_client.post(
        reverse("contracts:provider_edit", args=[provider.pk]),
        {"name": "Renamed", "provider_type": "vcse"},
    )
    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.name != "Renamed"


def test_the_provider_list_filters_sorts_and_exports(commissioner_client):
    ProviderFactory(name="Aquarius", provider_type="vcse", postcode="B1")
    ProviderFactory(name="Midlands NHS Trust", provider_type="nhs", charity_number="")
    response = commissioner_client.get(reverse("contracts:provider_list"), {"provider_type": "nhs"})
    names = [row.record.name for row in response.context["table"].rows]
    assert names == ["Midlands NHS Trust"]
    response = commissioner_client.get(reverse("contracts:provider_list"), {"sort": "-name"})
    names = [row.record.name for row in response.context["table"].rows]
    assert names == ["Midlands NHS Trust", "Aquarius"]
    export = commissioner_client.get(
        reverse("contracts:provider_list"), {"q": "aqua", "_export": "csv"}
    )
    lines = export.getvalue().decode().strip().splitlines()
    assert len(lines) == 2 and "Aquarius" in lines[1]


def test_the_provider_list_exports_xlsx(commissioner_client):
    ProviderFactory(name="Aquarius")
    export = commissioner_client.get(reverse("contracts:provider_list"), {"_export": "xlsx"})
    assert export.status_code == 200
    assert export.getvalue()[:2] == b"PK"


def test_an_authority_edit_keeps_its_history(commissioner_client):
    from tests.contracts.factories import AuthorityFactory

    authority = AuthorityFactory(name="Kent County Council")
    response = commissioner_client.post(
        reverse("contracts:authority_edit", args=[authority.pk]),
        {
            "name": "Kent County Council",
            "short_name": "KCC",
            "key_decision_threshold": "1000000",
            "call_in_working_days": "3",
            "decision_number_prefix": "KCC",
            "nation": "england_and_wales",
        },
    )
    assert response.status_code == 302
    authority.refresh_from_db()
    assert authority.call_in_working_days == 3
    assert authority.history.latest().changes["call-in period (working days)"] == ["5", "3"]


def test_a_negative_threshold_is_refused(commissioner_client):
    response = commissioner_client.post(
        reverse("contracts:authority_create"),
        {
            "name": "X Council",
            "key_decision_threshold": "-1",
            "call_in_working_days": "5",
            "nation": "england_and_wales",
        },
    )
    assert response.status_code == 200
    assert "key_decision_threshold" in response.context["form"].errors


def test_the_provider_list_pages_by_the_chosen_page_size(commissioner_client):
    for n in range(30):
        ProviderFactory(name=f"Provider {n:02d}")
    response = commissioner_client.get(
        reverse("contracts:provider_list"), {"per_page": 10, "page": 3, "sort": "name"}
    )
    assert response.status_code == 200
    names = [row.record.name for row in response.context["table"].paginated_rows]
    assert names == [f"Provider {n:02d}" for n in range(20, 30)]


@pytest.mark.parametrize("kind", ["provider", "authority"])
def test_a_provider_or_authority_page_shows_its_latest_changes_in_the_same_queries_at_2_or_50(
    auditor_client, kind
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contracts.views import HISTORY_ROWS
    from tests.contracts.factories import AuthorityFactory

    record = (ProviderFactory if kind == "provider" else AuthorityFactory)(name="Start")
    counts = []
    for changes in (1, 49):
        for n in range(changes):
            record.name = f"Name {record.version}-{n}"
            record.save()
        with CaptureQueriesContext(connection) as queries:
            response = auditor_client.get(record.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(response.context["history"]) == HISTORY_ROWS
    assert response.context["history"][0].changes[0][2] == record.name

"""Grants a council awards (Kent's £1m local grants programme) and their 360Giving files,
validated against the official 360Giving 1.4.3 schema vendored in grants/schemas/."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import jsonschema
import pytest
from django.urls import reverse
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from grants import giving
from grants.models import OutboundGrant
from tests.grants.factories import OutboundGrantFactory, OutboundProgrammeFactory
from tests.schema_formats import FORMATS

pytestmark = pytest.mark.django_db


def _schema(name: str) -> dict:
    return json.loads((giving.SCHEMA_DIR / name).read_text(encoding="utf-8"))


GRANT_SCHEMA = _schema("360-giving-schema.json")
PACKAGE_SCHEMA = _schema("360-giving-package-schema.json")
# The package schema refers to the grant schema by its published URL; resolve it to the
# vendored copy so the tests need no network. The schema names its dialect
# "http://json-schema.org/draft/2020-12/schema", which is draft 2020-12 spelt oddly.
REGISTRY = Registry().with_resource(GRANT_SCHEMA["$id"], DRAFT202012.create_resource(GRANT_SCHEMA))


def validate_package(data: dict) -> None:
    validator = jsonschema.Draft202012Validator(
        PACKAGE_SCHEMA, registry=REGISTRY, format_checker=FORMATS
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def _unflatten(row: dict[str, str]) -> dict:
    """A 360Giving CSV row back to a grant object, using the schema's own titles
    ("Recipient Org:Charity Number" → recipientOrganization[0].charityNumber), as
    360Giving's flatten-tool does. A column the schema does not know fails the test."""
    by_title = {
        p.get("title", name.capitalize()): name for name, p in GRANT_SCHEMA["properties"].items()
    }
    grant: dict = {}
    for column, value in row.items():
        if value == "":
            continue
        head, _, tail = column.partition(":")
        name = by_title.get(head)
        assert name, f"the 360Giving schema has no field titled {head!r}"
        spec = GRANT_SCHEMA["properties"][name]
        if not tail:
            grant[name] = float(value) if spec.get("type") == "number" else value
            continue
        item_def = GRANT_SCHEMA["$defs"][spec["items"]["$ref"].rsplit("/", 1)[-1]]
        sub = {p.get("title"): key for key, p in item_def["properties"].items()}
        assert tail in sub, f"{head} has no field titled {tail!r}"
        grant.setdefault(name, [{}])[0][sub[tail]] = value
    return grant


@pytest.fixture
def kent_grants():
    programme = OutboundProgrammeFactory()
    return [
        OutboundGrantFactory(
            programme=programme,
            reference="LGP-001",
            recipient_name="Margate Youth Club",
            recipient_charity_number="1166577",
            amount=Decimal("15000.00"),
            location="Thanet",
        ),
        OutboundGrantFactory(
            programme=programme,
            reference="LGP-002",
            recipient_name="Dover Parents Network CIC",
            recipient_charity_number="",
            recipient_company_number="09876543",
            amount=Decimal("7250.50"),
            start_date=None,
            end_date=None,
        ),
        OutboundGrantFactory(
            programme=programme,
            reference="LGP-003",
            recipient_name="Ashford Young Carers group",
            recipient_charity_number="",
            amount=Decimal("4000.00"),
        ),
    ]


def test_the_360giving_json_validates_against_the_official_schema(commissioner_client, kent_grants):
    response = commissioner_client.get(reverse("grants:giving_json"))
    assert response.status_code == 200
    data = json.loads(response.content)
    validate_package(data)
    assert data["version"] == "1.4"
    ids = [grant["id"] for grant in data["grants"]]
    assert ids == ["360G-kentcc-LGP-001", "360G-kentcc-LGP-002", "360G-kentcc-LGP-003"]
    first, second, third = data["grants"]
    assert first["amountAwarded"] == 15000
    assert second["amountAwarded"] == 7250.5
    assert first["recipientOrganization"] == [
        {"id": "GB-CHC-1166577", "name": "Margate Youth Club", "charityNumber": "1166577"}
    ]
    assert second["recipientOrganization"][0]["id"] == "GB-COH-09876543"
    # No registered number: the council's own prefixed identifier.
    assert third["recipientOrganization"][0]["id"] == f"360G-kentcc-org-{kent_grants[2].pk}"
    assert first["fundingOrganization"] == [{"id": "GB-LAE-KEN", "name": "Kent County Council"}]
    assert first["plannedDates"] == [{"startDate": "2016-04-01", "endDate": "2017-03-31"}]
    assert "plannedDates" not in second


def test_the_360giving_csv_validates_against_the_official_schema(commissioner_client, kent_grants):
    response = commissioner_client.get(reverse("grants:giving_csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert len(rows) == 3
    package = {"version": "1.4", "grants": [_unflatten(row) for row in rows]}
    validate_package(package)
    assert [g["id"] for g in package["grants"]][0] == "360G-kentcc-LGP-001"
    assert rows[1]["Amount Awarded"] == "7250.50"
    assert rows[1]["Recipient Org:Company Number"] == "09876543"


def test_the_schema_check_can_fail(kent_grants):
    """The validator is not a rubber stamp: a grant missing a required field fails."""
    data = giving.package(OutboundGrant.objects.with_related())
    del data["grants"][0]["awardDate"]
    data["grants"][1]["amountAwarded"] = "7250.50"
    with pytest.raises(AssertionError, match="awardDate|amountAwarded"):
        validate_package(data)


def test_the_vendored_schema_carries_its_licence():
    licence = (giving.SCHEMA_DIR / "LICENSE.md").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0" in licence


def _form(programme, **overrides) -> dict:
    data = {
        "programme": programme.pk,
        "reference": "LGP-010",
        "title": "Holiday activities",
        "purpose": "Holiday activities for young carers in Swale.",
        "recipient_name": "Swale Young Carers",
        "recipient_charity_number": "1100001",
        "recipient_company_number": "",
        "amount": "£12,500",
        "award_date": "01/04/2016",
        "start_date": "01/04/2016",
        "end_date": "31/03/2017",
        "location": "Swale",
        "reason": "Awarded at the district panel",
    }
    data.update(overrides)
    return data


def test_a_commissioner_records_edits_and_deletes_a_grant_awarded(commissioner_client):
    programme = OutboundProgrammeFactory()
    response = commissioner_client.post(reverse("grants:outbound_create"), _form(programme))
    grant = OutboundGrant.objects.get()
    assert response.status_code == 302 and response["Location"] == grant.get_absolute_url()
    assert grant.amount == Decimal("12500.00")
    assert grant.giving_id == "360G-kentcc-LGP-010"

    url = reverse("grants:outbound_edit", args=[grant.pk])
    assert commissioner_client.get(url).status_code == 200
    response = commissioner_client.post(url, _form(programme, amount="13000", reason="Uplift"))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.amount == Decimal("13000.00")
    assert grant.history.latest().history_change_reason == "Uplift"
    page = commissioner_client.get(grant.get_absolute_url()).content.decode()
    assert "<strong>Amount awarded (£)</strong>: 12,500.00 → 13,000.00" in page
    assert "Uplift" in page

    url = reverse("grants:outbound_delete", args=[grant.pk])
    assert b"Yes, delete it" in commissioner_client.get(url).content
    assert OutboundGrant.objects.exists()
    assert commissioner_client.post(url, {"reason": "Withdrawn"}).status_code == 302
    assert not OutboundGrant.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"recipient_charity_number": "12-AB"}, "recipient_charity_number", "6 to 8 digits"),
        ({"recipient_company_number": "ABC"}, "recipient_company_number", "8 characters"),
        ({"amount": "0"}, "amount", "greater than £0"),
        ({"amount": "£35,368,00"}, "amount", "as an amount in pounds, for example"),
        ({"end_date": "31/03/2015"}, "end_date", "on or after the start date"),
        ({"award_date": "31/02/2016"}, "award_date", "Enter a real date"),
    ],
)
def test_a_bad_grant_is_reshown_with_its_message_and_nothing_saved(
    commissioner_client, overrides, field, message
):
    data = _form(OutboundProgrammeFactory(), **overrides)
    response = commissioner_client.post(reverse("grants:outbound_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not OutboundGrant.objects.exists()


def test_a_clerk_reads_grants_awarded_but_cannot_change_them(clerk_client):
    grant = OutboundGrantFactory()
    assert clerk_client.get(grant.get_absolute_url()).status_code == 200
    url = reverse("grants:outbound_edit", args=[grant.pk])
    response = clerk_client.post(url, _form(grant.programme, amount="1"))
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.amount == Decimal("15000.00")


def test_the_list_filters_and_exports(commissioner_client, kent_grants):
    url = reverse("grants:outbound_list")
    response = commissioner_client.get(url, {"q": "Margate"})
    assert [row.record.reference for row in response.context["table"].rows] == ["LGP-001"]
    export = commissioner_client.get(url, {"q": "Margate", "_export": "csv"})
    lines = export.getvalue().decode().strip().splitlines()
    assert len(lines) == 2 and "Margate Youth Club" in lines[1]


def test_the_list_and_exports_run_a_fixed_number_of_queries(
    commissioner_client, django_assert_max_num_queries
):
    for _ in range(12):
        OutboundGrantFactory(award_date=date(2016, 5, 1))
    for name in ("outbound_list", "giving_json", "giving_csv"):
        with django_assert_max_num_queries(12):
            assert commissioner_client.get(reverse(f"grants:{name}")).status_code == 200


def test_with_no_grants_there_is_no_empty_360giving_file(commissioner_client):
    # The package schema needs at least one grant, so an empty file would not validate.
    for name in ("giving_json", "giving_csv"):
        response = commissioner_client.get(reverse(f"grants:{name}"))
        assert response.status_code == 404
        assert "A 360Giving file must contain at least one grant" in response.content.decode()
    page = commissioner_client.get(reverse("grants:outbound_list")).content.decode()
    assert reverse("grants:giving_json") not in page
    with pytest.raises(AssertionError, match="should be non-empty|is too short"):
        validate_package({"version": "1.4", "grants": []})

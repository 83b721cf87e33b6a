"""The notices the app drafts (intention to award, contract award, modification): each
carries every Schedule 3 field on its page and in its PDF, is a draft until its
publication is recorded, and the intention notice shows the standstill end."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Contract, Modification
from decisions.models import DecisionContractLink
from psr import rules
from psr.models import Notice
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import DecisionContractLinkFactory, DecisionFactory
from tests.decisions.pdfs import pdf_text
from tests.psr.records_factories import AwardRecordFactory, ModificationFactory

pytestmark = pytest.mark.django_db


def _squeezed(text: str) -> str:
    """Text without whitespace, so a label wrapped across PDF lines still matches."""
    return re.sub(r"\s+", "", text)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _record(**kwargs):
    return AwardRecordFactory(
        contract=ContractFactory(
            reference="KCC-PH-YPDA-2025",
            title="Kent Young Persons Drug and Alcohol Service",
            procurement_route=Contract.Route.PSR_COMPETITIVE,
        ),
        intention_notice_on=date(2024, 3, 1),
        **kwargs,
    )


def _urls(kind: str) -> tuple[str, str]:
    """The page and PDF of a notice of ``kind``, made for the occasion."""
    if kind == "modification":
        record = _record()
        modification = ModificationFactory(contract=record.contract, sequence=1)
        return (
            reverse("psr:modification_notice", args=[modification.pk]),
            reverse("psr:modification_notice_pdf", args=[modification.pk]),
        )
    record = _record()
    return (
        reverse("psr:notice_detail", args=[record.pk, kind]),
        reverse("psr:notice_pdf", args=[record.pk, kind]),
    )


NOTICE_KINDS = ["intention", "award", "modification"]


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_each_notice_page_carries_every_schedule_3_field(auditor_client, kind):
    page_url, _ = _urls(kind)
    response = auditor_client.get(page_url)
    assert response.status_code == 200
    page = response.content.decode()
    for field in rules.SCHEDULE_3_FIELDS:
        assert field.label.replace("'", "&#x27;") in page, field.label
    labels = [label for label, _ in response.context["draft"].rows]
    assert labels[: len(rules.SCHEDULE_3_FIELDS)] == [f.label for f in rules.SCHEDULE_3_FIELDS]


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_each_notice_pdf_carries_every_schedule_3_field(auditor_client, kind):
    _, pdf_url = _urls(kind)
    response = auditor_client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    text = _squeezed(pdf_text(_content(response)))
    for field in rules.SCHEDULE_3_FIELDS:
        assert _squeezed(field.label) in text, field.label
    assert "KCC-PH-YPDA-2025" in text
    assert "DRAFT" in text


def test_the_intention_notice_gives_the_standstill_end(auditor_client):
    # Notice Friday 1 March 2024: 8 working days end on Wednesday 13 March (reg 12).
    record = _record()
    response = auditor_client.get(reverse("psr:notice_detail", args=[record.pk, "intention"]))
    rows = dict(response.context["draft"].rows)
    assert rows["Standstill period ends"] == "13/03/2024"
    assert rows["Notice published on"] == "01/03/2024"
    assert (
        "Kent Young Persons Drug and Alcohol Service (KCC-PH-YPDA-2025)"
        in rows["Contract title and reference"]
    )
    assert "85323000-9" in rows["Relevant health care services and the most relevant CPV code"]


def test_the_award_notice_flags_an_award_within_the_standstill(auditor_client):
    record = _record(awarded_on=date(2024, 3, 13))
    page = auditor_client.get(reverse("psr:notice_detail", args=[record.pk, "award"]))
    assert "on or before the end of the standstill period (13/03/2024)" in page.content.decode()
    assert dict(page.context["draft"].rows)["Contract awarded on"] == "13/03/2024"


def test_direct_award_a_publishes_no_intention_notice(auditor_client):
    record = AwardRecordFactory(
        contract=ContractFactory(procurement_route=Contract.Route.PSR_DIRECT_A)
    )
    url = reverse("psr:notice_detail", args=[record.pk, "intention"])
    assert auditor_client.get(url).status_code == 404
    assert (
        auditor_client.get(reverse("psr:notice_detail", args=[record.pk, "award"])).status_code
        == 200
    )
    assert (
        auditor_client.get(reverse("psr:notice_detail", args=[record.pk, "other"])).status_code
        == 404
    )


def test_recording_the_publication_ends_the_draft(commissioner_client):
    record = _record()
    url = reverse("psr:notice_published", args=[record.pk, "intention"])
    response = commissioner_client.post(
        url,
        {
            "published_on": "01/03/2024",
            "published_at": "https://www.find-tender.service.gov.uk/Notice/1",
        },
    )
    page_url = reverse("psr:notice_detail", args=[record.pk, "intention"])
    assert response["Location"] == page_url
    notice = Notice.objects.get(contract=record.contract, kind=Notice.Kind.INTENTION)
    assert notice.published_on == date(2024, 3, 1)
    assert notice.published_at == "https://www.find-tender.service.gov.uk/Notice/1"
    assert notice.history.count() == 1
    page = commissioner_client.get(page_url).content.decode()
    assert "Published" in page and "1 March 2024" in page
    pdf = pdf_text(
        _content(commissioner_client.get(reverse("psr:notice_pdf", args=[record.pk, "intention"])))
    )
    assert "DRAFT" not in pdf
    assert "Published on 01/03/2024" in pdf
    # Changing it later edits the same notice.
    commissioner_client.post(url, {"published_on": "04/03/2024", "published_at": ""})
    assert Notice.objects.get().published_on == date(2024, 3, 4)


def test_a_bad_publication_date_is_shown_again_with_its_message(commissioner_client):
    record = _record()
    url = reverse("psr:notice_published", args=[record.pk, "award"])
    response = commissioner_client.post(url, {"published_on": "31/02/2024", "published_at": "x"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Enter a real date." in errors["published_on"][0]
    assert "published_at" in errors
    response = commissioner_client.post(url, {"published_on": ""})
    assert response.context["form"].errors["published_on"] == [
        "Enter the date the notice was published."
    ]
    assert not Notice.objects.exists()


def test_auditors_and_clerks_cannot_record_a_publication(auditor_client, clerk_client):
    record = _record()
    url = reverse("psr:notice_published", args=[record.pk, "award"])
    for client in (auditor_client, clerk_client):
        assert client.post(url, {"published_on": "01/03/2024"}).status_code == 403
    assert not Notice.objects.exists()


def test_a_modification_of_500000_or_more_needs_a_notice_within_30_days(auditor_client):
    record = _record()
    modification = ModificationFactory(
        contract=record.contract,
        sequence=1,
        effective_date=date(2025, 6, 1),
        lifetime_value_change=Decimal("500000"),
        ground=Modification.Ground.PROVIDED_FOR,
    )
    decision = DecisionFactory(number="25/00012", decision_maker="Dan Watkins")
    DecisionContractLinkFactory(
        decision=decision,
        contract=record.contract,
        kind=DecisionContractLink.Kind.VARY,
        modification=modification,
    )
    response = auditor_client.get(reverse("psr:modification_notice", args=[modification.pk]))
    draft = response.context["draft"]
    rows = dict(draft.rows)
    assert draft.assessment.notice_required
    assert rows["Publish by"].startswith("01/07/2025")
    assert (
        "Dan Watkins" in rows["Award decision-makers"]
        and "25/00012" in rows["Award decision-makers"]
    )
    assert "Change in lifetime value: £500,000.00" in rows["Nature of the modification"]
    assert rows["Effective date of the modification"] == "01/06/2025"
    assert "no transparency notice is required" not in response.content.decode()


def test_a_modification_notice_names_an_exempt_decision_but_not_its_decision_maker(
    auditor_client,
):
    """The notice is for publication: of an exempt decision, only its public fields."""
    record = _record()
    modification = ModificationFactory(
        contract=record.contract, sequence=1, lifetime_value_change=Decimal("320000")
    )
    decision = DecisionFactory(
        number="25/00013",
        decision_maker="Secret Maker",
        exempt_paragraph=3,
        public_interest_reason="Commercial.",
    )
    DecisionContractLinkFactory(
        decision=decision,
        contract=record.contract,
        kind=DecisionContractLink.Kind.VARY,
        modification=modification,
    )
    for name in ("psr:modification_notice", "psr:modification_notice_pdf"):
        response = auditor_client.get(reverse(name, args=[modification.pk]))
        content = _content(response)
        text = content.decode() if name.endswith("notice") else _squeezed(pdf_text(content))
        assert "25/00013" in text
        assert "Secret" not in text


def test_a_smaller_modification_says_no_notice_is_required(auditor_client):
    record = _record()
    modification = ModificationFactory(
        contract=record.contract, sequence=1, lifetime_value_change=Decimal("320000")
    )
    response = auditor_client.get(reverse("psr:modification_notice", args=[modification.pk]))
    assert not response.context["draft"].assessment.notice_required
    assert "so no transparency notice is required" in response.content.decode()


def test_a_modification_notice_s_publication_is_recorded_against_it(commissioner_client):
    modification = ModificationFactory(sequence=1)
    url = reverse("psr:modification_notice_published", args=[modification.pk])
    commissioner_client.post(url, {"published_on": "15/06/2025"})
    notice = Notice.objects.get()
    assert (notice.kind, notice.modification, notice.contract) == (
        Notice.Kind.MODIFICATION,
        modification,
        modification.contract,
    )


def test_the_intention_notice_s_publication_form_offers_the_record_s_notice_date(
    commissioner_client,
):
    record = _record()
    page = commissioner_client.get(reverse("psr:notice_published", args=[record.pk, "intention"]))
    assert page.context["form"]["published_on"].value() == "01/03/2024"
    assert "correct the award record" in page.content.decode()

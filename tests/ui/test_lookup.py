"""The text look-up (ui/lookup.py): one match is chosen, several are offered to pick
from, none is an error on the field; exempt decisions keep their withheld fields; the
page's queries do not grow with the table."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.forms import OptionDecisionForm
from contracts.models import Authority
from decisions.models import DecisionContractLink
from tests.accounts.factories import UserFactory
from tests.contracts.factories import AuthorityFactory, ContractFactory, kent_contract
from tests.decisions.factories import DecisionContractLinkFactory, DecisionFactory
from tests.html_forms import form_data
from ui.lookup import AUTHORITIES, MAX_MATCHES_SHOWN, LookupField

pytestmark = pytest.mark.django_db


def _link_url(decision) -> str:
    return reverse("decisions:contract_link_add", args=[decision.pk])


def _post_link(client, decision, **data):
    return client.post(_link_url(decision), {"kind": "award", "note": "", **data})


def _radios(html: str) -> list[str]:
    return re.findall(r'name="contract__pick" type="radio" value="(\d+)"', html)


def test_one_matching_contract_is_chosen_from_part_of_its_reference(clerk_client):
    decision = DecisionFactory()
    wanted = ContractFactory(reference="KCC-PH-0123", title="Young people's substance misuse")
    ContractFactory(reference="KCC-PH-0456", title="Adult treatment")
    response = _post_link(clerk_client, decision, contract="ph-0123")
    assert response.status_code == 302
    assert DecisionContractLink.objects.get().contract == wanted


def test_several_matches_are_offered_then_the_one_picked_is_chosen(clerk_client):
    decision = DecisionFactory()
    first = ContractFactory(reference="KCC-PH-0001", title="Drug treatment")
    second = ContractFactory(reference="KCC-PH-0002", title="Drug outreach")
    ContractFactory(reference="KCC-PH-0003", title="Sexual health")
    shown = _post_link(clerk_client, decision, contract="drug")
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "2 contracts match “drug”" in html
    assert sorted(_radios(html)) == sorted([str(first.pk), str(second.pk)])
    assert 'value="drug"' in html  # the typed text is kept
    assert "KCC-PH-0002 Drug outreach" in html
    picked = _post_link(clerk_client, decision, contract="drug", contract__pick=second.pk)
    assert picked.status_code == 302
    assert DecisionContractLink.objects.get().contract == second


def test_a_pick_that_no_longer_matches_the_text_is_not_taken(clerk_client):
    decision = DecisionFactory()
    ContractFactory(reference="KCC-PH-0001", title="Drug treatment")
    ContractFactory(reference="KCC-PH-0002", title="Drug outreach")
    other = ContractFactory(reference="KCC-PH-0003", title="Sexual health")
    response = _post_link(clerk_client, decision, contract="drug", contract__pick=other.pk)
    assert response.status_code == 200
    assert not DecisionContractLink.objects.exists()


def test_at_most_20_matches_are_offered(clerk_client):
    decision = DecisionFactory()
    for n in range(MAX_MATCHES_SHOWN + 5):
        ContractFactory(reference=f"KCC-DA-{n:04d}", title="Drug service")
    html = _post_link(clerk_client, decision, contract="drug").content.decode()
    assert len(_radios(html)) == MAX_MATCHES_SHOWN
    assert f"More than {MAX_MATCHES_SHOWN} contracts match" in html


def test_no_match_is_an_error_on_the_field_naming_it(clerk_client):
    decision = DecisionFactory()
    ContractFactory(reference="KCC-PH-0001", title="Drug treatment")
    response = _post_link(clerk_client, decision, contract="nothing like it")
    assert response.status_code == 200
    assert response.context["form"].errors["contract"] == [
        "No contract matches “nothing like it”. Enter its reference or part of its name."
    ]
    assert 'href="#id_contract"' in response.content.decode()  # the error summary links it


def test_editing_shows_the_current_choice_as_text_and_saves_it_unchanged(clerk_client):
    contract = ContractFactory(reference="KCC-PH-0123", title="Young people's substance misuse")
    ContractFactory(reference="KCC-PH-01234", title="Another")
    link = DecisionContractLinkFactory(contract=contract)
    url = reverse("decisions:contract_link_edit", args=[link.decision_id, link.pk])
    page = clerk_client.get(url).content.decode()
    assert 'value="KCC-PH-0123 Young people&#x27;s substance misuse"' in page
    assert "<select" not in page.split('name="contract"')[0][-200:]
    data = form_data(page)
    data["note"] = "As agreed"
    assert clerk_client.post(url, data).status_code == 302
    link.refresh_from_db()
    assert (link.contract, link.note) == (contract, "As agreed")


def test_changing_the_chosen_record_meanwhile_is_an_edit_conflict_showing_both(clerk_client):
    first = ContractFactory(reference="KCC-PH-0001", title="Drug treatment")
    theirs = ContractFactory(reference="KCC-PH-0002", title="Drug outreach")
    ContractFactory(reference="KCC-PH-0003", title="Sexual health")
    link = DecisionContractLinkFactory(contract=first)
    url = reverse("decisions:contract_link_edit", args=[link.decision_id, link.pk])
    mine = form_data(clerk_client.get(url).content.decode())
    link.contract = theirs
    link.save()  # someone else, meanwhile
    mine["contract"] = "KCC-PH-0003"
    refused = clerk_client.post(url, mine)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone else saved this" in html
    assert "KCC-PH-0002 Drug outreach" in html and "KCC-PH-0003 Sexual health" in html
    again = clerk_client.post(url, form_data(html))
    assert again.status_code == 302
    link.refresh_from_db()
    assert link.contract.reference == "KCC-PH-0003"


# --- Exempt decisions -------------------------------------------------------------------


def _option_form(contract, user, typed: str) -> OptionDecisionForm:
    return OptionDecisionForm(
        {
            "outcome": "exercise",
            "decided_on": "15/05/2026",
            "authorising_decision": typed,
            "reason": "Cabinet decision",
            "record_anyway": "on",  # the factory's decisions are still planned
        },
        authority_ids={contract.lead_authority_id},
        user=user,
    )


def test_an_uncleared_user_cannot_find_an_exempt_decision_by_a_withheld_field(roles):
    contract = kent_contract()
    exempt = DecisionFactory(
        authority=contract.lead_authority,
        number="26/00007",
        decision_maker="Zara Quintrell",
        exempt_paragraph=3,
        public_interest_reason="Commercial terms",
    )
    uncleared = UserFactory(cleared_for_exempt=False)
    cleared = UserFactory(cleared_for_exempt=True)
    refused = _option_form(contract, uncleared, "Quintrell")
    assert not refused.is_valid()
    assert refused.errors["authorising_decision"] == [
        "No authorising decision matches “Quintrell”. Enter its number or part of its subject."
    ]
    assert "26/00007" not in str(refused["authorising_decision"])  # not offered either
    found = _option_form(contract, cleared, "Quintrell")
    assert found.is_valid(), found.errors
    assert found.cleaned_data["authorising_decision"] == exempt
    # Its number and title are public: anyone may choose it by them.
    by_number = _option_form(contract, uncleared, "26/00007")
    assert by_number.is_valid(), by_number.errors


def test_an_exempt_decision_is_not_offered_among_matches_on_a_withheld_field(roles):
    contract = kent_contract()
    public = DecisionFactory(
        authority=contract.lead_authority, number="26/00001", decision_maker="Zara Public"
    )
    DecisionFactory(
        authority=contract.lead_authority,
        number="26/00002",
        decision_maker="Zara Hidden",
        exempt_paragraph=3,
        public_interest_reason="Commercial terms",
    )
    form = _option_form(contract, UserFactory(cleared_for_exempt=False), "Zara")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["authorising_decision"] == public


def test_the_option_page_chooses_a_decision_typed_by_number(commissioner_client):
    contract = kent_contract()
    decision = DecisionFactory(authority=contract.lead_authority, number="26/00012")
    DecisionFactory(authority=contract.lead_authority, number="26/00013")
    option = contract.options.get(sequence=1)
    response = commissioner_client.post(
        reverse("contracts:option_decide", args=[contract.pk]),
        {
            "option": option.pk,
            "outcome": "exercise",
            "decided_on": "15/05/2026",
            "authorising_decision": "26/00012",
            "reason": "Cabinet decision",
            "record_anyway": "on",  # the factory's decisions are still planned
        },
    )
    assert response.status_code == 302
    option.refresh_from_db()
    assert option.authorising_decision == decision


# --- A short closed list stays a <select> -----------------------------------------------


class _AuthorityForm(forms.Form):
    authority = LookupField(Authority.objects.order_by("name"), lookup=AUTHORITIES, select_up_to=2)


def test_a_short_list_is_a_select_and_a_longer_one_a_look_up():
    kent, medway = AuthorityFactory(name="Kent County Council"), AuthorityFactory(name="Medway")
    assert "<select" in str(_AuthorityForm()["authority"])
    assert _AuthorityForm({"authority": str(medway.pk)}).is_valid()
    AuthorityFactory(name="Essex County Council")
    box = str(_AuthorityForm()["authority"])
    assert "<select" not in box and 'type="text"' in box
    typed = _AuthorityForm({"authority": "kent"})
    assert typed.is_valid() and typed.cleaned_data["authority"] == kent
    assert not _AuthorityForm({"authority": "county council"}).is_valid()


def test_a_select_is_never_allowed_more_than_200_options():
    with pytest.raises(ValueError):
        LookupField(Authority.objects.all(), lookup=AUTHORITIES, select_up_to=201)


# --- Queries ----------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "client_name, page",
    [
        ("clerk_client", lambda c, d: _link_url(d)),
        ("commissioner_client", lambda c, d: reverse("contracts:option_decide", args=[c.pk])),
        ("commissioner_client", lambda c, d: reverse("contracts:edit", args=[c.pk])),
    ],
)
def test_a_form_page_runs_the_same_queries_with_2_or_50_records(request, client_name, page):
    client = request.getfixturevalue(client_name)
    contract = kent_contract()
    decision = DecisionFactory(authority=contract.lead_authority)
    url = page(contract, decision)

    def grow(count: int) -> None:
        for _ in range(count):
            ContractFactory(lead_authority=contract.lead_authority)
            DecisionFactory(authority=contract.lead_authority)

    grow(1)
    few = _queries(client, url)
    grow(49)
    many = _queries(client, url)
    assert few == many


# --- Filters ----------------------------------------------------------------------------


def test_a_filter_over_a_long_list_is_a_look_up_that_offers_its_matches(clerk_client):
    from audit.bulk import bulk_create_with_history

    kent = AuthorityFactory(name="Kent County Council", short_name="KCC")
    bulk_create_with_history(
        [AuthorityFactory.build(name=f"Borough Council {n}") for n in range(200)]
    )
    DecisionFactory(authority=kent, title="Kent's decision")
    DecisionFactory(authority=Authority.objects.get(name="Borough Council 7"), title="Other")
    page = clerk_client.get(reverse("decisions:list"))
    assert '<select name="authority"' not in page.content.decode()
    chosen = clerk_client.get(reverse("decisions:list"), {"authority": "kcc"})
    assert "Kent&#x27;s decision" in chosen.content.decode()
    assert "Other" not in chosen.content.decode()
    several = clerk_client.get(reverse("decisions:list"), {"authority": "borough council"})
    html = several.content.decode()
    assert several.status_code == 200
    assert "More than 20 authorities match “borough council”" in html
    assert len(re.findall(r'name="authority__pick" type="radio"', html)) == MAX_MATCHES_SHOWN


# --- Suggestions as one types -------------------------------------------------------


def _suggested(client, kind: str, text: str):
    return client.get(reverse("lookup_suggestions", args=[kind]), {"q": text})


def test_suggestions_are_the_texts_that_choose_each_match(clerk_client):
    ContractFactory(reference="KCC-PH-0123", title="Young people's substance misuse")
    ContractFactory(reference="KCC-PH-0124", title="Young people's outreach")
    ContractFactory(reference="KCC-SH-0001", title="Sexual health")
    results = _suggested(clerk_client, "contracts", "ph-012").json()["results"]
    assert sorted(r["value"] for r in results) == [
        "KCC-PH-0123 Young people's substance misuse",
        "KCC-PH-0124 Young people's outreach",
    ]


def test_suggestions_keep_an_exempt_decisions_withheld_fields(commissioner_client, clerk_client):
    DecisionFactory(
        number="26/00007",
        decision_maker="Zara Quintrell",
        exempt_paragraph=3,
        public_interest_reason="Commercial terms",
    )
    assert _suggested(commissioner_client, "decisions", "Quintrell").json()["results"] == []
    [found] = _suggested(clerk_client, "decisions", "Quintrell").json()["results"]
    assert found["value"].startswith("26/00007 ")


@pytest.mark.parametrize("kind", ["contracts", "users", "nothing"])
def test_suggestions_are_refused_without_permission_to_read_the_records(outsider_client, kind):
    assert _suggested(outsider_client, kind, "ab").status_code == 403


def test_a_nul_or_a_single_letter_suggests_nothing(clerk_client):
    ContractFactory(reference="KCC-PH-0123")
    assert _suggested(clerk_client, "contracts", "K").json()["results"] == []
    assert _suggested(clerk_client, "contracts", "KC\x00C").json()["results"] == []

"""The public site's pages: anyone reads each authority's forward plan, decisions,
contracts register and grants without signing in; drafts and other councils' records
never show; bad input is a helpful 404 or 400 page; queries do not grow with rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.issued import stored_document
from tests.grants.factories import OutboundGrantFactory, OutboundProgrammeFactory

pytestmark = pytest.mark.django_db

PAGES = ("public:forward_plan", "public:decisions", "public:contracts", "public:grants")


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "ignore")
    return response.content.decode()


def test_the_index_lists_every_authority_with_a_link(client, world):
    page = client.get(reverse("public:index")).content.decode()
    for authority in (world.authority, world.other):
        assert authority.name in page
        assert reverse("public:authority", args=[authority.pk]) in page


@pytest.mark.parametrize("name", ["public:authority", *PAGES])
def test_anyone_reads_each_authority_page_without_signing_in(client, world, name):
    response = client.get(reverse(name, args=[world.authority.pk]))
    assert response.status_code == 200
    assert world.authority.name in response.content.decode()
    # The public header: a link to sign in, none of the signed-in navigation.
    assert reverse("login") in response.content.decode()
    assert f'href="{reverse("decisions:list")}"' not in response.content.decode()


def test_the_forward_plan_lists_the_authoritys_upcoming_key_decisions(client, world):
    page = client.get(reverse("public:forward_plan", args=[world.authority.pk])).content.decode()
    assert world.open_decision.title in page
    assert "Dan Watkins" in page
    assert world.open_decision.decision_maker_role in page
    assert reverse("public:decision", args=[world.authority.pk, world.open_decision.pk]) in page
    assert world.draft.title not in page


def test_another_authoritys_decisions_are_not_on_this_ones_pages(client, world):
    theirs = DecisionFactory(
        authority=world.other,
        title="Surrey own key decision",
        is_key_decision=True,
        forward_plan_published_on=timezone.localdate(),
        decision_date=timezone.localdate() + timedelta(days=5),
    )
    for name in ("public:forward_plan", "public:decisions"):
        mine = client.get(reverse(name, args=[world.authority.pk])).content.decode()
        assert theirs.title not in mine
        other = client.get(reverse(name, args=[world.other.pk])).content.decode()
        assert theirs.title in other
    url = reverse("public:decision", args=[world.authority.pk, theirs.pk])
    assert client.get(url).status_code == 404


def test_a_decision_page_lists_its_issued_documents_and_open_files(client, world):
    url = reverse("public:decision", args=[world.authority.pk, world.open_decision.pk])
    page = client.get(url).content.decode()
    assert "The open summary" in page
    assert "APPROVE" in page
    document_url = reverse("public:document", args=[world.authority.pk, world.open_report.pk])
    assert document_url in page
    assert "Service specification" in page
    assert "Exempt appendix (paragraph 3)" in page
    download = client.get(document_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert _text(download).startswith("%PDF")


def test_an_open_file_downloads_and_an_exempt_one_is_not_found(client, world):
    files = {a.title: a for a in world.open_decision.attachments.all()}
    args = [world.authority.pk, world.open_decision.pk]
    open_file = client.get(
        reverse("public:attachment", args=[*args, files["Service specification"].pk])
    )
    assert open_file.status_code == 200
    exempt = next(a for title, a in files.items() if title != "Service specification")
    assert client.get(reverse("public:attachment", args=[*args, exempt.pk])).status_code == 404


def test_an_exempt_decision_shows_its_number_title_and_paragraph_only(client, world):
    decision = world.exempt_decision
    url = reverse("public:decision", args=[world.authority.pk, decision.pk])
    page = client.get(url).content.decode()
    assert decision.number in page
    assert decision.title in page
    assert "Exempt under paragraph 3" in page
    assert "Schedule 12A" in page
    assert reverse("public:document", args=[world.authority.pk, world.exempt_report.pk]) not in page
    document = reverse("public:document", args=[world.authority.pk, world.exempt_report.pk])
    assert client.get(document).status_code == 404


def test_a_draft_has_no_page_and_its_document_number_is_not_found(client, world):
    url = reverse("public:decision", args=[world.authority.pk, world.draft.pk])
    response = client.get(url)
    assert response.status_code == 404
    assert "has published no decision" in response.content.decode()


def test_issuing_a_document_publishes_a_draft(client, world):
    stored_document(world.draft, user=world.clerk, kind="record")
    url = reverse("public:decision", args=[world.authority.pk, world.draft.pk])
    assert client.get(url).status_code == 200


def test_records_of_decision_can_be_found_by_filter(client, world):
    stored_document(world.open_decision, user=world.clerk, kind="record")
    url = reverse("public:decisions", args=[world.authority.pk])
    with_record = client.get(url, {"record_issued": "true"}).content.decode()
    assert world.open_decision.title in with_record
    # Whether an exempt decision's record is issued is not the public's to filter by.
    assert world.exempt_decision.title not in with_record


def test_the_contracts_register_shows_the_transparency_codes_fields(client, world):
    page = client.get(reverse("public:contracts", args=[world.authority.pk])).content.decode()
    for text in ("KCC-PH-0001", "Community drug service", "Start", "End", "Value", "Supplier"):
        assert text in page
    assert "£" in page


def test_a_contract_not_yet_awarded_is_not_on_the_register(client, world):
    ContractFactory(
        lead_authority=world.authority,
        reference="KCC-PIPE-1",
        procurement_stage="pipeline",
        provider=None,
    )
    page = client.get(reverse("public:contracts", args=[world.authority.pk])).content.decode()
    assert "KCC-PIPE-1" not in page


def test_the_grants_page_lists_awards_and_says_so_when_there_are_none(client, world):
    page = client.get(reverse("public:grants", args=[world.authority.pk])).content.decode()
    assert "Youth club sessions" in page
    empty = client.get(reverse("public:grants", args=[world.other.pk])).content.decode()
    assert "has awarded no grants" in empty
    assert "360Giving JSON" not in empty


@pytest.mark.parametrize(
    "path, status",
    [
        ("/public/999999/", 404),
        ("/public/999999/forward-plan/", 404),
        ("/public/{a}/decisions/999999/", 404),
        ("/public/{a}/documents/999999.pdf", 404),
        ("/public/{a}/decisions/?decided_from=not-a-date", 400),
        ("/public/{a}/decisions/?status=nonsense", 400),
        ("/public/{a}/decisions/?page=abc", 200),
        ("/public/{a}/decisions/?page=999", 200),
        ("/public/{a}/decisions/?per_page=-1", 200),
        ("/public/{a}/decisions/?sort=nonsense", 200),
        ("/public/{a}/contracts/?service_area=nonsense", 400),
    ],
)
def test_bad_input_is_a_clear_page_never_an_error(client, world, path, status):
    response = client.get(path.format(a=world.authority.pk))
    assert response.status_code == status
    if status == 404:
        assert "Page not found" in response.content.decode()


def test_an_unknown_authority_says_which_number_it_is(client, db):
    response = client.get("/public/424242/")
    assert response.status_code == 404
    assert "no authority number 424242" in response.content.decode()


def test_public_pages_are_get_only(client, world):
    response = client.post(reverse("public:decisions", args=[world.authority.pk]))
    assert response.status_code == 405


def test_anonymous_pages_may_be_kept_by_browsers_and_proxies_for_five_minutes(client, world):
    response = client.get(reverse("public:forward_plan", args=[world.authority.pk]))
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_a_signed_in_readers_public_pages_are_not_stored(clerk_client, world):
    response = clerk_client.get(reverse("public:forward_plan", args=[world.authority.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


# --- Queries: the same at 2 rows and at 20 ---------------------------------------------


def _add_rows(authority, n: int) -> None:
    today = timezone.localdate()
    programme = OutboundProgrammeFactory(authority=authority, name="Counted programme")
    for i in range(n):
        DecisionFactory(
            authority=authority,
            is_key_decision=True,
            decision_type=Decision.Type.EXECUTIVE_KEY,
            forward_plan_published_on=today,
            decision_date=today + timedelta(days=30 + i),
            exempt_paragraph=3 if i % 2 else None,
        )
        ContractFactory(lead_authority=authority)
        OutboundGrantFactory(programme=programme)


def _queries(client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_a_pages_queries_do_not_grow_with_its_rows(client, world, name):
    from tests.contracts.factories import AuthorityFactory

    counted = AuthorityFactory(name="Counted Council")
    url = reverse(name, args=[counted.pk])
    _add_rows(counted, 2)
    at_two = _queries(client, url)
    _add_rows(counted, 18)
    assert _queries(client, url) == at_two


def test_a_decision_pages_queries_do_not_grow_with_its_documents(client, world):
    decision = world.open_decision
    url = reverse("public:decision", args=[world.authority.pk, decision.pk])
    at_one = _queries(client, url)
    for version in range(2, 12):
        stored_document(decision, user=world.clerk, version=version)
    assert _queries(client, url) == at_one

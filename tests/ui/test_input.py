"""Bad input is a message or a plain page, never a server error (issue 10, item 5)."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from contracts.models import ExtensionOption
from tests.contracts.factories import AuthorityFactory, ContractFactory, OptionFactory
from tests.contracts.forms_data import contract_post
from tests.grants.factories import AllocationFactory
from ui.forms import MAX_FORMSET_ROWS, RowFormSet
from ui.tables import MAX_PER_PAGE, Table

pytestmark = pytest.mark.django_db


@pytest.fixture
def kent(db):
    return AuthorityFactory(name="Kent County Council")


# --- per_page and _export ---------------------------------------------------------------


@pytest.mark.parametrize("per_page", ["-1", "0", "x", "", "1.5", "9" * 40, "100000000"])
def test_a_bad_or_huge_per_page_shows_at_most_a_hundred_rows(commissioner_client, kent, per_page):
    ContractFactory.create_batch(3, lead_authority=kent)
    response = commissioner_client.get(reverse("contracts:list"), {"per_page": per_page})
    assert response.status_code == 200
    assert 0 < response.context["table"].paginator.per_page <= MAX_PER_PAGE


def test_per_page_is_capped_for_the_history_feed_too(auditor_client):
    response = auditor_client.get(reverse("audit:changes"), {"per_page": "-1"})
    assert response.status_code == 200
    response = auditor_client.get(reverse("audit:changes"), {"per_page": "5000"})
    assert response.context["table"].paginator.per_page == MAX_PER_PAGE


@pytest.mark.parametrize("fmt", ["yaml", "xls", "ods", "json", "latex", "tsv", "CSV"])
@pytest.mark.parametrize("name", ["audit:changes", "contracts:list", "grants:list"])
def test_only_the_offered_export_formats_are_served(commissioner_client, name, fmt):
    response = commissioner_client.get(reverse(name), {"_export": fmt})
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]  # the page, not a download


def test_every_table_derives_from_the_capped_base():
    import django_tables2

    from tests.ui.project_classes import project_subclasses

    tables = project_subclasses(django_tables2.Table)
    assert tables, "no tables found"
    assert [t.__qualname__ for t in tables if not issubclass(t, Table)] == []


# --- formsets ---------------------------------------------------------------------------


def test_every_inline_formset_is_capped_and_checks_row_ids():
    from django.forms.models import BaseInlineFormSet

    from tests.ui.project_classes import project_formset_factories

    factories = project_formset_factories()
    assert len(factories) >= 2
    for factory in factories:
        assert issubclass(factory, RowFormSet), factory
        assert factory.absolute_max <= MAX_FORMSET_ROWS and factory.max_num <= MAX_FORMSET_ROWS
        assert factory.validate_max
    assert issubclass(RowFormSet, BaseInlineFormSet)


def test_a_huge_total_forms_is_a_form_error_without_building_the_forms(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-1")
    data = contract_post(reference="KCC-1", version=str(contract.version), reason="x")
    data["options-TOTAL_FORMS"] = "100000"
    started = time.perf_counter()
    response = commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 200
    assert time.perf_counter() - started < 5
    assert len(response.content) < 500_000
    assert f"Please submit at most {MAX_FORMSET_ROWS} forms." in response.content.decode()


def test_a_row_with_another_contracts_option_id_is_an_error_on_that_row(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-1")
    mine = OptionFactory(contract=contract, sequence=1, months=24)
    other = OptionFactory(contract=ContractFactory(lead_authority=kent), sequence=1, months=12)
    for existing in ([(other.pk, 18, "", "", False)], [(mine.pk, 18, "", "", False)]):
        data = contract_post(
            reference="KCC-1", version=str(contract.version), reason="x", existing_options=existing
        )
        if existing[0][0] == mine.pk:
            # A new row (not one of the saved ones) that claims another contract's option.
            data["options-TOTAL_FORMS"] = "2"
            data.update({"options-1-id": str(other.pk), "options-1-months": "6"})
        response = commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    other.refresh_from_db()
    assert (other.contract_id, other.months) != (contract.pk, 18)
    assert ExtensionOption.objects.filter(contract=contract).count() == 1


@pytest.mark.parametrize("ids", [("second", "first"), ("second", "second"), ("first", "first")])
def test_rows_that_swap_or_repeat_their_option_ids_are_an_error_not_a_500(
    commissioner_client, kent, ids
):
    """The fuzz run at full scale found these: the rows renumbered into each other."""
    contract = ContractFactory(lead_authority=kent, reference="KCC-1")
    options = {
        "first": OptionFactory(contract=contract, sequence=1, months=24),
        "second": OptionFactory(contract=contract, sequence=2, months=12),
    }
    existing = [(options[name].pk, 18, "", "", False) for name in ids]
    data = contract_post(
        reference="KCC-1", version=str(contract.version), reason="x", existing_options=existing
    )
    response = commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    saved = {o.pk: (o.sequence, o.months) for o in contract.options.all()}
    assert saved == {options["first"].pk: (1, 24), options["second"].pk: (2, 12)}


# --- messages with a percent sign -------------------------------------------------------


@pytest.mark.parametrize("share", ["101", "-0.5"])
def test_a_grant_share_out_of_range_is_a_message(commissioner_client, kent, share):
    allocation = AllocationFactory(authority=kent)
    page = commissioner_client.get(reverse("grants:allocation_edit", args=[allocation.pk]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[f"share_{kent.pk}"] = share
    data["reason"] = "Shares"
    response = commissioner_client.post(
        reverse("grants:allocation_edit", args=[allocation.pk]),
        {k: v for k, v in data.items() if v is not None},
    )
    assert response.status_code == 200
    assert "Enter a share between 0% and 100%." in response.content.decode()


# --- escaping ---------------------------------------------------------------------------


def test_an_authority_named_like_a_script_is_shown_as_text_on_every_form(commissioner_client):
    AuthorityFactory(name="<script>alert(1)</script>")
    for url in (reverse("contracts:create"), reverse("grants:allocation_create")):
        html = commissioner_client.get(url).content.decode()
        assert "<script>alert" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (%)" in html  # the allocation's share label


# --- uploads ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["contracts:import", "grants:import"])
def test_an_upload_over_the_limit_is_refused_with_413(commissioner_client, name):
    big = SimpleUploadedFile("big.csv", b"reference,title\n" + b"x" * (6 * 1024 * 1024))
    response = commissioner_client.post(reverse(name), {"file": big})
    assert response.status_code == 413
    assert "The file is too big" in response.content.decode()


class _Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


def test_a_content_length_over_the_limit_is_refused_before_the_body_is_read(commissioner):
    from django.core.handlers.wsgi import WSGIRequest

    from ui.uploads import UploadLimitMiddleware

    request = RequestFactory().post("/contracts/import/", data={})
    environ = dict(request.environ)
    environ.update(
        {
            "CONTENT_TYPE": "multipart/form-data; boundary=x",
            "CONTENT_LENGTH": str(50 * 1024 * 1024),
            "wsgi.input": _Unreadable(),
        }
    )
    request = WSGIRequest(environ)
    request.user = commissioner
    from contracts.views import contract_import

    response = UploadLimitMiddleware(lambda r: None).process_view(request, contract_import, (), {})
    assert response.status_code == 413


def test_an_upload_to_a_page_without_a_file_field_is_refused(commissioner_client, kent):
    junk = SimpleUploadedFile("junk.bin", b"x" * (1024 * 1024))
    response = commissioner_client.post(reverse("contracts:create"), {"file": junk})
    assert response.status_code == 413


def test_an_upload_under_the_limit_still_reaches_the_form(commissioner_client):
    small = SimpleUploadedFile("small.csv", b"not,the,header\n1,2,3\n", "text/csv")
    response = commissioner_client.post(reverse("contracts:import"), {"file": small})
    assert response.status_code == 200
    assert "unknown column" in response.content.decode()


def test_a_null_character_in_a_name_lookup_is_a_message(commissioner_client, kent):
    data = contract_post(lead_authority="Kent\x00 County Council", reason="x")
    response = commissioner_client.post(reverse("contracts:create"), data)
    assert response.status_code == 200
    assert "without a null character" in response.content.decode()

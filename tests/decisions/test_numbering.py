"""Decision numbers: the authority's prefix and YY/NNNNN per authority and year, never
duplicated, never skipped, and never printed alike by two councils."""

import importlib
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from contracts.forms import AuthorityForm
from contracts.models import Authority, give_decision_number_prefixes
from decisions import rules
from decisions.models import Decision
from decisions.services import allocate_number, create_decision
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.pdfs import pdf_text
from tests.decisions.test_decision_views import decision_data
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def _new(authority, year):
    return create_decision(
        decision=Decision(authority=authority, title="A decision"), allocate=True, year=year
    )


def test_numbers_run_from_00001_per_authority_and_year_each_with_its_prefix():
    kent = AuthorityFactory(name="Kent", decision_number_prefix="KCC ")
    west = AuthorityFactory(name="West", decision_number_prefix="WNC ")
    numbers = [
        _new(kent, 2024).number,
        _new(kent, 2024).number,
        _new(west, 2024).number,
        _new(kent, 2025).number,
    ]
    assert numbers == ["KCC 24/00001", "KCC 24/00002", "WNC 24/00001", "KCC 25/00001"]


def test_the_authority_prefix_is_printed_before_the_number():
    west = AuthorityFactory(name="West Northamptonshire", decision_number_prefix="WNC ")
    assert _new(west, 2023).number == "WNC 23/00001"


def test_a_historical_number_entered_by_hand_is_stepped_over_not_reused():
    kent = AuthorityFactory(decision_number_prefix="KCC ")
    DecisionFactory(authority=kent, number="KCC 24/00002")
    assert [_new(kent, 2024).number for _ in range(2)] == ["KCC 24/00001", "KCC 24/00003"]


def test_a_failed_save_gives_the_number_back():
    kent = AuthorityFactory(decision_number_prefix="KCC ")
    DecisionFactory(authority=kent, number="KCC 24/00001", title="Taken")
    with pytest.raises(IntegrityError), transaction.atomic():
        number = allocate_number(authority=kent, year=2024)
        Decision.objects.create(authority=kent, number="KCC 24/00001", title=number)
    assert _new(kent, 2024).number == "KCC 24/00002"


def test_the_database_refuses_a_duplicate_number_within_an_authority():
    kent = AuthorityFactory()
    DecisionFactory(authority=kent, number="24/00056")
    DecisionFactory(number="24/00056")  # another authority may use it
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(authority=kent, number="24/00056")


THREADS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_adding_decisions_at_once_get_twenty_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("Row locking needs PostgreSQL")
    kent = AuthorityFactory(name="Kent County Council")
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def add_one():
        try:
            barrier.wait()
            _new(kent, 2024)
        except Exception as exc:  # collected and reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add_one) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Decision.objects.filter(authority=kent).values_list("number", flat=True))
    prefix = kent.decision_number_prefix
    assert numbers == [f"{prefix}24/{n:05d}" for n in range(1, THREADS + 1)]


# --- Two councils' numbers never print alike (issue 13) -----------------------------


@pytest.fixture
def two_councils_first_numbers():
    """Kent's and Southend's first decisions of 2026: the same sequence, two prefixes."""
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    southend = AuthorityFactory(name="Southend-on-Sea City Council", decision_number_prefix="SCC ")
    return _new(kent, 2026), _new(southend, 2026)


def test_two_councils_first_numbers_differ_in_the_list_and_each_detail_page(
    commissioner_client, two_councils_first_numbers
):
    kent_decision, southend_decision = two_councils_first_numbers
    listed = commissioner_client.get(reverse("decisions:list")).content.decode()
    assert "KCC 26/00001" in listed and "SCC 26/00001" in listed
    for decision, own, other in [
        (kent_decision, "KCC 26/00001", "SCC 26/00001"),
        (southend_decision, "SCC 26/00001", "KCC 26/00001"),
    ]:
        page = commissioner_client.get(decision.get_absolute_url()).content.decode()
        assert f"Decision {own}" in page and other not in page


def test_two_councils_first_numbers_differ_in_their_report_pdfs(
    clerk_client, two_councils_first_numbers
):
    texts = [
        pdf_text(clerk_client.get(reverse("decisions:report_pdf", args=[d.pk])).content)
        for d in two_councils_first_numbers
    ]
    assert "Decision no: KCC 26/00001" in texts[0] and "SCC 26/00001" not in texts[0]
    assert "Decision no: SCC 26/00001" in texts[1] and "KCC 26/00001" not in texts[1]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("22/00041", "KCC 22/00041"),
        ("KCC 22/00041", "KCC 22/00041"),
        ("kcc22/00041", "KCC 22/00041"),
        ("KCC-22/00041", "KCC 22/00041"),
    ],
)
def test_a_typed_number_is_stored_as_printed_with_the_authority_prefix(clerk_client, typed, stored):
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    response = clerk_client.post(reverse("decisions:create"), decision_data(kent, number=typed))
    assert response.status_code == 302
    assert Decision.objects.get(authority=kent).number == stored


def test_a_typed_number_with_another_councils_prefix_is_refused(clerk_client):
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    response = clerk_client.post(
        reverse("decisions:create"), decision_data(kent, number="SCC 22/00041")
    )
    assert response.status_code == 200
    assert "decision numbers start with “KCC”" in str(response.context["form"].errors["number"])
    assert not Decision.objects.exists()


def test_a_number_typed_in_the_admin_gets_the_prefix_too(admin_client):
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    decision = _new(kent, 2026)
    url = reverse("admin:decisions_decision_change", args=[decision.pk])
    data = form_data(admin_client.get(url).content.decode())
    data["number"] = "22/00041"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    decision.refresh_from_db()
    assert decision.number == "KCC 22/00041"


def test_a_number_from_before_prefixes_is_kept_when_the_decision_is_edited(clerk_client):
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    decision = DecisionFactory(authority=kent, number="MD-22/00041")
    decision.title = "Renamed"
    decision.full_clean()
    assert decision.number == "MD-22/00041"


# --- The authority's prefix ---------------------------------------------------------


def test_the_database_refuses_an_authority_without_a_prefix():
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorityFactory(decision_number_prefix="")


def test_the_database_refuses_two_authorities_with_one_prefix():
    AuthorityFactory(decision_number_prefix="KCC ")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorityFactory(decision_number_prefix="KCC ")


def _authority_data(**overrides) -> dict:
    data = {
        "name": "Kent County Council",
        "short_name": "KCC",
        "key_decision_threshold": "1000000",
        "call_in_working_days": "5",
        "decision_number_prefix": "KCC",
        "nation": "england_and_wales",
    }
    return {**data, **overrides}


def test_the_authority_form_requires_a_prefix_and_suggests_the_short_name():
    form = AuthorityForm(data=_authority_data(decision_number_prefix=""))
    assert not form.is_valid()
    assert form.errors["decision_number_prefix"] == [
        "Enter a decision number prefix, for example KCC, so that this council's decision "
        "numbers never print like another council's."
    ]


def test_the_authority_form_stores_the_prefix_ready_to_print():
    form = AuthorityForm(data=_authority_data(decision_number_prefix="  KCC "))
    assert form.is_valid(), form.errors
    assert form.save().decision_number_prefix == "KCC "


@pytest.mark.parametrize("typed", ["' OR 1=1 --", "0001-01-01", "-0.5", "101", "KCC1"])
def test_the_authority_form_refuses_a_prefix_that_cannot_start_a_number(typed):
    """A field error, never a 500 (tests/test_fuzz.py found these)."""
    form = AuthorityForm(data=_authority_data(decision_number_prefix=typed))
    assert not form.is_valid()
    assert "Enter a prefix that starts with a letter" in form.errors["decision_number_prefix"][0]


@pytest.mark.parametrize("typed", ["SCC", "scc", "S-CC"])
def test_the_authority_form_refuses_a_prefix_that_prints_like_anothers(typed):
    AuthorityFactory(name="Southend-on-Sea City Council", decision_number_prefix="SCC ")
    form = AuthorityForm(data=_authority_data(decision_number_prefix=typed))
    assert not form.is_valid()
    assert "Southend-on-Sea City Council already prints" in form.errors["decision_number_prefix"][0]


def test_an_import_gives_a_new_authority_its_default_prefix():
    AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    new = [
        Authority(name="Kensington Civic Council"),
        Authority(name="Kirklees Council", short_name="KC"),
    ]
    give_decision_number_prefixes(new)
    assert [a.decision_number_prefix for a in new] == ["KCCO ", "KC "]


# --- The migration: numbers already stored get their authority's prefix ---------------


def test_the_migration_prints_stored_numbers_with_their_authoritys_prefix():
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    bare = DecisionFactory(authority=kent, number="24/00056")
    kept = DecisionFactory(authority=kent, number="MD-24/00001")
    migration = importlib.import_module("decisions.migrations.0012_joint_authorities")
    state = MigrationExecutor(connection).loader.project_state(
        ("decisions", "0012_joint_authorities")
    )
    migration.prefix_numbers(state.apps, None)
    bare.refresh_from_db()
    kept.refresh_from_db()
    assert (bare.number, kept.number) == ("KCC 24/00056", "MD-24/00001")
    assert bare.version == 2


# --- The rules (decisions.rules), without the database --------------------------------


@pytest.mark.parametrize(
    ("name", "short_name", "taken", "expected"),
    [
        ("Kent County Council", "KCC", [], "KCC "),
        ("Southend-on-Sea City Council", "", [], "SOSCC "),
        ("Authority 3 Council", "A3", [], "AC "),  # a short name ending in a digit
        ("Kensington Civic Council", "", ["KCC "], "KCCO "),
        ("Kent County Council", "KCC", ["kcc"], "KCCO "),  # case and spaces do not count
        ("MD Council", "MD-", [], "MD-"),
    ],
)
def test_the_default_prefix_is_the_short_name_else_the_initials_never_one_taken(
    name, short_name, taken, expected
):
    assert rules.default_decision_number_prefix(name, short_name, taken) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("KCC", "KCC "), ("  KCC  ", "KCC "), ("MD-", "MD-"), ("WNC_", "WNC_")],
)
def test_a_typed_prefix_is_made_ready_to_print(typed, expected):
    assert rules.decision_number_prefix(typed) == expected


@pytest.mark.parametrize("typed", ["", "  ", "1KCC", "KCC1", "K/C"])
def test_a_prefix_that_cannot_start_a_number_is_refused(typed):
    with pytest.raises(ValueError, match="must start with a letter"):
        rules.decision_number_prefix(typed)


@pytest.mark.parametrize(
    ("number", "prefix", "expected"),
    [
        ("24/00056", "KCC ", "KCC 24/00056"),
        (" 24/00056 ", "KCC ", "KCC 24/00056"),
        ("KCC 24/00056", "KCC ", "KCC 24/00056"),
        ("MD-24/00056", "KCC ", "MD-24/00056"),
    ],
)
def test_a_number_without_a_prefix_gets_the_authoritys(number, prefix, expected):
    assert rules.prefixed_decision_number(number, prefix) == expected


def test_two_prefixes_print_alike_whatever_their_case_and_separators():
    assert rules.prefixes_print_alike("KCC ", "kcc-")
    assert not rules.prefixes_print_alike("KCC ", "SCC ")

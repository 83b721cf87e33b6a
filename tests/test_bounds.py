"""Value bounds (ui.bounds, issue 10 item 4): every field of every domain model is
bounded, and each bound is refused by model validation, the forms, the admin, the CSV
imports and the database."""

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.urls import reverse
from simple_history.models import HistoricalChanges

from contracts import csv_format
from contracts.models import Contract, ExtensionOption
from contracts.rules import MoneyError, parse_money
from grants import transfer
from grants.models import Funder, GrantAllocation
from tests.accounts.factories import UserFactory
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ProviderFactory,
)
from tests.contracts.forms_data import contract_post
from tests.decisions.factories import DecisionFactory, PathwayStageFactory
from ui.bounds import (
    DATE_MAX,
    DATE_MIN,
    MONEY,
    MONEY_MAX,
    BoundConstraint,
    multi_line_text,
    single_line_text,
)

BOUNDED_APPS = ("accounts", "contracts", "decisions", "grants")
# Derived data: computed from bounded records by contracts.figures, never typed. A
# whole-life value may be far above one year's £10bn bound, and a maximum end after
# 2100 (test_stored_figures_hold_the_largest_values).
DERIVED = {"contracts.ContractFigures", "contracts.ShareFigures", "contracts.YearFigures"}


def _domain_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in BOUNDED_APPS
        and not issubclass(model, HistoricalChanges)
        and not model._meta.auto_created
        and model._meta.label not in DERIVED
    ]


def _constraint_names(model) -> set[str]:
    return {c.name for c in model._meta.constraints}


# --- Every field is bounded ------------------------------------------------------------


def test_every_domain_model_wears_the_bounds():
    unbounded = [m.__name__ for m in _domain_models() if not getattr(m, "_bounded", False)]
    assert unbounded == []
    assert len(_domain_models()) >= 20


@pytest.mark.parametrize("model", _domain_models(), ids=lambda m: m.__name__)
def test_every_date_money_and_text_field_has_its_validator_and_constraint(model):
    names = _constraint_names(model)
    prefix = model._meta.model_name
    for field in model._meta.local_concrete_fields:
        limits = {(type(v), getattr(v, "limit_value", None)) for v in field.validators}
        where = f"{model.__name__}.{field.name}"
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            assert {DATE_MIN, DATE_MAX} <= {lim for _, lim in limits}, where
            assert f"{prefix}_{field.name}_range" in names, where
        if isinstance(field, models.DecimalField) and field.decimal_places == 2:
            assert field.max_digits <= MONEY["max_digits"], where
            assert MONEY_MAX in {lim for _, lim in limits}, where
            assert f"{prefix}_{field.name}_range" in names, where
        if isinstance(field, models.DecimalField) and field.decimal_places != 2:
            assert f"{prefix}_{field.name}_range" in names, where  # percentages
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            wanted = multi_line_text if isinstance(field, models.TextField) else single_line_text
            assert wanted in field.validators, where
            assert f"{prefix}_{field.name}_text" in names, where


def test_constraint_names_are_unique_and_fit_postgresql_identifiers():
    names = [c.name for m in _domain_models() for c in m._meta.constraints]
    assert len(names) == len(set(names))
    assert max(len(n) for n in names) <= 63


def test_bound_constraints_skip_the_per_constraint_query(commissioner):
    """Field validators check the bounds in Python; Django's constraint validation would
    add a query per constraint to every form save."""
    assert any(isinstance(c, BoundConstraint) for c in Contract._meta.constraints)
    contract = ContractFactory()
    from django.test.utils import CaptureQueriesContext

    bounds = [c for c in Contract._meta.constraints if isinstance(c, BoundConstraint)]
    assert len(bounds) > 10
    with CaptureQueriesContext(connection) as queries:
        for constraint in bounds:
            constraint.validate(Contract, contract)
    assert len(queries) == 0


# --- Each bound, refused by model validation and by the database ------------------------

# (model, factory, field values, the field named, the constraint named)
BAD_VALUES = [
    (
        "contract",
        {"start_date": date(1989, 12, 31), "initial_end_date": date(1990, 12, 31)},
        "start_date",
        "contract_start_date_range",
    ),
    (
        "contract",
        {"start_date": date(2100, 1, 1), "initial_end_date": date(2101, 1, 1)},
        "initial_end_date",
        "contract_initial_end_date_range",
    ),
    (
        "contract",
        {"start_date": date(2000, 1, 1), "initial_end_date": date(2030, 1, 1)},
        "initial_end_date",
        "contract_term_at_most_30_years",
    ),
    (
        "contract",
        {"annual_value": Decimal("10000000000.01")},
        "annual_value",
        "contract_annual_value_range",
    ),
    (
        "contract",
        {"annual_uplift_percent": Decimal("25.001")},
        "annual_uplift_percent",
        "contract_annual_uplift_percent_range",
    ),
    (
        "contract",
        {"uplift_from_year": 1925},
        "uplift_from_year",
        "contract_uplift_from_year_range",
    ),
    ("contract", {"title": "Two\nlines"}, "title", "contract_title_text"),
    ("contract", {"reference": "KCC\t1"}, "reference", "contract_reference_text"),
    ("contract", {"description": "bell\x07"}, "description", "contract_description_text"),
    ("option", {"months": 361}, "months", "extensionoption_months_range"),
    (
        "option",
        {"notice_deadline": date(1, 1, 1)},
        "notice_deadline",
        "extensionoption_notice_deadline_range",
    ),
    ("decision", {"number": "24/00001\r\n"}, "number", "decision_number_text"),
    (
        "decision",
        {"decision_date": date(9999, 12, 31)},
        "decision_date",
        "decision_decision_date_range",
    ),
    (
        "decision",
        {"amount_involved": Decimal("-0.01")},
        "amount_involved",
        "decision_amount_involved_range",
    ),
    ("stage", {"date": date(2101, 1, 1)}, "date", "pathwaystage_date_range"),
    ("provider", {"name": "Line\u2028break"}, "name", "provider_name_text"),
    ("provider", {"name": "Next\x85line"}, "name", "provider_name_text"),
    ("user", {"job_title": "Clerk\r\n"}, "job_title", "user_job_title_text"),
]

FACTORIES = {
    "contract": ContractFactory,
    "option": OptionFactory,
    "decision": DecisionFactory,
    "stage": PathwayStageFactory,
    "provider": ProviderFactory,
    "user": UserFactory,
}


def _ids(case) -> str:
    return case[3] if isinstance(case, tuple) else str(case)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "values", "field", "constraint"), BAD_VALUES, ids=_ids)
def test_model_validation_names_the_field_out_of_bounds(kind, values, field, constraint):
    record = FACTORIES[kind]()
    for name, value in values.items():
        setattr(record, name, value)
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert field in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "values", "field", "constraint"), BAD_VALUES, ids=_ids)
def test_the_database_refuses_a_value_out_of_bounds_saved_without_validation(
    kind, values, field, constraint
):
    record = FACTORIES[kind]()
    for name, value in values.items():
        setattr(record, name, value)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        record.save()
    assert constraint in str(refused.value)


@pytest.mark.django_db
def test_the_database_refuses_nul_in_text():
    provider = ProviderFactory()
    provider.name = "NUL\x00"
    # PostgreSQL cannot hold NUL in text at all (DataError from psycopg); SQLite would,
    # so there the check constraint refuses it.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        provider.save()


@pytest.mark.django_db
def test_values_on_the_bounds_are_kept():
    contract = ContractFactory(
        start_date=date(2071, 1, 1),
        initial_end_date=DATE_MAX,
        annual_value=MONEY_MAX,
        annual_uplift_percent=Decimal("25"),
        uplift_from_year=60,
        description="Tabs\tand\r\nline breaks are fine in long text.",
    )
    OptionFactory(contract=contract, sequence=1, months=360)
    contract.full_clean()
    contract.refresh_from_db()
    assert contract.annual_value == MONEY_MAX
    early = ContractFactory(start_date=DATE_MIN, initial_end_date=date(2019, 12, 31))
    early.full_clean()


@pytest.mark.django_db
def test_stored_figures_hold_the_largest_values():
    """60 contract years of £10bn compounding at 25% from year 2: the largest
    whole-life value the bounds allow, stored to the penny (on PostgreSQL; SQLite keeps
    15 significant digits of a decimal, and contracts.figures compares as it stores)."""
    from contracts.figures import figures_for, stale_figures
    from contracts.models import ContractFigures

    contract = ContractFactory(
        start_date=date(2030, 1, 1),
        initial_end_date=date(2059, 12, 31),
        annual_value=MONEY_MAX,
        annual_uplift_percent=Decimal("25"),
        uplift_from_year=2,
    )
    OptionFactory(contract=contract, sequence=1, months=360, status="exercised")
    stored = ContractFigures.objects.get(contract=contract)
    computed = figures_for(contract)
    assert computed.whole_life_value > Decimal("1e16")
    assert stored.maximum_end == date(2089, 12, 31)
    if connection.vendor == "postgresql":
        assert stored.whole_life_value == computed.whole_life_value
    assert stale_figures([contract.pk]) == []


@pytest.mark.django_db
def test_options_of_a_contract_add_up_to_30_years_at_most():
    contract = ContractFactory()
    OptionFactory(contract=contract, sequence=1, months=300)
    second = ExtensionOption(contract=contract, sequence=2, months=61)
    with pytest.raises(ValidationError, match="360 months"):
        second.full_clean()
    second.months = 60
    second.full_clean()


def test_parse_money_refuses_forty_digits_with_a_clear_error():
    with pytest.raises(MoneyError, match="more than 20 digits"):
        parse_money("1" * 40)
    with pytest.raises(MoneyError, match="too large"):
        parse_money("99999999999bn")


# --- The contract form ----------------------------------------------------------------


@pytest.fixture
def kent(db):
    return AuthorityFactory(name="Kent County Council")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "01/01/0001"}, "start_date", "between 1 January 1990"),
        ({"start_date": "31/12/1989"}, "start_date", "between 1 January 1990"),
        ({"initial_end_date": "31/12/9999"}, "initial_end_date", "31 December 2100"),
        ({"initial_end_date": "01/01/2101"}, "initial_end_date", "31 December 2100"),
        (
            {"start_date": "31/12/9998", "initial_end_date": "30/12/9999"},
            "start_date",
            "between 1 January 1990",
        ),
        ({"terminated_on": "01/01/2101"}, "terminated_on", "31 December 2100"),
        (
            {"start_date": "01/01/2000", "initial_end_date": "01/01/2030"},
            "initial_end_date",
            "no more than 30 years",
        ),
        ({"annual_uplift_percent": "100"}, "annual_uplift_percent", "uplift of 25% or less"),
        ({"annual_uplift_percent": "25.001"}, "annual_uplift_percent", "uplift of 25% or less"),
        ({"uplift_from_year": "1925"}, "uplift_from_year", "year of 60 or less"),
        ({"annual_value": "£10,000,000,000.01"}, "annual_value", "£10,000,000,000 or less"),
        ({"annual_value": "1" * 40}, "annual_value", "is unclear"),
        ({"title": "Name\x00"}, "title", "Null characters are not allowed"),
        ({"title": "Two\r\nlines"}, "title", "on one line"),
        ({"reference": "KCC\x1b1"}, "reference", "on one line"),
        ({"notes": "bell\x07"}, "notes", "control characters"),
    ],
)
def test_the_contract_form_refuses_each_bound_naming_the_field(
    commissioner_client, kent, overrides, field, message
):
    response = commissioner_client.post(reverse("contracts:create"), contract_post(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([(361, "", "")], "360 months or fewer"),
        ([(200, "", ""), (161, "", "")], "add up to 360 months"),
        ([(12, "", "01/01/0001")], "between 1 January 1990"),
    ],
)
def test_the_contract_form_refuses_options_out_of_bounds(
    commissioner_client, kent, options, message
):
    response = commissioner_client.post(reverse("contracts:create"), contract_post(options=options))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contract.objects.exists()


# --- The admin ------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The values a browser would post from the page's main form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _admin_post(client, url: str, **changes):
    reader = _FormReader()
    reader.feed(client.get(url).content.decode())
    data = {k: v for k, v in reader.data.items() if k != "csrfmiddlewaretoken"}
    for textarea in [k for k, v in data.items() if len(v) == 1 and v[0].startswith("\n")]:
        data[textarea] = [data[textarea][0][1:]]  # the newline HTML drops after <textarea>
    data.update({k: [v] for k, v in changes.items()})
    return client.post(url, data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start_date", "0001-01-01", "between 1 January 1990"),
        ("initial_end_date", "9999-12-31", "31 December 2100"),
        ("annual_uplift_percent", "100", "less than or equal to 25"),
        ("annual_value", "10000000000.01", "£10,000,000,000 or less"),
        ("title", "Two\r\nlines", "on one line"),
        ("options-0-months", "361", "less than or equal to 360"),
    ],
)
def test_the_admin_refuses_each_contract_bound(admin_client, field, value, message):
    contract = ContractFactory(title="Before")
    OptionFactory(contract=contract, sequence=1, months=12)
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = _admin_post(admin_client, url, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    contract.refresh_from_db()
    assert contract.title == "Before"


def test_the_admin_saves_a_contract_within_bounds(admin_client):
    """The form reader posts what the page shows, so a refusal above is the bound's."""
    contract = ContractFactory(title="Before")
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = _admin_post(admin_client, url, title="After")
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "After"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "24/00001\r\nX-Injected: 1", "on one line"),
        ("decision_date", "9999-12-31", "31 December 2100"),
        ("summary", "NUL\x01", "control characters"),
    ],
)
def test_the_admin_refuses_each_decision_bound(admin_client, field, value, message):
    decision = DecisionFactory(number="24/00001")
    url = reverse("admin:decisions_decision_change", args=[decision.pk])
    response = _admin_post(admin_client, url, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    decision.refresh_from_db()
    assert decision.number == "24/00001"
    assert decision.decision_date is None


# --- The CSV imports ------------------------------------------------------------------

HEADER = ",".join(csv_format.COLUMNS)


def _contract_row(**cells) -> str:
    values = {
        "reference": "KCC-YP",
        "title": "Young people's service",
        "service_area": "drug_alcohol",
        "lead_authority": "Kent County Council",
        "start_date": "2025-02-01",
        "end_date": "2027-01-31",
        "extension_options": "24+12",
        "extensions_exercised": "0",
        "annual_value": "803671.80",
        "annual_uplift_percent": "1",
        "uplift_from_year": "2",
        "procurement_route": "open",
    } | cells
    return ",".join(f'"{values.get(c, "")}"' for c in csv_format.COLUMNS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"start_date": "0001-01-01"}, "line 3: start_date: Enter a date between 1 January 1990"),
        ({"end_date": "9999-12-31"}, "line 3: end_date: Enter a date between"),
        ({"start_date": "1989-12-31"}, "line 3: start_date: Enter a date between"),
        ({"title": "NUL\x00here"}, "line 3: title: Enter this on one line"),
        ({"description": "bell\x07"}, "line 3: description: Remove the control characters"),
        ({"title": "x" * 301}, "line 3: title: Ensure this value has at most 300 characters"),
        ({"annual_value": "1" * 40}, "line 3: annual_value: Cannot read"),
        ({"annual_value": "10000000000.01"}, "line 3: annual_value: Enter an amount of £10,0"),
        ({"annual_uplift_percent": "100"}, "line 3: annual_uplift_percent"),
        ({"uplift_from_year": "1925"}, "line 3: uplift_from_year: Ensure this value is less"),
        ({"extension_options": "361"}, "line 3: extension_options months: Ensure this value"),
        ({"extension_options": "200+161"}, "line 3: extension_options: The options of a"),
        ({"provider": "Two\nlines"}, "line 3: provider name: Enter this on one line"),
        ({"description": "x" * 200_000}, "line 3: the row cannot be read as CSV"),
    ],
)
def test_the_contracts_import_refuses_each_bound_naming_row_and_column(cells, message):
    good = _contract_row(reference="GOOD-1")
    with pytest.raises(csv_format.ImportErrors) as refused:
        csv_format.parse("\n".join([HEADER, good, _contract_row(**cells)]) + "\n")
    assert any(e.startswith(message) for e in refused.value.errors), refused.value.errors
    assert not Contract.objects.exists()


def test_the_contracts_import_page_shows_a_bound_error_not_a_server_error(commissioner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "\n".join([HEADER, _contract_row(end_date="9999-12-31")]) + "\n"
    upload = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
    response = commissioner_client.post(reverse("contracts:import"), {"file": upload})
    assert response.status_code == 200
    assert "line 2: end_date: Enter a date between" in response.content.decode()
    assert not Contract.objects.exists()


GRANTS_HEADER = ",".join(transfer.HEADER)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('OHID,SSMTRG,KCC,2024/25,"' + "1" * 40 + '",confirmed,,', "line 3: cannot read"),
        ("OHID,SSMTRG,KCC,2024/25,10000000000.01,confirmed,,", "line 3: amount: enter an amount"),
        ("OHID,SSMTRG,KCC,2024/25,1000,confirmed,,bell\x07", "line 3: conditions: remove the"),
        (f"OHID,{'x' * 201},KCC,2024/25,1000,confirmed,,", "line 3: programme name: ensure"),
        ("OHID\x00,SSMTRG,KCC,2024/25,1000,confirmed,,", "line 3: funder name: enter this"),
        ("OHID,SSMTRG,KCC,0001/02,1000,confirmed,,", "line 3: enter a financial year from 1990"),
        ("OHID,SSMTRG,KCC,9999/00,1000,confirmed,,", "line 3: enter a financial year"),
        (f'OHID,SSMTRG,KCC,2024/25,1000,confirmed,,"{"x" * 200_000}"', "line 3: the row cannot"),
    ],
)
def test_the_grants_import_refuses_each_bound_naming_the_row(row, message):
    AuthorityFactory(name="Kent County Council", short_name="KCC")
    Funder.objects.create(name="OHID")
    text = f"{GRANTS_HEADER}\nOHID,SSMTRG,KCC,2023/24,1000,confirmed,,\n{row}\n"
    plan = transfer.plan_import(text)
    assert any(e.lower().startswith(message) for e in plan.errors), plan.errors
    assert not plan.ok
    assert not GrantAllocation.objects.exists()


@pytest.mark.django_db
def test_the_migrations_hold_every_bound():
    """The constraints are added by a decorator after the class is built; the migration
    state must still see them (a model whose Meta declared none is the trap)."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"decided_on": "31/12/9999"}, "decided_on", "between 1 January 1990"),
        ({"reason": "Ring\x07"}, "reason", "control characters"),
    ],
)
def test_deciding_an_option_refuses_values_out_of_bounds(
    commissioner_client, fields, field, message
):
    """The option decision form is not a model form: the service checks the bounds."""
    contract = ContractFactory()
    option = OptionFactory(contract=contract, sequence=1, months=12)
    data = {
        "option": str(option.pk),
        "outcome": "exercise",
        "decided_on": "15/05/2026",
        "reason": "Performance is good",
        "authorising_decision": "",
        **fields,
    }
    response = commissioner_client.post(
        reverse("contracts:option_decide", args=[contract.pk]), data
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    option.refresh_from_db()
    assert option.status == ExtensionOption.Status.PENDING


@pytest.mark.django_db
def test_the_import_commands_refuse_a_bound_naming_the_row(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    contracts_file = tmp_path / "contracts.csv"
    contracts_file.write_text(
        "\n".join([HEADER, _contract_row(), _contract_row(reference="B", end_date="9999-12-31")])
    )
    with pytest.raises(CommandError, match="line 3: end_date: Enter a date between"):
        call_command("import_contracts", str(contracts_file))
    assert not Contract.objects.exists()
    AuthorityFactory(name="Kent County Council", short_name="KCC")
    grants_file = tmp_path / "grants.csv"
    grants_file.write_text(f'{GRANTS_HEADER}\nOHID,SSMTRG,KCC,2024/25,"{"9" * 40}",confirmed,,\n')
    with pytest.raises(CommandError):
        call_command("import_grants", str(grants_file))
    assert "line 2: Cannot read" in capsys.readouterr().err
    assert not GrantAllocation.objects.exists()

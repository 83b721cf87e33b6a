"""Value bounds every stored record keeps, so that nothing stored can break a page.

One module for the limits (issue 10 item 4) and one class decorator, :func:`bounded`,
that every domain model wears. For each of the model's own fields it adds the field
validators (so forms, the admin, imports and commands that call ``full_clean`` refuse a
value with a message naming the field) and a database check constraint mirroring them
(so a write that skips validation fails with IntegrityError instead of storing a value
that later breaks the register, the summaries or a PDF):

- dates: between :data:`DATE_MIN` and :data:`DATE_MAX`;
- money (a DecimalField with 2 decimal places): at most :data:`MONEY_MAX` either side
  of zero, and not negative unless the model lists the field in ``signed``;
- any other field with Min/MaxValueValidators (percentages, months, years): the
  constraint mirrors its validators, and a DecimalField that is not money must have both;
- single-line text (CharField): no control characters at all, so no line breaks in
  names, titles, numbers and references (a CR/LF in a decision number broke every PDF
  header); multi-line text (TextField): no control characters but tab and line breaks.

The regex constraints use Django's ``__regex`` lookup: ``~`` on PostgreSQL, and on
SQLite the REGEXP function Django registers on each connection (so a row written to the
SQLite file by another program without that function cannot be checked; PostgreSQL has
no such gap). PostgreSQL cannot store NUL in text at all; the validators refuse it
before psycopg would.

Python-side, the field validators do the checking; :class:`BoundConstraint` skips
Django's per-constraint validation query, which would repeat them one SELECT a field.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

DATE_MIN = date(1990, 1, 1)
DATE_MAX = date(2100, 12, 31)
DATE_RANGE_TEXT = "between 1 January 1990 and 31 December 2100"

MONEY_MAX = Decimal("10000000000.00")  # £10bn
MONEY_DECIMAL_PLACES = 2
# 11 digits before the point hold £10,000,000,000; 2 after it hold pence.
MONEY = {"max_digits": 13, "decimal_places": MONEY_DECIMAL_PLACES}

UPLIFT_MAX_PERCENT = Decimal("25")
MAX_TERM_YEARS = 30
MAX_TERM_MONTHS = MAX_TERM_YEARS * 12  # an initial term, one option, or all options
# Contract years run over the initial term and its options: at most 30 + 30 years.
UPLIFT_FROM_YEAR_MAX = 2 * MAX_TERM_YEARS
# 30 years hold at most 8 leap days, so the day after the longest 30-year term is this
# far from its start.
MAX_TERM_SPAN = timedelta(days=MAX_TERM_YEARS * 365 + 8)

# For one-line text: C0 controls, DEL, C1 controls (with NEL, \x85) and Unicode's line
# and paragraph separators. Written as escapes that PostgreSQL's regular expressions and
# Python's re read the same way.
CONTROL_CHARACTERS = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]"
# For long text: the controls without tab (\x09), line feed (\x0a) and carriage return
# (\x0d).
CONTROL_CHARACTERS_BUT_LINE_BREAKS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"

single_line_text = RegexValidator(
    CONTROL_CHARACTERS,
    inverse_match=True,
    message="Enter this on one line, without line breaks, tabs or control characters.",
    code="control_characters",
)
multi_line_text = RegexValidator(
    CONTROL_CHARACTERS_BUT_LINE_BREAKS,
    inverse_match=True,
    message="Remove the control characters (such as NUL) from this text.",
    code="control_characters",
)


def _date_min() -> MinValueValidator:
    return MinValueValidator(DATE_MIN, message=f"Enter a date {DATE_RANGE_TEXT}.")


def _date_max() -> MaxValueValidator:
    return MaxValueValidator(DATE_MAX, message=f"Enter a date {DATE_RANGE_TEXT}.")


def money_validators(*, signed: bool = False) -> list:
    """Validators for an amount of money: at most £10bn, and not negative unless signed."""
    low = -MONEY_MAX if signed else Decimal("0")
    return [
        MinValueValidator(low, message=f"Enter an amount of £{low:,.2f} or more."),
        MaxValueValidator(MONEY_MAX, message="Enter an amount of £10,000,000,000 or less."),
    ]


def check_date(value: date | None) -> str | None:
    """The message for a date out of bounds, else None (for imports and forms that are
    not model forms)."""
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        return f"{value:%d/%m/%Y} is not {DATE_RANGE_TEXT}"
    return None


class BoundConstraint(models.CheckConstraint):
    """A check constraint the database enforces and the field validators already check
    in Python with a better message, so Django's per-constraint query is skipped."""

    def validate(self, model, instance, exclude=None, using=None):
        return None


def _limits(field: models.Field) -> tuple[object | None, object | None]:
    """The limits of the validators the model declares, not those an IntegerField adds
    from the database's integer range (they differ between PostgreSQL and SQLite)."""
    low = high = None
    for validator in field._validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def _add_validators(field: models.Field, new: Iterable) -> None:
    present = {(type(v), getattr(v, "limit_value", None)) for v in field._validators}
    kept = [v for v in new if (type(v), getattr(v, "limit_value", None)) not in present]
    # New lists, as simple-history's copies of the field share the old ones. CharField
    # has already put its MaxLengthValidator in the cached ``validators``, so keep it.
    field._validators = [*field._validators, *kept]
    if "validators" in field.__dict__:
        field.__dict__["validators"] = [*field.__dict__["validators"], *kept]


def _range_condition(name: str, low, high) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{name}__gte": low})
    if high is not None:
        condition &= Q(**{f"{name}__lte": high})
    return condition


def _bound_field(model_name: str, field: models.Field, signed: bool) -> list[BoundConstraint]:
    name = field.name
    if isinstance(field, models.DateTimeField):
        return []  # set by the clock (auto_now), never typed
    if isinstance(field, models.DateField):
        _add_validators(field, [_date_min(), _date_max()])
    elif isinstance(field, models.DecimalField):
        if field.decimal_places == MONEY_DECIMAL_PLACES:
            if field.max_digits > MONEY["max_digits"]:
                raise ImproperlyConfigured(f"{model_name}.{name}: money needs max_digits 13.")
            _add_validators(field, money_validators(signed=signed))
        elif None in _limits(field):
            raise ImproperlyConfigured(
                f"{model_name}.{name}: a percentage needs a minimum and a maximum validator."
            )
    constraints = []
    low, high = _limits(field)
    if low is not None or high is not None:
        constraints.append(
            BoundConstraint(
                condition=_range_condition(name, low, high), name=f"{model_name}_{name}_range"
            )
        )
    if isinstance(field, models.CharField | models.TextField) and not field.choices:
        multi_line = isinstance(field, models.TextField)
        _add_validators(field, [multi_line_text if multi_line else single_line_text])
        pattern = CONTROL_CHARACTERS_BUT_LINE_BREAKS if multi_line else CONTROL_CHARACTERS
        constraints.append(
            BoundConstraint(
                condition=~Q(**{f"{name}__regex": pattern}), name=f"{model_name}_{name}_text"
            )
        )
    return constraints


def bounded(*, signed: Iterable[str] = ()) -> Callable[[type[models.Model]], type[models.Model]]:
    """Class decorator: give every field of the model its bounds (see the module
    docstring). ``signed`` names money fields that may be negative."""
    signed = frozenset(signed)

    def decorate(model: type[models.Model]) -> type[models.Model]:
        model_name = model._meta.model_name
        added = []
        for field in model._meta.local_concrete_fields:
            added += _bound_field(model_name, field, field.name in signed)
        model._meta.constraints = [*model._meta.constraints, *added]
        # Migrations read constraints only from models whose Meta declared some.
        model._meta.original_attrs["constraints"] = model._meta.constraints
        model._bounded = True
        return model

    return decorate


def field_errors(model: type[models.Model], values: Mapping[str, object]) -> list[str]:
    """``"field: message"`` for each value the model's own fields refuse, checked with
    the same validators as ``full_clean`` (length, choices, bounds, characters). For
    imports, which check every row before writing any. Empty values are left to the
    caller, which knows whether a column is required."""
    errors = []
    for name, value in values.items():
        field = model._meta.get_field(name)
        if value in field.empty_values:
            continue
        try:
            field.clean(value, None)
        except ValidationError as error:
            errors += [f"{name}: {message}" for message in error.messages]
    return errors

"""Choosing one record of a table that grows, by typing: no <select> of every row.

At 100,000 contracts a <select> of them is 8 MB and 12 s a page. A look-up is a text box
instead, and works without JavaScript:

- the user types a reference or part of a name and submits;
- exactly one record matches: it is chosen (the form keeps its primary key);
- several match: the form is re-shown with an error, the typed text and radio buttons
  for the first ``MAX_MATCHES_SHOWN`` of them; picking one and submitting chooses it;
- none match: an error on the field, naming it.

A short closed list (a handful of councils, funders) may stay a <select>: a field with
``select_up_to`` is one while its table has at most that many rows, and becomes a look-up
past it, so no <select> ever lists more than ``MAX_SELECT_OPTIONS`` options.

What each kind of record is found by is a ``Lookup`` (``CONTRACTS``, ``DECISIONS``...).
A look-up of decisions searches a withheld field of an exempt decision only for users
who may read it (``decisions.visibility``): an uncleared user cannot find an exempt
decision by its decision maker, nor learn that it matches.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.html import format_html

# No <select> anywhere lists more options than this.
MAX_SELECT_OPTIONS = 200
# Matches offered to pick from when several match what was typed.
MAX_MATCHES_SHOWN = 20
PICK_SUFFIX = "__pick"


@dataclass(frozen=True)
class Lookup:
    """How records of one kind are found by what people type.

    ``key_fields`` match the whole text exactly (a reference, a number, a name);
    ``label_fields`` make the text shown for a record, which also matches it exactly;
    otherwise each typed word must be in one of ``search_fields``. ``withheld`` names
    search fields that only the records of ``readable(queryset, user)`` may match on.
    """

    noun: str
    key_fields: tuple[str, ...]
    label_fields: tuple[str, ...]
    search_fields: tuple[str, ...]
    hint: str = "reference or part of its name"
    describe: Callable | None = None  # the text in a pick list or a <select>
    withheld: frozenset[str] = field(default_factory=frozenset)
    readable: Callable | None = None
    # The SUGGESTIONS entry a browser with JavaScript may ask for suggestions as one
    # types (static/js/lookup.js); the form works the same without it.
    suggest: str = ""

    def label(self, obj) -> str:
        return " ".join(str(getattr(obj, name)) for name in self.label_fields if getattr(obj, name))

    def description(self, obj) -> str:
        return self.describe(obj) if self.describe else self.label(obj)

    def _word(self, queryset: QuerySet, word: str, user) -> Q:
        query = Q()
        for name in self.search_fields:
            matches = Q(**{f"{name}__icontains": word})
            if name.split("__")[0] in self.withheld and self.readable is not None:
                readable = self.readable(queryset.model._default_manager.all(), user)
                matches &= Q(pk__in=readable.values("pk"))
            query |= matches
        return query

    def find(self, queryset: QuerySet, text: str, user=None) -> list:
        """The records matching ``text``: one if it names one exactly, else up to
        ``MAX_MATCHES_SHOWN + 1`` containing every word (the extra one says "more")."""
        text = " ".join(text.split())
        if not text:
            return []
        exact = Q()
        for name in self.key_fields:
            exact |= Q(**{f"{name}__iexact": text})
        found = list(queryset.filter(exact)[:2])
        if len(found) == 1:
            return found
        if len(self.label_fields) > 1:
            parts = []
            for name in self.label_fields:
                parts += [name, Value(" ")]
            labelled = queryset.alias(
                _lookup_label=Concat(*parts[:-1], output_field=CharField())
            ).filter(_lookup_label__iexact=text)
            found = list(labelled[:2])
            if len(found) == 1:
                return found
        every_word = Q()
        for word in text.split(" "):
            every_word &= self._word(queryset, word, user)
        return list(queryset.filter(every_word)[: MAX_MATCHES_SHOWN + 1])


@dataclass(frozen=True)
class Typed:
    """What was posted for a look-up: the text, and the match picked (a pk), if any."""

    text: str
    pick: str = ""

    def __str__(self) -> str:
        return self.text


class LookupWidget(forms.Widget):
    """A text box (or, for a short list, a <select>) with, after an ambiguous search,
    radio buttons to pick one of the matches.

    ``widget`` is the box itself: the GOV.UK template pack styles it (error state and
    ``aria-describedby`` included), as it does a wrapped admin widget."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.text = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        self.select: forms.Select | None = None
        self.matches: list[tuple[str, str]] = []  # (pk, description)
        self.more = False
        self.noun = "record"
        self.suggest_url = ""

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.text = copy.deepcopy(self.text, memo)
        obj.select = copy.deepcopy(self.select, memo)
        obj.matches = list(self.matches)
        return obj

    @property
    def widget(self) -> forms.Widget:
        return self.select if self.select is not None else self.text

    @property
    def input_type(self) -> str:
        return self.widget.input_type

    def id_for_label(self, id_):
        return id_

    def value_from_datadict(self, data, files, name):
        text = data.get(name)
        if text is None:
            return None
        return Typed(str(text), str(data.get(name + PICK_SUFFIX, "")))

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**self.attrs, **(attrs or {})}
        field_id = attrs.get("id") or f"id_{name}"
        suggestions = ""
        if self.suggest_url and self.select is None:
            attrs.update({"list": field_id + "__suggestions", "data-lookup": self.suggest_url})
            suggestions = format_html('<datalist id="{}"></datalist>', attrs["list"])
        # format_html keeps the box safe: a SafeString plus a plain "" is no longer safe,
        # and the page would show the widget's markup as text.
        box = format_html("{}{}", self.widget.render(name, value, attrs, renderer), suggestions)
        if not self.matches:
            return box
        return render_to_string(
            "ui/lookup_matches.html",
            {
                "box": box,
                "name": name + PICK_SUFFIX,
                "id": field_id + PICK_SUFFIX,
                "matches": self.matches,
                "more": self.more,
                "noun": self.noun,
                "shown": MAX_MATCHES_SHOWN,
            },
        )


class LookupField(forms.Field):
    """One record of ``queryset``, chosen by typing (see the module's docstring).

    ``user`` (set by the form) decides which withheld fields a search may use.
    ``select_up_to`` keeps a short closed list a <select> while it has at most that many
    rows. ``noun`` names the field in its messages (default: the look-up's noun).
    """

    widget = LookupWidget

    def __init__(
        self,
        queryset: QuerySet,
        *,
        lookup: Lookup,
        noun: str | None = None,
        select_up_to: int = 0,
        empty_label: str | None = "Choose one",
        suggest: bool = True,
        **kwargs,
    ):
        if select_up_to > MAX_SELECT_OPTIONS:
            raise ValueError(f"A <select> lists at most {MAX_SELECT_OPTIONS} options.")
        self.lookup = lookup
        self.noun = noun or lookup.noun
        self.select_up_to = select_up_to
        self.empty_label = empty_label
        self.user = None
        messages = {"required": f"Enter the {self.noun}'s {lookup.hint}."}
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)
        self.queryset = queryset
        self.widget.noun = self.noun
        if suggest and lookup.suggest:
            self.widget.suggest_url = reverse_lazy("lookup_suggestions", args=[lookup.suggest])
        self._resolved = None

    @property
    def queryset(self) -> QuerySet:
        return self._queryset

    @queryset.setter
    def queryset(self, queryset: QuerySet) -> None:
        self._queryset = queryset.all()
        self._short_list: list | None = None
        self._counted = False

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._queryset = self._queryset.all()
        result._short_list, result._counted, result._resolved = None, False, None
        return result

    # --- A short list stays a <select> ---------------------------------------------

    def short_list(self) -> list | None:
        """The rows, if few enough for a <select>; None for a look-up. One query."""
        if not self._counted:
            self._counted = True
            if self.select_up_to:
                rows = list(self._queryset[: self.select_up_to + 1])
                if len(rows) <= self.select_up_to:
                    self._short_list = rows
        return self._short_list

    def get_bound_field(self, form, field_name):
        rows = self.short_list()
        if rows is not None and self.widget.select is None:
            empty = [] if self.empty_label is None else [("", self.empty_label)]
            self.widget.select = forms.Select(
                choices=empty + [(obj.pk, self.lookup.description(obj)) for obj in rows]
            )
        return super().get_bound_field(form, field_name)

    # --- Values ----------------------------------------------------------------------

    def prepare_value(self, value):
        """The text in the box: what was typed, else the chosen record's label (the pk
        of an option, for a <select>)."""
        if isinstance(value, Typed):
            return value.text
        model = self._queryset.model
        if self._short_list is not None:
            return value.pk if isinstance(value, model) else value
        if isinstance(value, str) and value.isdigit():
            value = int(value)  # an initial pk (typed text is always Typed)
        if isinstance(value, int) and not isinstance(value, bool):
            value = model._default_manager.filter(pk=value).first()
        if isinstance(value, model):
            return self.lookup.label(value)
        return "" if value is None else value

    def bound_data(self, data, initial):
        # Once resolved, the box shows the chosen record's label, not what was typed.
        return self._resolved if self._resolved is not None else data

    def has_changed(self, initial, data) -> bool:
        typed = data.text.strip() if isinstance(data, Typed) else (data or "")
        shown = self.prepare_value(initial) if initial not in (None, "") else ""
        return str(typed) != str(shown) or bool(isinstance(data, Typed) and data.pick)

    def to_python(self, value):
        if value is None or value == "":
            return None
        typed = value if isinstance(value, Typed) else Typed(str(value))
        text = typed.text.strip()
        if not text:
            return None
        if "\x00" in text:
            # PostgreSQL refuses a NUL even in a lookup.
            raise forms.ValidationError(f"Enter the {self.noun} without a null character.")
        if self.short_list() is not None and text.isdigit():
            record = next((r for r in self._short_list if str(r.pk) == text), None)
            if record is not None:
                return record
        matches = self.lookup.find(self._queryset, text, self.user)
        if typed.pick:
            picked = next((m for m in matches if str(m.pk) == typed.pick), None)
            if picked is not None:
                return picked
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                f"No {self.noun} matches “{text}”. Enter its {self.lookup.hint}.",
                code="no_match",
            )
        shown = matches[:MAX_MATCHES_SHOWN]
        self.widget.matches = [(str(m.pk), self.lookup.description(m)) for m in shown]
        self.widget.more = len(matches) > MAX_MATCHES_SHOWN
        count = f"More than {MAX_MATCHES_SHOWN}" if self.widget.more else str(len(matches))
        raise forms.ValidationError(
            f"{count} {_plural(self.noun)} match “{text}”. Choose one below, or type more of its "
            f"{self.lookup.hint}.",
            code="several",
        )

    def clean(self, value):
        record = super().clean(value)
        self._resolved = record
        return record


def _plural(noun: str) -> str:
    """The nouns used here: "authority" → "authorities", "contract" → "contracts"."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def set_user(form: forms.BaseForm, user) -> None:
    """Tell a form's look-ups who is searching (for what they may match on)."""
    for form_field in form.fields.values():
        if isinstance(form_field, LookupField):
            form_field.user = user


class LookupFilter(django_filters.Filter):
    """A django-filter filter on one record, chosen with a LookupField."""

    field_class = LookupField


# --- What each kind of record is found by -----------------------------------------


def _decision_readable(queryset, user):
    from decisions import visibility

    return visibility.readable_decisions(queryset, user)


def _decision_described(decision) -> str:
    return f"{decision.number} {decision.title} ({decision.authority})"


def _decisions_withheld() -> frozenset[str]:
    from decisions import visibility

    return frozenset(
        {"decision_maker", "decision_maker_role", "report_to", "summary"} - visibility.PUBLIC_FIELDS
    )


CONTRACTS = Lookup(
    noun="contract",
    key_fields=("reference",),
    label_fields=("reference", "title"),
    search_fields=("reference", "title", "provider__name"),
    suggest="contracts",
)
PROVIDERS = Lookup(
    noun="provider",
    key_fields=("name", "charity_number", "company_number"),
    label_fields=("name",),
    search_fields=("name",),
    hint="name or part of it",
    suggest="providers",
)
AUTHORITIES = Lookup(
    noun="authority",
    key_fields=("name", "short_name"),
    label_fields=("name",),
    search_fields=("name", "short_name"),
    hint="name or part of it, for example Kent County Council",
)
DECISIONS = Lookup(
    noun="decision",
    key_fields=("number",),
    label_fields=("number", "title"),
    search_fields=(
        "number",
        "title",
        "authority__name",
        "authority__short_name",
        "decision_maker",
    ),
    hint="number or part of its subject",
    describe=_decision_described,
    withheld=_decisions_withheld(),
    readable=_decision_readable,
    suggest="decisions",
)
FUNDERS = Lookup(
    noun="funder",
    key_fields=("name", "short_name"),
    label_fields=("name",),
    search_fields=("name", "short_name"),
    hint="name or part of it",
)
PROGRAMMES = Lookup(
    noun="programme",
    key_fields=("name", "short_name"),
    label_fields=("name",),
    search_fields=("name", "short_name", "funder__name", "funder__short_name"),
    hint="name or short name",
    describe=lambda programme: f"{programme} – {programme.funder.name}",
)
OUTBOUND_PROGRAMMES = Lookup(
    noun="programme",
    key_fields=("name", "code"),
    label_fields=("name", "financial_year"),
    search_fields=("name", "code", "financial_year"),
    hint="name or code",
)
USERS = Lookup(
    noun="user",
    key_fields=("username",),
    label_fields=("username",),
    search_fields=("username", "first_name", "last_name"),
    hint="name or username",
    describe=lambda user: (
        f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
    ),
)


# --- Suggestions as one types (progressive enhancement) ----------------------------


def _suggestion_sources() -> dict:
    from contracts.models import Contract, Provider
    from decisions.models import Decision

    return {
        "contracts": (CONTRACTS, Contract.objects.order_by("reference"), "contracts.view_contract"),
        "providers": (PROVIDERS, Provider.objects.order_by("name"), "contracts.view_provider"),
        "decisions": (
            DECISIONS,
            Decision.objects.select_related("authority").order_by("-number"),
            "decisions.view_decision",
        ),
    }


def suggestions(kind: str, text: str, user) -> list[dict] | None:
    """Up to MAX_MATCHES_SHOWN records of ``kind`` matching ``text``, as ``user`` may
    find them: each the text that chooses it (``value``) and what to show (``label``).
    None when ``user`` may not read that kind of record."""
    source = _suggestion_sources().get(kind)
    if source is None:
        return None
    lookup, queryset, permission = source
    if not user.has_perm(permission):
        return None
    text = text[:200]
    if len(text.strip()) < 2 or "\x00" in text:
        return []
    found = lookup.find(queryset, text, user)[:MAX_MATCHES_SHOWN]
    return [{"value": lookup.label(r), "label": lookup.description(r)} for r in found]

from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ui.money import format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_item(context, url_name: str, label: str, prefix: str) -> str:
    """A service-navigation link, marked current when the path is in its section."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    active = context["request"].path.startswith(prefix)
    return format_html(
        '<li class="govuk-service-navigation__item{}">'
        '<a class="govuk-service-navigation__link" href="{}"{}>{}</a></li>',
        " govuk-service-navigation__item--active" if active else "",
        url,
        mark_safe(' aria-current="true"') if active else "",
        label,
    )


@register.filter
def money(value) -> str:
    """£1,234,567.89; a dash for nothing."""
    if value is None or value == "":
        return "–"
    return format_money(Decimal(value))


@register.filter
def uk_date(value) -> str:
    """1 February 2025; a dash for nothing."""
    if not value:
        return "–"
    return f"{value.day} {value:%B %Y}"


@register.simple_tag
def filter_widget(field) -> str:
    """A filter field's widget with GOV.UK classes and its hint and error wired up."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    if input_type == "select" or widget.__class__.__name__.endswith("Select"):
        css = "govuk-select"
    elif input_type == "checkbox":
        css = "govuk-checkboxes__input"
    else:
        css = "govuk-input"
    if field.errors:
        css += " govuk-input--error" if css == "govuk-input" else " govuk-select--error"
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)

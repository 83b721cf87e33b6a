from decimal import Decimal

from django import template

from ui.templatetags.ui import money

register = template.Library()


@register.filter
def in_units(value, units: str) -> str:
    """Money as £1,234.56, or in £000s as "1,235" for tables headed "£000s"."""
    if value is None or value == "":
        return "–"
    if units != "thousands":
        return money(value)
    thousands = Decimal(value) / 1000
    sign = "−" if thousands < 0 else ""
    return f"{sign}{abs(thousands):,.0f}"

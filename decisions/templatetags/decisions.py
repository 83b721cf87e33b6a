import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_BOLD = re.compile(r"\*\*(.+?)\*\*")


@register.filter
def bold(text: str) -> str:
    """Escape report text, then turn **words** into bold: the only markup allowed."""
    return mark_safe(_BOLD.sub(r"<strong>\1</strong>", escape(text or "")))


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


@register.filter
def roman(number: int) -> str:
    """1 → I, 4 → IV: how committee reports number their recommendations."""
    number = int(number)
    out = []
    for value, numeral in _ROMAN:
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


@register.filter
def linebreaks_list(text: str) -> list[str]:
    """Paragraphs of plain text, split on blank lines (single line breaks kept as spaces)."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [" ".join(line.strip() for line in b.splitlines()) for b in blocks if b.strip()]

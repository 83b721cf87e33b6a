"""Routes of the reg 25 annual summary for the smoke walk (tests/smoke_objects.py): any
signed-in user may open them (permission None)."""

from contracts.models import Authority
from psr import rules


def routes() -> dict:
    authority = Authority.objects.first()
    args = (authority.pk, rules.FIRST_REPORTING_YEAR)
    return {
        "psr:annual": ((), None),
        "psr:annual_summary": (args, None),
        "psr:annual_summary_pdf": (args, None),
    }

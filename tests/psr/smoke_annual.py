"""Routes of the reg 25 annual summary for the smoke walk (tests/smoke_objects.py): anyone
who may read contracts may open them."""

from contracts.models import Authority
from psr import rules


def routes() -> dict:
    authority = Authority.objects.first()
    args = (authority.pk, rules.FIRST_REPORTING_YEAR)
    return {
        "psr:annual": ((), "contracts.view_contract"),
        "psr:annual_summary": (args, "contracts.view_contract"),
        "psr:annual_summary_pdf": (args, "contracts.view_contract"),
    }

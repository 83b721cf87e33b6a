"""Open-data routes of the public site for the smoke walk (tests/smoke_objects.py):
anyone may download them, signed in or not."""

from tests.grants.factories import OutboundGrantFactory
from tests.smoke_objects import PUBLIC


def routes() -> dict:
    # An authority with a grant awarded, so that its 360Giving file exists.
    authority = OutboundGrantFactory().programme.authority
    return {
        name: ((authority.pk,), PUBLIC)
        for name in (
            "public:ocds",
            "public:transparency_contracts",
            "public:transparency_grants",
            "public:giving",
        )
    }

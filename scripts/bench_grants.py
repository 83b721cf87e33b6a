"""Time the grants summaries and registers with many records (not a test: figures only).

Usage: DATABASE_URL=sqlite:////tmp/bench_grants.sqlite3 python scripts/bench_grants.py [N]
Builds N contracts (shared 48.6/51.4, two years, with funding and a commitment each) and
N allocations in the database named by DATABASE_URL (which it migrates and fills: use a
throwaway one), then prints the median time and query count of each page.
"""

import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = (
    "/grants/",
    "/grants/commitments/",
    "/grants/summaries/grants/?units=thousands",
    "/grants/summaries/funders/",
    "/grants/summaries/contracts/?from_year=2024/25&to_year=2025/26",
    "/grants/summaries/service-areas/?from_year=2024/25&to_year=2025/26",
    "/grants/export/",
)


def build(count: int) -> None:
    from accounts.roles import COMMISSIONER, ensure_roles
    from tests.accounts.factories import UserFactory
    from tests.contracts.factories import AuthorityFactory, ContractFactory, ShareFactory
    from tests.grants.factories import (
        AllocationFactory,
        AllocationShareFactory,
        CommitmentFactory,
        FundingFactory,
    )

    ensure_roles()
    UserFactory(username="bench", role=COMMISSIONER)
    north = AuthorityFactory(name="North Northamptonshire Council", short_name="NNC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    for _ in range(count):
        contract = ContractFactory(
            lead_authority=west, start_date=date(2024, 4, 1), initial_end_date=date(2026, 3, 31)
        )
        ShareFactory(contract=contract, authority=north, percentage=Decimal("48.6"))
        ShareFactory(contract=contract, authority=west, percentage=Decimal("51.4"))
        FundingFactory(contract=contract, financial_year="2024/25")
        allocation = AllocationFactory(authority=west)
        AllocationShareFactory(allocation=allocation, authority=north, percentage=Decimal("48.6"))
        AllocationShareFactory(allocation=allocation, authority=west, percentage=Decimal("51.4"))
        CommitmentFactory(allocation=allocation, contract=contract, amount=Decimal("1000"))


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username="bench").exists():
        started = time.perf_counter()
        build(count)
        print(f"built {count} contracts and allocations in {time.perf_counter() - started:.1f}s")
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    print(f"{'page':70} {'median ms':>9} {'queries':>7}")
    for path in PAGES:
        times = []
        for _ in range(5):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(f"{path:70} {statistics.median(times):9.0f} {len(queries):7d}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)

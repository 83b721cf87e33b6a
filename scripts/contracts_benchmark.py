"""Time the contracts register with many providers and contracts.

Usage (on a throwaway database, which it fills):
    DEBUG=true DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DEBUG=true DATABASE_URL=sqlite:////tmp/bench.sqlite3 \
        .venv/bin/python scripts/contracts_benchmark.py [PROVIDERS] [CONTRACTS]

Adds PROVIDERS providers (default 5,000) and CONTRACTS contracts (default 1,000), each
with two options and two shares, then prints the time and query count of register pages.
"""

import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.roles import COMMISSIONER, ensure_roles  # noqa: E402
from contracts.models import Authority, Contract, CostShare, ExtensionOption, Provider  # noqa: E402


def fill(providers: int, contracts: int) -> None:
    with transaction.atomic():
        have = Provider.objects.filter(name__startswith="Bench provider").count()
        for n in range(have, providers):
            Provider(name=f"Bench provider {n:05d}").save()
        north, _ = Authority.objects.get_or_create(name="Bench North Council")
        west, _ = Authority.objects.get_or_create(name="Bench West Council")
        have = Contract.objects.filter(reference__startswith="BENCH-").count()
        names = list(Provider.objects.filter(name__startswith="Bench provider")[:contracts])
        for n in range(have, contracts):
            contract = Contract(
                reference=f"BENCH-{n:05d}",
                title=f"Benchmark service {n}",
                provider=names[n % len(names)],
                lead_authority=west,
                start_date=date(2024 + n % 3, 4, 1),
                initial_end_date=date(2027 + n % 3, 3, 31),
                annual_value=Decimal(100000 + n),
                annual_uplift_percent=Decimal("1"),
                stated_whole_life_value="£1.2m",
            )
            contract.save()
            ExtensionOption(contract=contract, sequence=1, months=24, status="exercised").save()
            ExtensionOption(contract=contract, sequence=2, months=12).save()
            CostShare(contract=contract, authority=north, percentage=Decimal("48.6")).save()
            CostShare(contract=contract, authority=west, percentage=Decimal("51.4")).save()


def timed(client: Client, path: str, params: dict) -> tuple[float, int, int]:
    best = None
    for _ in range(3):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path, params)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        best = elapsed if best is None else min(best, elapsed)
    return best, len(queries), len(response.content)


def main(providers: int, contracts: int) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    ensure_roles()
    fill(providers, contracts)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(username="bench-commissioner")
    user.groups.add(Group.objects.get(name=COMMISSIONER))
    client = Client()
    client.force_login(user)
    print(
        f"{Provider.objects.count()} providers, {Contract.objects.count()} contracts "
        f"({connection.vendor})"
    )
    cases = [
        ("register, first page of 25", "/contracts/", {}),
        ("register, 100 a page", "/contracts/", {"per_page": 100}),
        ("sorted by whole-life value", "/contracts/", {"sort": "-whole_life_value"}),
        ("provider name contains", "/contracts/", {"provider": "provider 00042"}),
        ("authority contains", "/contracts/", {"authority": "bench north"}),
        ("status live", "/contracts/", {"status": "live"}),
        ("ends between", "/contracts/", {"ends_from": "01/01/2028", "ends_to": "31/12/2028"}),
        ("CSV download of all rows", "/contracts/", {"_export": "csv"}),
        ("add form (provider is a text box)", "/contracts/new/", {}),
    ]
    for label, path, params in cases:
        seconds, queries, size = timed(client, path, params)
        print(f"{label:40} {seconds * 1000:8.0f} ms {queries:4d} queries {size / 1024:8.0f} KB")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*(args + [5000, 1000][len(args) :]))

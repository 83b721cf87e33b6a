"""Peak memory (RSS) of one export of many contracts, in a fresh process.

Usage (on a throwaway database):
    export DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python manage.py migrate
    .venv/bin/python scripts/export_rss.py seed 100000     # adds contracts WITHOUT history
    .venv/bin/python scripts/export_rss.py /contracts/export.csv
    .venv/bin/python scripts/export_rss.py "/contracts/?_export=xlsx"

Seeding writes straight to the tables (no history: a benchmark database only). An export
is fetched through the test client as the demo commissioner and read to the end; the
process's peak RSS (VmHWM) before and after is printed.
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

from django.db import models  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import COMMISSIONER, ensure_roles  # noqa: E402
from contracts.models import Authority, Contract, CostShare, ExtensionOption  # noqa: E402


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def seed(count: int) -> None:
    north, _ = Authority.objects.get_or_create(name="RSS North Council")
    west, _ = Authority.objects.get_or_create(name="RSS West Council")
    have = Contract.objects.filter(reference__startswith="RSS-").count()
    for start in range(have, count, 5000):
        batch = [
            Contract(
                reference=f"RSS-{n:06d}",
                title=f"Export benchmark service {n}",
                description="=1+1 treatment and recovery" if n % 2 else "",
                lead_authority=west,
                start_date=date(2024, 4, 1),
                initial_end_date=date(2027, 3, 31),
                annual_value=Decimal(100000 + n),
                annual_uplift_percent=Decimal("1"),
            )
            for n in range(start, min(start + 5000, count))
        ]
        created = models.QuerySet(Contract).bulk_create(batch)
        models.QuerySet(ExtensionOption).bulk_create(
            ExtensionOption(contract=c, sequence=1, months=24) for c in created
        )
        models.QuerySet(CostShare).bulk_create(
            share
            for c in created
            for share in (
                CostShare(contract=c, authority=north, percentage=Decimal("48.6")),
                CostShare(contract=c, authority=west, percentage=Decimal("51.4")),
            )
        )
    print(f"{Contract.objects.count()} contracts")


def export(url: str) -> None:
    ensure_roles()
    user, _ = User.objects.get_or_create(username="rss-commissioner")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=COMMISSIONER))
    client = Client()
    client.force_login(user)
    before = peak_mb()
    started = time.perf_counter()
    response = client.get(url, secure=True)
    size = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
    print(
        f"{url}: {response.status_code} {response.get('Content-Type')}, "
        f"{size / 1024 / 1024:.1f} MB in {time.perf_counter() - started:.1f} s; "
        f"peak RSS {before:.0f} MB before, {peak_mb():.0f} MB after"
    )


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    else:
        export(sys.argv[1])

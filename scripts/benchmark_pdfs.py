#!/usr/bin/env python
"""How long the clerks' PDFs take to make: the median of N renders of each kind.

Builds a throwaway in-memory SQLite database with the demo data, then asks for each
PDF as the clerk would (through the view, so the queries are counted in), and
prints one line per kind. Nothing is written anywhere.

    .venv/bin/python scripts/benchmark_pdfs.py            # 5 renders of each
    .venv/bin/python scripts/benchmark_pdfs.py --runs 11
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="renders of each PDF (default 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    from accounts.models import User
    from decisions.models import Decision

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--force", stdout=io.StringIO())

    client = Client()
    client.force_login(User.objects.get(username="clerk"))
    report = Decision.objects.get(number="24/00056")
    cases = [
        ("Key Decision Report 24/00056", reverse("decisions:report_pdf", args=[report.pk])),
        ("Record of Decision 24/00056", reverse("decisions:record_pdf", args=[report.pk])),
        ("Forward plan notice 24/00056", reverse("decisions:notice_pdf", args=[report.pk])),
        ("Forward plan of key decisions", reverse("decisions:forward_plan_pdf")),
    ]
    print(f"Median of {args.runs} renders (first render warms fonts and templates, not counted)")
    for name, url in cases:
        client.get(url)  # warm-up
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        pages = len(PdfReader(io.BytesIO(response.content)).pages)
        print(
            f"  {name:<32} {statistics.median(times) * 1000:7.0f} ms  "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; "
            f"{pages} page{'s' if pages != 1 else ''}, {len(response.content) // 1024} KiB)"
        )


if __name__ == "__main__":
    main()

"""Time the history feed (/history/) over many history rows (figures, not a test).

Usage (PostgreSQL, on a throwaway database that has the demo data):
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \
        .venv/bin/python manage.py migrate
    DEBUG=true DATABASE_URL=... .venv/bin/python manage.py load_demo
    DEBUG=true DATABASE_URL=... .venv/bin/python scripts/feed_benchmark.py [ROWS]

Copies the demo's history rows, with dates spread over three years, until the history
tables hold ROWS rows (default 1,000,000), then prints the median time and the query
count of the feed's pages and filters. The copies are written in SQL: their hmac chain
is not valid (verify_history will name them), which a timing does not need.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from audit.feed import audited_models  # noqa: E402

RUNS = 7


def history_rows() -> int:
    with connection.cursor() as cursor:
        total = 0
        for model in audited_models():
            cursor.execute(f'SELECT count(*) FROM "{model.history.model._meta.db_table}"')
            total += cursor.fetchone()[0]
    return total


def fill(target: int) -> None:
    """Copy each table's rows until the total reaches ``target``, in proportion to the
    rows each table has (contracts and decisions change most)."""
    have = history_rows()
    if have >= target * 0.99:
        return
    tables = []
    with connection.cursor() as cursor:
        for model in audited_models():
            table = model.history.model._meta.db_table
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            rows = cursor.fetchone()[0]
            if rows:
                tables.append((table, rows))
        factor = (target - have) / sum(rows for _, rows in tables)
        for table, _rows in tables:
            copies = max(1, round(factor))
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
                if c.name not in ("history_id", "history_date", "history_type")
            ]
            names = ", ".join(f'"{c}"' for c in columns)
            cursor.execute(
                f'INSERT INTO "{table}" ({names}, history_date, history_type) '
                f"SELECT {names}, now() - random() * interval '3 years', "
                "(ARRAY['~', '~', '~', '~', '~', '~', '+', '+', '-'])"
                "[1 + floor(random() * 9)::int] "
                f'FROM "{table}", generate_series(1, %s)',
                [copies],
            )
        cursor.execute("ANALYZE")


def time_page(client: Client, url: str) -> tuple[float, int]:
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries)


def main() -> None:
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    fill(target)
    print(f"{history_rows():,} history rows")
    from django.contrib.auth import get_user_model

    auditor = get_user_model().objects.get(username="auditor")
    clerk = get_user_model().objects.get(username="clerk")
    client = Client()
    client.force_login(auditor)
    pages = [
        "/history/",
        "/history/?page=2",
        "/history/?page=40",
        "/history/?page=40&sort=history_date",
        "/history/?date_from=2025-01-01&date_to=2025-01-31",
        f"/history/?user={clerk.pk}",
        "/history/?action=-",
        "/history/?record_type=contracts.contract",
        "/history/?record_type=decisions.decision&action=%2B",
    ]
    for url in pages:
        ms, queries = time_page(client, url)
        print(f"{ms:8.1f} ms  {queries:3d} queries  {url}")


if __name__ == "__main__":
    main()

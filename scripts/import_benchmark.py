"""Time the contracts import of a large file in the documented format (docs/contracts-csv.md).

Usage (on a throwaway database, which it fills):
    export DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python manage.py migrate
    .venv/bin/python scripts/import_benchmark.py [ROWS]

Writes a CSV of ROWS contracts (default 10,000; every third shared between two
councils by percentage, options on most, 500 providers), then runs `import_contracts`
with --dry-run, for real, again unchanged, and again with one row in ten changed,
printing the time and number of queries of each and checking the history chains.
"""

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from audit.chain import verify_all  # noqa: E402
from contracts import csv_format  # noqa: E402
from contracts.models import Contract  # noqa: E402

COUNCILS = ["Bench North Council", "Bench West Council", "Bench Kent Council"]


def write_file(rows: int, *, changed_every: int = 0) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_format.COLUMNS)
    for n in range(rows):
        lead = COUNCILS[n % 3]
        shares = (
            f"{COUNCILS[0]}=48.6%;{COUNCILS[1]}=51.4%" if n % 3 == 1 else ""
        )  # the lead pays it all otherwise
        value = 100_000 + n + (1 if changed_every and n % changed_every == 0 else 0)
        writer.writerow(
            [
                f"BENCH-IMP-{n:05d}",
                f"Benchmark service {n}",
                "Treatment and recovery" if n % 2 else "",
                ["drug_alcohol", "sexual_health", "early_help"][n % 3],
                f"Bench provider {n % 500:03d}" if n % 10 else "",
                lead,
                shares,
                f"{2020 + n % 5}-04-01",
                f"{2025 + n % 5}-03-31",
                ["", "24", "24+12", "12:350000+12"][n % 4],
                "1" if n % 4 >= 2 and n % 8 < 4 else "0",
                f"£{value:,}.50",
                "1.5" if n % 5 else "0",
                "2",
                ["open", "psr_competitive", "framework"][n % 3],
                "£1.2m" if n % 7 == 0 else "",
            ]
        )
    return out.getvalue()


def timed(label: str, *args) -> None:
    """Wall-clock time, this process's CPU time (less disturbed by a busy machine) and
    the number of queries."""
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        call_command("import_contracts", *args, stdout=io.StringIO())
    print(
        f"{label:<36} {time.perf_counter() - started:7.1f} s "
        f"(CPU {time.process_time() - cpu:5.1f} s) {len(queries):7} queries"
    )


def main(rows: int) -> None:
    print(f"{connection.vendor}, {rows} rows")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contracts.csv"
        path.write_text(write_file(rows), encoding="utf-8")
        print(f"file: {path.stat().st_size / 1024 / 1024:.1f} MB")
        timed("import --dry-run (new file)", str(path), "--dry-run")
        timed("import (all new)", str(path))
        assert Contract.objects.filter(reference__startswith="BENCH-IMP-").count() == rows
        timed("import again, unchanged", str(path))
        path.write_text(write_file(rows, changed_every=10), encoding="utf-8")
        timed("import again, 1 row in 10 changed", str(path))
    started = time.perf_counter()
    findings = verify_all()
    print(f"verify_history: {len(findings)} findings ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

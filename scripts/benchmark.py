#!/usr/bin/env python
"""Page times at scale on PostgreSQL: 10k and 100k contracts, side by side, as Markdown.

    .venv/bin/python scripts/benchmark.py            # 10k and 100k contracts (make benchmark)
    .venv/bin/python scripts/benchmark.py --quick    # 2k contracts: checks it runs (a few minutes)

What it does, all on the PostgreSQL server of ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/postgres``, a maintenance database; the user must be
allowed to create databases):

1. ``bench_template``: an empty, migrated database, made again only when the migrations
   change. Every benchmark database is copied from it (``CREATE DATABASE ... TEMPLATE``).
2. ``bench_10k`` and ``bench_100k`` (``bench_2k`` with ``--quick``): filled by
   ``manage.py seed_benchmark``. The 100k one also gets ~1M history rows (the history
   feed is timed against it); the 10k one keeps the history its seeding writes.
   Each records what it was seeded with (contracts, history rows, a hash of the seed
   command and of the migrations) in its database comment, so a rerun with nothing
   changed skips seeding. ``--reseed`` forces it.
3. For each database, a child process (``--measure``) signs in with the Django test
   ``Client`` (DEBUG off; the seeded commissioner, or its administrator for the admin
   site), asks for each page once to warm up and once to count its queries, then times
   ``--requests`` more (20 by default) and reports p50 and p95. A page whose warm-up
   took longer than ``--slow-seconds`` (10) is timed ``--slow-requests`` times (3)
   instead, and any page stops after ``--budget`` seconds (120) once it has that many;
   the table says so (``n=3``).
4. The CSV exports of every contract run in a child process each; their wall time and
   peak memory (max RSS, from ``wait4``) are reported. The import of a 10,000-row CSV
   in the documented format (docs/contracts-csv.md) runs ``import_contracts`` on a
   fresh copy of the largest database, dropped afterwards. An export or the import
   still running after ``--timeout`` seconds is stopped and reported as such.
5. EXPLAIN (ANALYZE, BUFFERS) of the register's main query, unfiltered and filtered by
   status, on the largest database, saying whether an index is used.

Databases are kept for the next run; ``--drop`` drops them (and the template) at the end.
"""

import argparse
import csv
import hashlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SEED_COMMAND = ROOT / "contracts" / "management" / "commands" / "seed_benchmark.py"
TEMPLATE = "bench_template"
MILLION = 1_000_000

# The settings every child runs with: production-like (DEBUG off), fixed keys so the
# history chain of a kept database verifies on the next run.
CHILD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-secret-key-not-for-any-deployment-0123456789",
    "HISTORY_HMAC_KEY": "benchmark-history-key-not-for-any-deployment-0123456789",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "ERROR",
}


# --- Databases ---------------------------------------------------------------------------


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection():
    import psycopg

    return psycopg.connect(server_url(), autocommit=True)


def comment_of(name: str) -> str | None:
    """The database's comment, or None if there is no such database."""
    with admin_connection() as conn:
        row = conn.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
            "FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else row[0]


def drop(name: str) -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create(name: str, template: str | None = None) -> None:
    drop(name)
    with admin_connection() as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')


def set_comment(name: str, comment: str) -> None:
    import psycopg.sql as sql

    with admin_connection() as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(comment)
            )
        )


def migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        if ".venv" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def seed_hash() -> str:
    return hashlib.sha256(SEED_COMMAND.read_bytes()).hexdigest()[:16]


def child_env(database: str) -> dict:
    return {**os.environ, **CHILD_ENV, "DATABASE_URL": database_url(database)}


def manage(database: str, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=child_env(database),
        check=True,
        text=True,
        capture_output=capture,
    )


def ensure_template(log) -> None:
    marker = f"bench template migrations={migrations_hash()}"
    if comment_of(TEMPLATE) == marker:
        return
    log(f"Creating {TEMPLATE} (migrate)...")
    started = time.perf_counter()
    create(TEMPLATE)
    manage(TEMPLATE, "migrate", "--no-input", "-v", "0")
    set_comment(TEMPLATE, marker)
    log(f"  migrated in {time.perf_counter() - started:.0f}s")


def ensure_seeded(name: str, contracts: int, history_rows: int, reseed: bool, log) -> str:
    """Seed ``name`` unless it already holds this seed; return how long seeding took."""
    marker = (
        f"seed_benchmark contracts={contracts} history_rows={history_rows} "
        f"seed={seed_hash()} migrations={migrations_hash()}"
    )
    if not reseed and comment_of(name) == marker:
        log(f"{name}: already seeded with these parameters, kept.")
        return "kept from an earlier run"
    extra = f" and history to {history_rows} rows" if history_rows else ""
    log(f"{name}: seeding {contracts} contracts{extra}...")
    create(name, template=TEMPLATE)
    started = time.perf_counter()
    args = ["seed_benchmark", "--contracts", str(contracts)]
    if history_rows:
        args += ["--history-rows", str(history_rows)]
    manage(name, *args)
    seconds = time.perf_counter() - started
    analyze(name)
    set_comment(name, marker)
    log(f"{name}: seeded in {seconds:.0f}s")
    return f"{seconds:.0f}s"


def analyze(name: str) -> None:
    """Fresh planner statistics, as autovacuum would have after a bulk load."""
    import psycopg

    with psycopg.connect(database_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# --- Child processes: timing, exports, import ------------------------------------------------


def run_measured(cmd: list[str], env: dict, timeout: float) -> tuple[float, float, str]:
    """Run ``cmd``; return (wall seconds, peak RSS in MiB, outcome) of that process.
    The outcome is "ok", "exit N" or "stopped" (still running after ``timeout``)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        outcome = None
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                outcome = "stopped"
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if outcome is None:
            outcome = "ok" if process.returncode == 0 else f"exit {process.returncode}"
            if process.returncode != 0:
                errors.seek(0)
                sys.stderr.write(errors.read().decode(errors="replace")[-5000:])
    return seconds, usage.ru_maxrss / 1024, outcome


def import_csv(path: Path, rows: int, seed: int = 7) -> None:
    """``rows`` new contracts in the documented import format (docs/contracts-csv.md)."""
    rng = random.Random(seed)
    authorities = (
        "North Northamptonshire Council",
        "West Northamptonshire Council",
        "Kent County Council",
    )
    areas = ("drug_alcohol", "sexual_health", "early_help", "health_visiting", "other")
    routes = ("open", "psr_competitive", "psr_direct_c", "framework", "restricted", "waiver")
    columns = [
        "reference", "title", "description", "service_area", "provider", "lead_authority",
        "cost_shares", "start_date", "end_date", "extension_options", "extensions_exercised",
        "annual_value", "annual_uplift_percent", "uplift_from_year", "procurement_route",
        "stated_whole_life_value",
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        for n in range(rows):
            lead = rng.randrange(3)
            other = (lead + 1 + rng.randrange(2)) % 3
            start = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 8))
            years = rng.randint(2, 5)
            end = date(start.year + years, start.month, 1) - timedelta(days=1)
            options = rng.choice(("24+12", "12+12", "24", "", "36+24"))
            exercised = rng.randint(0, len(options.split("+"))) if options else 0
            split = rng.choice(((50, 50), (48.6, 51.4), (60, 40), (75, 25)))
            writer.writerow(
                [
                    f"IMP-{n + 1:05d}",
                    f"Imported service {n + 1}",
                    "" if n % 3 else "Imported for the benchmark.\nSecond line.",
                    areas[n % len(areas)],
                    f"Imported Provider {rng.randrange(2000)} Ltd" if n % 4 else "",
                    authorities[lead],
                    f"{authorities[lead]}={split[0]}%;{authorities[other]}={split[1]}%"
                    if n % 2
                    else "",
                    start.isoformat() if n % 2 else start.strftime("%d/%m/%Y"),
                    end.isoformat(),
                    options,
                    exercised,
                    f"£{rng.randrange(50, 5000) * 1000:,}"
                    if n % 5
                    else f"{rng.randrange(50_000, 5_000_000)}.50",
                    rng.choice(("0", "1", "1.5%", "2", "3")),
                    2,
                    routes[n % len(routes)],
                    "",
                ]
            )


def imported_figures(name: str) -> tuple[int, str]:
    """The stored register figures of the imported contracts (``IMP-`` references) in
    ``name``: how many, and a hash of them all, so two databases can be compared."""
    import psycopg

    with psycopg.connect(database_url(name)) as conn:
        rows = conn.execute(
            """
            SELECT c.reference, f.current_end, f.maximum_end, f.whole_life_value,
                   f.value_to_current_end, f.reconciliation_state,
                   (SELECT string_agg(a.name || '=' || s.annual || '/' || s.whole_life, ';'
                                      ORDER BY s.position)
                      FROM contracts_sharefigures s
                      JOIN contracts_authority a ON a.id = s.authority_id
                     WHERE s.contract_id = c.id),
                   (SELECT string_agg(y.financial_year || '=' || y.amount, ';'
                                      ORDER BY y.financial_year)
                      FROM contracts_yearfigures y WHERE y.contract_id = c.id)
              FROM contracts_contract c
              JOIN contracts_contractfigures f ON f.contract_id = c.id
             WHERE c.reference LIKE 'IMP-%%'
             ORDER BY c.reference
            """
        ).fetchall()
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


# --- The child that times pages ---------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def test_settings() -> None:
    """What the test suite changes too: any host (the test client's), and static files
    read from the source (production hashes them at collectstatic; nothing to time)."""
    from django.conf import settings
    from django.test.utils import override_settings

    warnings.filterwarnings("ignore", message="No directory at")
    override_settings(
        ALLOWED_HOSTS=["*"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()


def measure(
    label: str, requests: int, slow_seconds: float, slow_requests: int, budget: float, out: Path
) -> None:
    """In a child whose DATABASE_URL is the database to time."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    import django

    django.setup()
    from django.contrib import admin
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from audit.chain import chained_models
    from contracts.models import Contract
    from decisions.models import Decision

    test_settings()
    admin.site._registry[Contract].list_per_page = 50  # the register's 50 rows a page

    commissioner = Client()
    commissioner.force_login(User.objects.get(username="bench-commissioner"))
    administrator = Client()
    administrator.force_login(User.objects.get(username="bench-admin"))

    contract = (
        Contract.objects.annotate(
            exercised=Count("options", filter=Q(options__status="exercised"), distinct=True)
        )
        .filter(exercised__gte=1, subcontractors__isnull=False)
        .order_by("pk")
        .first()
    ) or Contract.objects.order_by("pk").first()
    facts = {
        "contracts": Contract.objects.count(),
        "decisions": Decision.objects.count(),
        "history_rows": sum(m._base_manager.count() for m in chained_models()),
    }
    cases = [
        ("Register: all contracts, 50 rows", commissioner, "/contracts/?per_page=50&status=all"),
        ("Register: default (current contracts), 50 rows", commissioner, "/contracts/?per_page=50"),
        (
            "Register: status live, sorted by current end",
            commissioner,
            "/contracts/?per_page=50&status=live&sort=current_end",
        ),
        (
            "Register: page 100 (rows 4,951-5,000)",
            commissioner,
            "/contracts/?per_page=50&status=all&page=100",
        ),
        ("Contract detail", commissioner, f"/contracts/{contract.pk}/"),
        ("Decisions list", commissioner, "/decisions/?per_page=50"),
        ("Grants summary: by authority and year", commissioner, "/grants/summaries/grants/"),
        ("Grants summary: by funder", commissioner, "/grants/summaries/funders/"),
        ("Grants summary: contracts", commissioner, "/grants/summaries/contracts/"),
        ("Grants summary: service areas", commissioner, "/grants/summaries/service-areas/"),
        ("History feed (/history/)", commissioner, "/history/?per_page=50"),
        ("Admin changelist: contracts (yardstick)", administrator, "/admin/contracts/contract/"),
    ]

    def get(client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    results = []
    for name, client, url in cases:
        started = time.perf_counter()
        get(client, url)  # warm-up
        warm = time.perf_counter() - started
        slow = warm > slow_seconds
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            get(client, url)
            first = time.perf_counter() - started
        count = len(queries)
        times = [first] if slow else []
        case_started = time.perf_counter()
        for _ in range(slow_requests - 1 if slow else requests):
            if len(times) >= slow_requests and time.perf_counter() - case_started > budget:
                break  # a busy machine: enough for a median, the table says n=...
            started = time.perf_counter()
            get(client, url)
            times.append(time.perf_counter() - started)
        results.append(
            {
                "name": name,
                "url": url,
                "n": len(times),
                "p50": percentile(times, 50) * 1000,
                "p95": percentile(times, 95) * 1000,
                "queries": count,
            }
        )
        print(
            f"  [{label}] {name}: p50 {results[-1]['p50']:.0f} ms, "
            f"p95 {results[-1]['p95']:.0f} ms, {count} queries (n={len(times)})",
            file=sys.stderr,
            flush=True,
        )

    explains = {}
    for name, url in (
        ("all", "/contracts/?per_page=50&status=all"),
        ("default", "/contracts/?per_page=50"),
        ("status filter", "/contracts/?per_page=50&status=live&sort=current_end"),
    ):
        explains[name] = explain_register(commissioner, url, connection, CaptureQueriesContext)
    out.write_text(json.dumps({"facts": facts, "results": results, "explains": explains}))


def explain_register(client, url, connection, capture) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest query the page ran on the contracts table
    (in FROM or a JOIN), and the scans in its plan."""
    with capture(connection) as queries:
        client.get(url)
    candidates = [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and '"contracts_contract"' in q["sql"]
    ]
    if not candidates:
        return {"sql": "", "plan": ["(no query on contracts_contract)"], "index": "n/a"}
    query = max(candidates, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        plan = [row[0] for row in cursor.fetchall()]
    scans = [
        line.strip().removeprefix("->").strip().split("  (")[0]
        for line in plan
        if " Scan " in f" {line.strip().removeprefix('->').strip()}" and " on " in line
    ]
    on_contracts = [scan for scan in scans if " on contracts_" in scan]
    if any("Index" in scan for scan in on_contracts):
        index = "yes"
    elif any(scan.startswith("Seq Scan on contracts_contract") for scan in scans):
        index = "no (sequential scan of contracts_contract)"
    else:
        index = "no"
    return {
        "sql": query["sql"][:600],
        "ms": float(query["time"]) * 1000,
        "queries": len(queries.captured_queries),
        "plan": plan,
        "index": f"{index}; scans: " + "; ".join(dict.fromkeys(scans)),
    }


def export_child(url: str) -> None:
    """In a child: download ``url`` as the commissioner, streamed, to nowhere."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User

    test_settings()
    client = Client()
    client.force_login(User.objects.get(username="bench-commissioner"))
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    lines = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        lines += chunk.count(b"\n")
    print(lines)


# --- The parent ------------------------------------------------------------------------------


def label_of(count: int) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


def fmt_ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2k contracts only (a check).")
    parser.add_argument("--sizes", help="Contract counts, comma-separated (default 10000,100000).")
    parser.add_argument(
        "--history-rows",
        type=int,
        default=MILLION,
        help="History rows in the largest database (default 1,000,000).",
    )
    parser.add_argument("--requests", type=int, default=20, help="Timed requests a page (20).")
    parser.add_argument("--slow-seconds", type=float, default=10.0)
    parser.add_argument("--slow-requests", type=int, default=3)
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="Seconds of timed requests a page (120): past it, stop once there are "
        "--slow-requests of them (the table says n=...).",
    )
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="Seconds an export or the import may run before it is stopped (1800).",
    )
    parser.add_argument("--reseed", action="store_true", help="Seed again even if unchanged.")
    parser.add_argument("--drop", action="store_true", help="Drop the databases at the end.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--export-url", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        measure(
            args.measure,
            args.requests,
            args.slow_seconds,
            args.slow_requests,
            args.budget,
            args.out,
        )
        return
    if args.export_url:
        export_child(args.export_url)
        return

    if args.quick:
        sizes = [2000]
        history = {2000: 30_000}
        import_rows = min(args.import_rows, 1000)
    else:
        sizes = [int(s) for s in (args.sizes or "10000,100000").split(",")]
        history = {max(sizes): args.history_rows} if args.history_rows else {}
        import_rows = args.import_rows

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    ensure_template(log)
    seeded = {}
    for size in sizes:
        name = f"bench_{label_of(size)}"
        seeded[size] = ensure_seeded(name, size, history.get(size, 0), args.reseed, log)

    report = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        csv_path = tmp / "import.csv"
        import_csv(csv_path, import_rows)
        for size in sizes:
            name = f"bench_{label_of(size)}"
            out = tmp / f"{name}.json"
            log(f"{name}: timing pages...")
            subprocess.run(
                [
                    PYTHON,
                    __file__,
                    "--measure",
                    label_of(size),
                    "--out",
                    str(out),
                    "--requests",
                    str(args.requests),
                    "--slow-seconds",
                    str(args.slow_seconds),
                    "--slow-requests",
                    str(args.slow_requests),
                    "--budget",
                    str(args.budget),
                ],
                cwd=ROOT,
                env=child_env(name),
                check=True,
            )
            data = json.loads(out.read_text())
            env = child_env(name)
            log(f"{name}: CSV exports...")
            data["exports"] = {}
            for export_name, cmd in (
                (
                    "CSV export, /contracts/export.csv (import format)",
                    [PYTHON, __file__, "--export-url", "/contracts/export.csv?status=all"],
                ),
                (
                    "CSV export, register table (?_export=csv)",
                    [PYTHON, __file__, "--export-url", "/contracts/?status=all&_export=csv"],
                ),
                (
                    "CSV export, export_contracts command",
                    [
                        PYTHON,
                        str(ROOT / "manage.py"),
                        "export_contracts",
                        "--output",
                        str(tmp / "e.csv"),
                    ],
                ),
            ):
                seconds, rss, outcome = run_measured(cmd, env, args.timeout)
                data["exports"][export_name] = (seconds, rss, outcome)
                log(f"  {export_name}: {seconds:.1f}s, {rss:.0f} MiB ({outcome})")
            log(f"{name}: importing {import_rows} rows into a copy...")
            copy = f"{name}_import"
            create(copy, template=name)
            try:
                command = [PYTHON, str(ROOT / "manage.py"), "import_contracts", str(csv_path)]
                data["import"] = run_measured(command, child_env(copy), args.timeout)
                data["imported_figures"] = imported_figures(copy)
            finally:
                drop(copy)
            seconds, rss, outcome = data["import"]
            log(f"  import: {seconds:.1f}s, {rss:.0f} MiB ({outcome})")
            report[size] = data

    print_report(report, sizes, seeded, import_rows, args, time.perf_counter() - started)
    if args.drop:
        for size in sizes:
            drop(f"bench_{label_of(size)}")
        drop(TEMPLATE)


def print_report(report, sizes, seeded, import_rows, args, total_seconds) -> None:
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    load = os.getloadavg()
    print(f"## Benchmark: {date.today():%d %B %Y}, commit {commit[:70]}")
    print()
    print(
        f"PostgreSQL, Django test Client in-process, DEBUG off, 50 rows a page; "
        f"{platform.python_version()}, {os.cpu_count()} cores, load average "
        f"{load[0]:.1f} at the end. p50/p95 over {args.requests} requests after a "
        f"warm-up, unless marked n=...: a warm-up over {args.slow_seconds:.0f}s gets "
        f"{args.slow_requests} requests, and a page stops after {args.budget:.0f}s of "
        f"requests once it has {args.slow_requests}. Queries: one request's count."
    )
    print()
    head = "| page |"
    rule = "|---|"
    for size in sizes:
        head += f" {label_of(size)} p50 ms | p95 ms | queries |"
        rule += "---:|---:|---:|"
    print(head)
    print(rule)
    names = [r["name"] for r in report[sizes[0]]["results"]]
    for i, name in enumerate(names):
        line = f"| {name} |"
        for size in sizes:
            r = report[size]["results"][i]
            mark = f" (n={r['n']})" if r["n"] < args.requests else ""
            line += f" {fmt_ms(r['p50'])}{mark} | {fmt_ms(r['p95'])} | {r['queries']} |"
        print(line)
    print()
    print(
        "| register case | "
        + " | ".join(f"{label_of(s)} ÷ admin" for s in sizes)
        + (f" | {label_of(sizes[-1])} ÷ {label_of(sizes[0])} |" if len(sizes) > 1 else " |")
    )
    print("|---|" + "---:|" * (len(sizes) + (1 if len(sizes) > 1 else 0)))
    for name in (n for n in names if n.startswith("Register")):
        line = f"| {name} |"
        p50 = {}
        for size in sizes:
            results = {r["name"]: r for r in report[size]["results"]}
            p50[size] = results[name]["p50"]
            admin = results["Admin changelist: contracts (yardstick)"]["p50"]
            line += f" {p50[size] / max(admin, 0.001):,.2f}× |"
        if len(sizes) > 1:
            line += f" {p50[sizes[-1]] / max(p50[sizes[0]], 0.001):,.2f}× |"
        print(line)
    print()
    head = "| export / import |" + "".join(f" {label_of(s)} time | peak RSS |" for s in sizes)
    print(head)
    print("|---|" + "---:|---:|" * len(sizes))

    def cell(measured) -> str:
        if measured is None:
            return " — | — |"
        seconds, rss, outcome = measured
        if outcome == "stopped":
            return f" > {seconds:,.0f} s (stopped) | {rss:,.0f} MiB |"
        note = "" if outcome == "ok" else f" ({outcome})"
        return f" {seconds:,.1f} s{note} | {rss:,.0f} MiB |"

    for export_name in report[sizes[0]]["exports"]:
        line = f"| {export_name}, every contract |"
        for size in sizes:
            line += cell(report[size]["exports"][export_name])
        print(line)
    line = f"| import_contracts, {import_rows:,} new rows, into a copy of the database |"
    for size in sizes:
        line += cell(report[size]["import"])
    print(line)
    figures = {size: report[size].get("imported_figures") for size in sizes}
    if all(figures.values()):
        same = len({f[1] for f in figures.values()}) == 1
        print()
        print(
            "Stored register figures of the imported rows (ends, values, reconciliation, "
            "shares, financial years): "
            + ", ".join(
                f"{label_of(s)}: {figures[s][0]:,} rows, hash {figures[s][1]}" for s in sizes
            )
            + (" — **the same**." if same else " — **they differ**.")
        )
    print()
    print("Databases:")
    for size in sizes:
        f = report[size]["facts"]
        print(
            f"- bench_{label_of(size)}: {f['contracts']:,} contracts, {f['decisions']:,} "
            f"decisions, {f['history_rows']:,} history rows; seeding: {seeded[size]}"
        )
    largest = sizes[-1]
    print()
    print(f"### EXPLAIN (ANALYZE, BUFFERS) of the register's main query, {label_of(largest)}")
    for name, e in report[largest]["explains"].items():
        print()
        print(
            f"**{name}** (the slowest query on contracts_contract of the page's "
            f"{e.get('queries', '?')}; {e.get('ms', 0):,.0f} ms). Index used: {e['index']}"
        )
        print()
        print("```")
        print(e["sql"][:400] + (" ..." if len(e["sql"]) > 400 else ""))
        for plan_line in e["plan"]:
            print(plan_line if len(plan_line) <= 160 else plan_line[:157] + "...")
        print("```")
    print()
    print(f"Total run time {total_seconds / 60:.1f} minutes.")


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""How long the clerks' PDFs take to make: the median of N renders of each kind.

Builds a throwaway in-memory SQLite database with the demo data, then asks for each
PDF as the clerk would (through the view, so the queries are counted in), and
prints one line per kind. Then the draft of the 13-page 24/00056 Key Decision Report,
rendered in process by decisions.reports.decision_pdf, against its target (p50 at most
DRAFT_TARGET_MS); and, when LibreOffice is installed (``soffice``; Debian's
libreoffice-writer-nogui, not a project dependency), LibreOffice converting the same
report's HTML, for comparison. Nothing is written anywhere but a temporary directory.

    .venv/bin/python scripts/benchmark_pdfs.py            # 5 renders of each, 20 drafts
    .venv/bin/python scripts/benchmark_pdfs.py --runs 11 --draft-runs 50
"""

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Issue 12: a draft renders in at most a second (p50), so a clerk's download is quick.
DRAFT_TARGET_MS = 1000
LIBREOFFICE_RUNS = 3
# Kent's 13-page Key Decision Report (seed 000), numbered with Kent's prefix.
REPORT_NUMBER = "KCC 24/00056"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def draft_render_times(decision_number: str, user, runs: int) -> tuple[list[float], str]:
    """Wall times of ``runs`` draft renders of a decision's report, in process, each
    fetching the decision as the view does; and the report's HTML, for LibreOffice."""
    from decisions import pdf, reports
    from decisions.models import Decision
    from decisions.reports import DETAIL_PREFETCH

    def fetch():
        queryset = Decision.objects.with_related().prefetch_related(*DETAIL_PREFETCH)
        return queryset.get(number=decision_number)

    html = {}
    render = pdf.html_to_pdf

    def keep_html(markup, **kwargs):
        html["report"] = markup
        return render(markup, **kwargs)

    pdf.html_to_pdf = keep_html
    try:
        reports.decision_pdf(fetch(), pdf.REPORT, user=user, base_url="http://testserver/")
    finally:
        pdf.html_to_pdf = render
    times = []
    for _ in range(runs):
        decision = fetch()
        start = time.perf_counter()
        reports.decision_pdf(decision, pdf.REPORT, user=user, base_url="http://testserver/")
        times.append(time.perf_counter() - start)
    return times, html["report"]


def libreoffice_times(html: str, runs: int) -> list[float] | None:
    """Wall times of ``soffice --headless --convert-to pdf`` of ``html`` (with the PDFs'
    stylesheet inlined, as LibreOffice reads no other), or None without LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    from decisions import pdf

    style = f"<style>{pdf.STYLESHEET.read_text(encoding='utf-8')}</style></head>"
    times = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.html"
        source.write_text(html.replace("</head>", style, 1), encoding="utf-8")
        profile = Path(folder) / "profile"  # its own profile: no clash with a desktop copy
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf:writer_web_pdf_Export",
            "--outdir",
            folder,
            str(source),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)  # warm-up
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, timeout=300)
            times.append(time.perf_counter() - start)
        assert (Path(folder) / "report.pdf").stat().st_size > 0
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="renders of each PDF (default 5)")
    parser.add_argument(
        "--draft-runs", type=int, default=20, help="draft renders of 24/00056 (default 20)"
    )
    args = parser.parse_args()
    if args.runs < 1 or args.draft_runs < 1:
        parser.error("--runs and --draft-runs must be 1 or more")

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
    report = Decision.objects.get(number=REPORT_NUMBER)
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

    clerk = User.objects.get(username="clerk")
    times, html = draft_render_times(REPORT_NUMBER, clerk, args.draft_runs)
    p50 = statistics.median(times)
    verdict = "met" if p50 * 1000 <= DRAFT_TARGET_MS else "MISSED"
    print(
        f"Draft Key Decision Report 24/00056, in process, {args.draft_runs} renders: "
        f"p50 {_ms(p50).strip()} (min {_ms(min(times)).strip()}, max "
        f"{_ms(max(times)).strip()}); target p50 <= {DRAFT_TARGET_MS} ms: {verdict}"
    )
    office = libreoffice_times(html, LIBREOFFICE_RUNS)
    if office is None:
        print("LibreOffice: not installed (apt-get install libreoffice-writer-nogui to compare)")
    else:
        print(
            f"LibreOffice converting the same report's HTML, {LIBREOFFICE_RUNS} runs: "
            f"p50 {_ms(statistics.median(office)).strip()} "
            f"(min {_ms(min(office)).strip()}, max {_ms(max(office)).strip()})"
        )


if __name__ == "__main__":
    main()

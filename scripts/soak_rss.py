"""Soak a running gunicorn with a mix of pages and report its workers' memory (RSS).

Signs in as the demo users (load_demo), then loops over a fixed mix of pages, exports and
PDFs for a bounded time, sampling every worker's RSS from /proc. Loopback only.

    python scripts/soak_rss.py http://127.0.0.1:8000 <gunicorn master pid> [seconds]
"""

import http.cookiejar
import re
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

PAGES = [
    "/",
    "/contracts/",
    "/contracts/?_export=csv",
    "/contracts/?_export=xlsx",
    "/decisions/",
    "/decisions/forward-plan/",
    "/decisions/forward-plan.pdf",
    "/grants/",
    "/grants/summaries/grants/",
    "/providers/",
    "/authorities/",
    "/history/",
]
PASSWORD = "demo-password-2026"  # accounts/demo.py


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def signed_in_opener(server: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("X-Forwarded-Proto", "https")]
    page = opener.open(f"{server}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{server}/accounts/login/",
        data=data,
        headers={"Referer": f"https://{urllib.parse.urlsplit(server).netloc}/accounts/login/"},
    )
    opener.open(request).read()
    return opener


def pdf_urls(server: str, opener) -> list[str]:
    page = opener.open(f"{server}/decisions/").read().decode()
    details = sorted(set(re.findall(r'href="(/decisions/\d+/)"', page)))[:3]
    pdfs = []
    for detail in details:
        body = opener.open(server + detail).read().decode()
        pdfs += re.findall(r'href="(/decisions/\d+/\w+\.pdf)"', body)
    return sorted(set(pdfs))


def main(server: str, master: int, seconds: int) -> None:
    clerk = signed_in_opener(server, "clerk")
    commissioner = signed_in_opener(server, "commissioner")
    mix = [(commissioner, p) for p in PAGES] + [(clerk, p) for p in pdf_urls(server, clerk)]
    print(f"mix of {len(mix)} URLs, {sum(1 for _, p in mix if 'pdf' in p)} of them PDFs")
    start, requests, errors, next_sample = time.monotonic(), 0, 0, 0.0
    while (elapsed := time.monotonic() - start) < seconds:
        if elapsed >= next_sample:
            sizes = " ".join(f"{rss_mb(pid):6.1f}" for pid in workers(master))
            line = f"{elapsed:6.0f} s {requests:6d} requests {errors} errors  RSS MB: {sizes}"
            print(line, flush=True)
            next_sample += 15
        opener, path = mix[requests % len(mix)]
        try:
            opener.open(server + path, timeout=60).read()
        except Exception as error:  # noqa: BLE001 - counted, not hidden
            errors += 1
            print(f"error on {path}: {error}")
        requests += 1
    sizes = " ".join(f"{rss_mb(pid):6.1f}" for pid in workers(master))
    print(f"{seconds:6d} s {requests:6d} requests {errors} errors  RSS MB: {sizes}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 180)

"""Ask a freshly deployed server what a browser and a load balancer would: the sign-in
page (through the TLS proxy, so with X-Forwarded-Proto), a hashed stylesheet it links,
and /health/ as a probe that uses the instance's address as Host. Used by
.ci/deploy_check; exits non-zero on the first failure.

    python scripts/deploy_smoke.py http://127.0.0.1:8000 commissioning.example.gov.uk
"""

import json
import re
import sys
import time
import urllib.error
import urllib.request

HASHED_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+\.[0-9a-f]{12}\.css)"')


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to check, not to follow


OPENER = urllib.request.build_opener(NoRedirects)


def get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check(condition: bool, message: str) -> None:
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        sys.exit(1)


def wait_until_up(server: str) -> None:
    for _ in range(60):
        try:
            get(f"{server}/health/", {})
            return
        except OSError:
            time.sleep(0.5)
    check(False, f"{server} did not start")


def main(server: str, host: str) -> None:
    wait_until_up(server)
    proxied = {"Host": host, "X-Forwarded-Proto": "https"}

    status, headers, body = get(f"{server}/accounts/login/", proxied)
    check(status == 200, f"sign-in page: {status}")
    check("max-age=" in headers.get("Strict-Transport-Security", ""), "sign-in page sends HSTS")
    check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "and a CSP")
    stylesheets = HASHED_STYLESHEET.findall(body.decode())
    check(bool(stylesheets), f"it links hashed stylesheets: {stylesheets}")
    for path in stylesheets:
        status, headers, css = get(f"{server}{path}", proxied)
        check(
            status == 200 and headers.get("Content-Type", "").startswith("text/css"),
            f"{path}: {status} {headers.get('Content-Type')}, {len(css)} bytes",
        )

    status, _, _ = get(f"{server}/accounts/login/", {"Host": host})
    check(status == 301, f"plain HTTP is redirected to HTTPS: {status}")

    probe = {"Host": server.removeprefix("http://")}  # the instance's address, plain HTTP
    status, headers, body = get(f"{server}/health/", probe)
    check(status == 200, f"/health/ with Host {probe['Host']}: {status}")
    check(json.loads(body) == {"status": "ok", "database": "ok"}, f"/health/ says {body!r}")


if __name__ == "__main__":
    main(*sys.argv[1:3])

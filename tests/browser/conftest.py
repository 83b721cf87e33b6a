"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a test visits can be checked with ``axe_check(page)``, which runs axe-core
(vendored in tests/browser/vendor by scripts/vendor_frontend.sh) for WCAG 2.2 AA and
fails with the violations listed.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "correct-horse-battery"  # tests/accounts/factories.py
NARROW, WIDE = 390, 1280


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=[WIDE], ids=["wide"])
def page(request, browser, live_server):
    context = browser.new_context(
        viewport={"width": request.param, "height": 900},
        base_url=live_server.url,
        locale="en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_check(page) -> None:
    """Fail with a readable list if axe finds any WCAG 2.2 AA violation on the page."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert problems == [], f"axe violations on {page.url}:\n" + "\n".join(problems)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def signed_in_as(page):
    """``signed_in_as(user)`` signs the page in and returns it."""

    def _sign_in(user):
        sign_in(page, user.username)
        return page

    return _sign_in

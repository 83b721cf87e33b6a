"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a test visits can be checked with ``axe_check(page)``, which runs axe-core
(vendored in tests/browser/vendor by scripts/vendor_frontend.sh) for WCAG 2.2 AA and
fails with the violations listed. axe runs in a context of its own that bypasses the
CSP (it injects a script), on a copy of the page's current DOM.

Every other browser context (the ``page`` fixture's and any a test opens with
``browser.new_context``) is watched for Content Security Policy violations: the
browser's console reports and ``securitypolicyviolation`` events. Any violation fails
the test.
"""

import os
import re
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
# A page that shows errors says so first in its title (the GOV.UK pattern). Tests check
# it with expect(page).to_have_title(ERROR_TITLE), which waits for the page a click
# loads: a title read mid-load is "".
ERROR_TITLE = re.compile(r"^Error: ")


CSP_EVENTS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` in ${e.documentURI} at ${e.sourceFile}:${e.lineNumber} sample ${e.sample}`);
});
"""


def _is_csp_violation(message) -> bool:
    text = message.text
    return text.startswith("CSP violation:") or "Content Security Policy" in text


class CspWatchedBrowser:
    """The Playwright browser, whose new contexts record every CSP violation."""

    def __init__(self, browser):
        self._browser = browser
        self.csp_violations: list[str] = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.add_init_script(CSP_EVENTS)
        context.on("console", self._record)
        return context

    def _record(self, message) -> None:
        if _is_csp_violation(message):
            where = message.page.url if message.page else "?"
            self.csp_violations.append(f"{where}: {message.text}")


@pytest.fixture(autouse=True)
def no_csp_violations(browser):
    browser.csp_violations.clear()
    yield
    violations, browser.csp_violations[:] = list(browser.csp_violations), []
    assert violations == [], "CSP violations:\n" + "\n".join(violations)


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
        yield CspWatchedBrowser(browser)
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
    """Fail with a readable list if axe finds any WCAG 2.2 AA violation on the page.

    axe is injected as a script, which the CSP refuses (and would count as a violation),
    so it runs on a copy of the page's DOM at the same URL, in a context that bypasses
    the CSP; stylesheets and scripts load from the live server as usual.
    """
    # A click that navigates returns once the navigation starts; read the page only
    # after it has loaded, or the copy may be the blank document in between.
    page.wait_for_load_state()
    url, html = page.url.split("#")[0], page.content()
    context = page.context.browser.new_context(  # the unwatched Playwright browser
        bypass_csp=True,
        viewport=page.viewport_size,
        storage_state=page.context.storage_state(),
        locale="en-GB",
    )
    try:
        copy = context.new_page()
        copy.route(
            lambda u: u.split("#")[0] == url,
            lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
        )
        copy.goto(url)
        copy.add_script_tag(path=str(AXE_JS))
        result = copy.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
    finally:
        context.close()
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

"""Screenshots of pages at phone and desktop widths, for looking at what we build.

Usage: python scripts/screenshots.py BASE_URL OUT_DIR USERNAME PATH [PATH ...]
Signs in as USERNAME (demo password) and saves OUT_DIR/<path>-<width>.png.

contracts_screenshots.py and grants_screenshots.py use signed_in_pages and shoot_paths
for pages that need a form submitted first.
"""

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PASSWORD = "demo-password-2026"
WIDTHS = (390, 1280)


@contextmanager
def signed_in_pages(base: str, out: str, username: str) -> Iterator[Iterator[tuple[Page, int]]]:
    """Debian's Chromium, headless; yields (page, width) for each width, signed in."""
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def pages() -> Iterator[tuple[Page, int]]:
            for width in WIDTHS:
                page = browser.new_page(
                    viewport={"width": width, "height": 900}, base_url=base, locale="en-GB"
                )
                page.goto("/accounts/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                yield page, width
                page.close()

        yield pages()
        browser.close()


def shoot_paths(page: Page, out: str, width: int, paths: list[str]) -> None:
    """OUT/<path>-<width>.png for each path, the whole page."""
    for path in paths:
        page.goto(path)
        name = re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower()) or "home"
        page.screenshot(path=f"{out}/{name}-{width}.png", full_page=True)


def main(base: str, out: str, username: str, paths: list[str]) -> None:
    with signed_in_pages(base, out, username) as pages:
        for page, width in pages:
            shoot_paths(page, out, width, paths)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])

"""Screenshots of pages at phone and desktop widths, for looking at what we build.

Usage: python scripts/screenshots.py BASE_URL OUT_DIR USERNAME PATH [PATH ...]
Signs in as USERNAME (demo password) and saves OUT_DIR/<path>-<width>.png.
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "demo-password-2026"
WIDTHS = (390, 1280)


def main(base: str, out: str, username: str, paths: list[str]) -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for width in WIDTHS:
            page = browser.new_page(
                viewport={"width": width, "height": 900}, base_url=base, locale="en-GB"
            )
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            for path in paths:
                page.goto(path)
                name = re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower()) or "home"
                page.screenshot(path=f"{out}/{name}-{width}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])

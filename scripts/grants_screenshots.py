"""Screenshots of the grants pages at 390 and 1280 px, including forms shown with errors.

Usage: python scripts/grants_screenshots.py BASE_URL OUT_DIR [PATH ...]
Signs in as the demo commissioner. Besides the PATHs given, it submits the allocation
form with mistakes and saves that page too (allocation-form-errors-<width>.png).
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "demo-password-2026"
WIDTHS = (390, 1280)


def main(base: str, out: str, paths: list[str]) -> None:
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
            page.fill("#id_username", "commissioner")
            page.fill("#id_password", PASSWORD)
            page.click("[type=submit]")
            for path in paths:
                page.goto(path)
                name = re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower()) or "home"
                page.screenshot(path=f"{out}/{name}-{width}.png", full_page=True)
            page.goto("/grants/allocations/new/")
            page.fill("#id_financial_year", "2024-25")
            page.fill("#id_amount", "£2,45M")
            page.click("#submit-id-submit, button[type=submit] >> nth=-1")
            page.screenshot(path=f"{out}/allocation-form-errors-{width}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])

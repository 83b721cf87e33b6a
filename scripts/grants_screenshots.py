"""Screenshots of the grants pages at 390 and 1280 px, including forms shown with errors.

Usage: python scripts/grants_screenshots.py BASE_URL OUT_DIR [PATH ...]
Signs in as the demo commissioner. Besides the PATHs given, it submits the allocation
form with mistakes and saves that page too (allocation-form-errors-<width>.png).
"""

import sys

from screenshots import shoot_paths, signed_in_pages


def main(base: str, out: str, paths: list[str]) -> None:
    with signed_in_pages(base, out, "commissioner") as pages:
        for page, width in pages:
            shoot_paths(page, out, width, paths)
            page.goto("/grants/allocations/new/")
            page.fill("#id_financial_year", "2024-25")
            page.fill("#id_amount", "£2,45M")
            page.click("#submit-id-submit, button[type=submit] >> nth=-1")
            page.screenshot(path=f"{out}/allocation-form-errors-{width}.png", full_page=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])

"""Screenshots of the contracts pages that need a form submitted first: the edit form
with errors and the import preview (scripts/screenshots.py takes plain pages).

Usage: python scripts/contracts_screenshots.py BASE_URL OUT_DIR CONTRACT_ID CSV_FILE [PATH ...]
Signs in as the demo commissioner and saves OUT_DIR/<name>-<width>.png, for each PATH
given too.
"""

import sys

from screenshots import shoot_paths, signed_in_pages


def main(base: str, out: str, contract_id: str, csv_file: str, paths: list[str]) -> None:
    with signed_in_pages(base, out, "commissioner") as pages:
        for page, width in pages:
            shoot_paths(page, out, width, paths)

            page.goto(f"/contracts/{contract_id}/edit/")
            page.fill("#id_initial_end_date", "31/01/2020")
            page.fill("#id_annual_value", "£35,368,00")
            page.fill("#id_options-0-months", "0")
            page.fill("#id_shares-0-authority", "Kent County Council")
            page.fill("#id_shares-0-percentage", "60")
            page.get_by_role("button", name="Save contract").click()
            page.wait_for_selector(".govuk-error-summary")
            page.screenshot(path=f"{out}/edit-errors-{width}.png", full_page=True)

            page.goto(f"/contracts/{contract_id}/option/")
            page.get_by_role("button", name="Record the decision").click()
            page.wait_for_selector(".govuk-error-summary")
            page.screenshot(path=f"{out}/option-errors-{width}.png", full_page=True)

            page.goto("/contracts/import/")
            page.set_input_files("#id_file", csv_file)
            page.get_by_role("button", name="Upload and preview").click()
            page.wait_for_selector("text=Check the import")
            page.screenshot(path=f"{out}/import-preview-{width}.png", full_page=True)


if __name__ == "__main__":
    main(*sys.argv[1:5], sys.argv[5:])

"""A commissioner creates a contract, exercises its option and sees it in the history
and on the timeline; every page visited is checked with axe (WCAG 2.2 AA)."""

import pytest
from playwright.sync_api import expect

from contracts.models import Contract
from tests.browser.conftest import ERROR_TITLE, axe_check, sign_in
from tests.contracts.factories import AuthorityFactory, kent_contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commissioner_creates_a_contract_and_exercises_its_option(page, commissioner):
    AuthorityFactory(name="Kent County Council", short_name="KCC")
    sign_in(page, "commissioner")

    page.goto("/contracts/")
    axe_check(page)
    page.get_by_role("button", name="Add", exact=True).click()
    axe_check(page)

    page.get_by_label("Reference", exact=True).fill("KCC-PH-0999")
    page.get_by_label("Title", exact=True).fill("Young people's drug and alcohol service")
    page.get_by_label("Lead authority").fill("Kent County Council")
    page.get_by_label("Start date").fill("01/02/2025")
    page.get_by_label("End of the initial term").fill("31/01/2024")  # before the start
    page.get_by_label("Annual value").fill("£803,671.80")
    page.get_by_label("Annual uplift (%)").fill("1")
    page.get_by_label("Length in months").fill("24")
    page.get_by_role("button", name="Save contract").click()

    # Refused at the field, with the error summary linking to it; nothing saved.
    expect(page).to_have_title(ERROR_TITLE)
    link = page.locator(".govuk-error-summary a[href='#id_initial_end_date']")
    assert "on or after the start date" in link.inner_text()
    assert not Contract.objects.filter(reference="KCC-PH-0999").exists()
    axe_check(page)

    page.get_by_label("End of the initial term").fill("31/01/2027")
    page.get_by_role("button", name="Save contract").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert "Contract KCC-PH-0999 added." in page.content()
    timeline = page.locator("figure svg")
    assert "Option 1: 24 months, pending" in timeline.inner_html()
    axe_check(page)

    page.get_by_role("link", name="Exercise or decline option 1").click()
    axe_check(page)
    page.get_by_role("button", name="Record the decision").click()  # no reason yet
    expect(page).to_have_title(ERROR_TITLE)
    assert "Enter the reason for the decision." in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)

    page.get_by_label("Exercise the option").check()
    page.get_by_label("Reason").fill("Good performance; budget confirmed for 2027 to 2029")
    page.get_by_role("button", name="Record the decision").click()

    assert "Option 1 exercised." in page.locator(".govuk-notification-banner--success").inner_text()
    assert "Option 1: 24 months, exercised" in page.locator("figure svg").inner_html()
    history = page.locator("table.app-history").inner_text()
    assert "Option 1 (24 months) exercised: Good performance" in history
    assert commissioner.get_full_name() in history  # who did it
    axe_check(page)
    contract = Contract.objects.get(reference="KCC-PH-0999")
    assert contract.options.get().status == "exercised"


def test_the_import_preview_and_register_pages_are_accessible(page, commissioner, tmp_path):
    kent_contract(reference="KCC-YP", lead_authority=AuthorityFactory(name="Kent County Council"))
    sign_in(page, "commissioner")
    page.goto("/contracts/")
    page.get_by_role("link", name="Import contracts from a CSV file").click()
    page.wait_for_url("**/contracts/import/")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="the register's CSV download").click()
    exported = tmp_path / "contracts.csv"
    download.value.save_as(exported)
    exported.write_text(exported.read_text().replace("KCC-YP", "KCC-YP-2"))

    page.get_by_label("CSV file").set_input_files(str(exported))
    page.get_by_role("button", name="Upload and preview").click()
    assert "Check the import of contracts.csv" in page.content()
    axe_check(page)
    page.get_by_role("button", name="Import 1 contract").click()
    assert "1 added" in page.locator(".govuk-notification-banner--success").inner_text()
    assert Contract.objects.filter(reference="KCC-YP-2").exists()
    axe_check(page)


def test_contract_pages_fit_a_phone_screen(browser, live_server, commissioner):
    contract = kent_contract(
        reference="KCC-YP", lead_authority=AuthorityFactory(name="Kent County Council")
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "commissioner")
    for path in [
        "/contracts/",
        contract.get_absolute_url(),
        f"/contracts/{contract.pk}/edit/",
        f"/contracts/{contract.pk}/option/",
        "/contracts/import/",
    ]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False, f"{path} scrolls sideways at 390 px"
        axe_check(page)
    context.close()


def test_a_commissioner_enters_a_three_way_split_with_add_another_authority(page, commissioner):
    for name in ("Bury Council", "Salford City Council", "Trafford Council"):
        AuthorityFactory(name=name)
    sign_in(page, "commissioner")
    page.goto("/contracts/new/")
    page.get_by_label("Reference", exact=True).fill("SCC-PH-0001")
    page.get_by_label("Title", exact=True).fill("Integrated sexual health service")
    page.get_by_label("Lead authority").fill("Salford City Council")
    page.get_by_label("Start date").fill("01/04/2026")
    page.get_by_label("End of the initial term").fill("31/03/2031")
    page.get_by_label("Annual value").fill("£7,278,800")
    page.get_by_label("Annual uplift (%)").fill("0")
    page.locator('[name="options-0-months"]').fill("12")
    page.get_by_role("button", name="Add another option").click()
    page.locator('[name="options-1-months"]').fill("12")
    page.locator('[name="shares-0-authority"]').fill("Bury Council")
    page.locator('[name="shares-0-fixed_amount"]').fill("1517000")
    page.locator('[name="shares-1-authority"]').fill("Salford City Council")
    page.locator('[name="shares-1-fixed_amount"]').fill("4000000")
    page.get_by_role("button", name="Add another authority").click()
    # The page comes back with what was typed, a third row and no errors.
    assert page.locator('[name="shares-1-fixed_amount"]').input_value() == "4000000"
    assert page.locator(".govuk-error-summary").count() == 0
    axe_check(page)
    page.locator('[name="shares-2-authority"]').fill("Trafford Council")
    page.locator('[name="shares-2-fixed_amount"]').fill("1761800")
    page.get_by_role("button", name="Save contract", exact=True).click()

    assert "Contract SCC-PH-0001 added." in page.content()
    summary = page.locator("main").inner_text()
    assert "31 March 2033" in summary
    assert "£50,951,600" in summary
    for name in ("Bury Council", "Salford City Council", "Trafford Council"):
        assert name in summary
    axe_check(page)

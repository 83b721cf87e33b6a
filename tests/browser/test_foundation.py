import pytest
from playwright.sync_api import expect

from contracts.models import Provider
from tests.browser.conftest import ERROR_TITLE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sign_in_page_is_accessible_and_refuses_a_wrong_password(page, commissioner):
    page.goto("/")
    assert "/accounts/login/" in page.url
    axe_check(page)
    sign_in(page, "commissioner", password="wrong")
    expect(page).to_have_title(ERROR_TITLE)
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)


def test_a_commissioner_signs_in_creates_and_edits_a_provider(page, commissioner, auditor):
    sign_in(page, "commissioner")
    assert page.locator(".app-header__role").inner_text() == "Commissioner"
    axe_check(page)

    page.get_by_role("link", name="Providers").first.click()
    axe_check(page)
    page.get_by_role("button", name="Add").or_(page.get_by_role("link", name="Add")).first.click()
    axe_check(page)

    # Invalid first: the error summary links to the field.
    page.get_by_label("Name").fill("The Forward Trust")
    page.get_by_label("Charity number").fill("12-AB")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(ERROR_TITLE)
    summary_link = page.locator(".govuk-error-summary a[href='#id_charity_number']")
    assert "charity number" in summary_link.inner_text()
    axe_check(page)

    page.get_by_label("Charity number").fill("1001701")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    axe_check(page)
    provider = Provider.objects.get(name="The Forward Trust")

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Postcode").fill("sw1a 1aa")
    page.get_by_label("Reason for the change (optional)").fill("Head office moved")
    page.get_by_role("button", name="Save").click()
    provider.refresh_from_db()
    assert provider.postcode == "SW1A 1AA"
    history = page.locator("table.app-history")
    assert "Head office moved" in history.inner_text()
    assert "blank → SW1A 1AA" in history.inner_text()
    axe_check(page)

    # The auditor sees the change on the home page feed and cannot edit.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "auditor")
    feed = page.locator("table").first.inner_text()
    assert "The Forward Trust" in feed and "SW1A 1AA" in feed
    axe_check(page)


def test_pages_fit_a_phone_screen(browser, live_server, commissioner):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "commissioner")
    for path in ["/", "/providers/", "/authorities/", "/history/"]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False, f"{path} scrolls sideways at 390 px"
        axe_check(page)
    context.close()

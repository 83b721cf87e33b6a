"""The Content Security Policy holds in a real browser: the app's pages and the admin
load with no violation (every browser test fails on one, see conftest), and a violation
is caught when there is one."""

import pytest

from contracts.models import Provider
from tests.accounts.factories import UserFactory
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_style_attribute_added_to_a_page_is_caught_as_a_violation(page, browser, commissioner):
    sign_in(page, "commissioner")
    page.evaluate("""document.body.insertAdjacentHTML('beforeend', '<p style="color:red">x</p>')""")
    page.wait_for_timeout(300)
    caught, browser.csp_violations[:] = list(browser.csp_violations), []
    assert any("style-src" in v for v in caught), caught


def test_the_pages_send_the_policy(page, commissioner):
    response = page.goto("/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    # GOV.UK Frontend's "JavaScript on" classes still arrive without an inline script.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")


def test_the_admin_works_under_the_policy(page, roles):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    provider = Provider.objects.create(name="The Forward Trust")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/contracts/provider/",
        f"/admin/contracts/provider/{provider.pk}/change/",
        f"/admin/contracts/provider/{provider.pk}/history/",
        "/admin/decisions/decision/add/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    # The admin's own scripts ran: the changelist's select-all box is wired up.
    page.goto("/admin/contracts/provider/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select").first.is_checked()

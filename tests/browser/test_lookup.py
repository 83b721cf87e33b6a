"""A clerk links a contract to a decision by typing part of its reference, with and
without JavaScript, on a phone and on a desktop (ui/lookup.py)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from decisions.models import DecisionContractLink
from tests.browser.conftest import NARROW, WIDE, axe_check, sign_in
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import DecisionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots for a person to look at (LOOKUP_SCREENSHOTS=dir), not compared by the test.
SHOTS = os.environ.get("LOOKUP_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("width", [NARROW, WIDE], ids=["phone", "desktop"])
def test_a_clerk_links_a_contract_by_typing_part_of_its_reference(
    browser, live_server, clerk, javascript, width
):
    decision = DecisionFactory(number="24/00056")
    ContractFactory(reference="KCC-PH-0123", title="Young people's substance misuse")
    wanted = ContractFactory(reference="KCC-PH-0124", title="Young people's outreach")
    ContractFactory(reference="KCC-SH-0001", title="Sexual health")
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        base_url=live_server.url,
        java_script_enabled=javascript,
        locale="en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, clerk.username)
        page.goto(f"/decisions/{decision.pk}/contracts/add/")
        page.get_by_label("Contract").fill("PH-012")
        if javascript:  # suggestions as one types, from static/js/lookup.js
            expect(page.locator("#id_contract__suggestions option")).to_have_count(2)
        page.get_by_label("Kind").select_option("award")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        # Two match: both are offered, the text is kept.
        expect(page.locator(".govuk-error-summary")).to_contain_text("2 contracts match")
        expect(page.get_by_label("Contract", exact=True)).to_have_value("PH-012")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False, f"the look-up scrolls sideways at {width} px"
        axe_check(page)
        _shot(page, f"lookup-matches-{width}-{'js' if javascript else 'nojs'}")
        page.get_by_label("KCC-PH-0124 Young people's outreach").check()
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/decisions/{decision.pk}/#links")
        assert DecisionContractLink.objects.get().contract == wanted
        expect(page.locator("body")).to_contain_text("KCC-PH-0124")
    finally:
        context.close()

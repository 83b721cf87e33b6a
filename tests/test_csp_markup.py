"""Every page the resolver walk reaches, for each role, has nothing the CSP would block:
no inline script, no event-handler attribute, no style attribute. Nor does any show its
own markup escaped as text (a widget's HTML that lost its safe mark)."""

import re

import pytest

from tests.test_smoke import _url_for, all_routes, sample_objects  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
ESCAPED_MARKUP = re.compile(r"&lt;/?(select|input|option|datalist|textarea|label|div|span)\b", re.I)


def test_the_policy_is_sent_with_script_src_self_and_no_unsafe_inline(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("role", ["commissioner_client", "clerk_client", "client"])
def test_no_page_has_inline_code_or_escaped_markup(request, role, sample_objects):  # noqa: F811
    client = request.getfixturevalue(role)
    pages, failures = 0, []
    for name, route in all_routes():
        response = client.get(_url_for(name, route, sample_objects), follow=True)
        if "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        html = response.content.decode()
        for label, pattern in [
            ("inline script", INLINE_SCRIPT),
            ("event handler", EVENT_HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("escaped markup", ESCAPED_MARKUP),
        ]:
            if match := pattern.search(html):
                failures.append(f"{name}: {label} {match.group(0)[:80]}")
    assert pages > 10
    assert failures == []

"""Every decisions page answers each role as its permissions say (a local smoke walk)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.contracts.factories import AuthorityFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["commissioner_client", "clerk_client", "auditor_client"])
def test_every_decisions_page_answers_each_role_as_expected(request, role):
    from tests.decisions.smoke import routes

    client = request.getfixturevalue(role)
    user = get_user_model().objects.get(username=role.removesuffix("_client"))
    AuthorityFactory()
    ProviderFactory()
    failures = []
    for name, (args, permission) in routes().items():
        response = client.get(reverse(name, args=args))
        expected = 200 if permission is None or user.has_perm(permission) else 403
        if response.status_code != expected:
            failures.append(f"{name}: {response.status_code}, expected {expected}")
    assert failures == []

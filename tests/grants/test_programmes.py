"""Adding a grant programme (and a new funder) from the pages, without the admin site."""

import pytest
from django.urls import reverse

from grants.models import Funder, GrantProgramme
from tests.grants.factories import FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "funder": "",
        "new_funder": "",
        "new_funder_short_name": "",
        "name": "Rough Sleeping Drug and Alcohol Treatment Grant",
        "short_name": "RSDATG",
        "reason": "Grant letter",
    }
    data.update(overrides)
    return data


def test_a_commissioner_adds_a_programme_of_a_known_funder_then_its_allocation(
    commissioner_client,
):
    ohid = FunderFactory()
    url = reverse("grants:programme_create")
    response = commissioner_client.post(url, _form(funder=ohid.pk))
    programme = GrantProgramme.objects.get()
    assert programme.funder == ohid
    assert programme.history.latest().history_change_reason == "Grant letter"
    next_url = f"{reverse('grants:allocation_create')}?programme={programme.pk}"
    assert response.status_code == 302 and response["Location"] == next_url
    page = commissioner_client.get(next_url)
    assert page.context["form"]["programme"].value() == str(programme.pk)


def test_a_new_funder_is_added_with_its_programme(commissioner_client):
    data = _form(new_funder="Department for Levelling Up, Housing and Communities",
                 new_funder_short_name="DLUHC")  # fmt: skip
    assert commissioner_client.post(reverse("grants:programme_create"), data).status_code == 302
    funder = Funder.objects.get()
    assert (funder.short_name, funder.programmes.get().short_name) == ("DLUHC", "RSDATG")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({}, "funder", "Choose the funder, or name a new funder below."),
        ({"funder": "known", "new_funder": "Someone"}, "new_funder", "not both"),
        ({"new_funder": "office for health improvement and disparities"}, "new_funder",
         "is already a funder"),
        ({"funder": "known", "name": "Housing Support Grant"}, "name", "already has a programme"),
        ({"funder": "known", "name": ""}, "name", "Enter the programme's name."),
    ],
)  # fmt: skip
def test_a_bad_programme_is_reshown_and_nothing_saved(
    commissioner_client, overrides, field, message
):
    ohid = FunderFactory()
    ProgrammeFactory(funder=ohid, name="Housing Support Grant")
    data = _form(**{k: (ohid.pk if v == "known" else v) for k, v in overrides.items()})
    response = commissioner_client.post(reverse("grants:programme_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert GrantProgramme.objects.count() == 1
    assert Funder.objects.count() == 1


def test_the_allocation_form_links_to_adding_a_programme(commissioner_client, clerk_client):
    page = commissioner_client.get(reverse("grants:allocation_create")).content.decode()
    assert reverse("grants:programme_create") in page
    response = clerk_client.post(reverse("grants:programme_create"), _form(new_funder="X"))
    assert response.status_code == 403
    assert not Funder.objects.exists()


def test_a_commissioner_corrects_a_programmes_name_from_its_allocation(commissioner_client):
    from tests.grants.factories import AllocationFactory

    allocation = AllocationFactory(programme__name="Rough Sleeping Drugs Grant")
    programme = allocation.programme
    page = commissioner_client.get(allocation.get_absolute_url()).content.decode()
    url = reverse("grants:programme_edit", args=[programme.pk])
    assert f"{url}?allocation={allocation.pk}" in page

    response = commissioner_client.post(
        f"{url}?allocation={allocation.pk}",
        {
            "name": "Rough Sleeping Drug and Alcohol Treatment Grant",
            "short_name": "RSDATG",
            "reason": "Name as in the grant letter",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == allocation.get_absolute_url()
    programme.refresh_from_db()
    assert programme.name == "Rough Sleeping Drug and Alcohol Treatment Grant"
    last = programme.history.latest()
    assert last.history_change_reason == "Name as in the grant letter"
    assert last.prev_record.name == "Rough Sleeping Drugs Grant"


def test_a_programme_cannot_take_another_of_its_funders_names(commissioner_client):
    funder = FunderFactory()
    ProgrammeFactory(funder=funder, name="Universal Grant")
    programme = ProgrammeFactory(funder=funder, name="Universal Grnat")
    url = reverse("grants:programme_edit", args=[programme.pk])
    response = commissioner_client.post(
        f"{url}?allocation=not-a-number", {"name": "universal grant", "short_name": ""}
    )
    assert response.status_code == 200
    assert (
        "already has a programme called universal grant"
        in (response.context["form"].errors["name"][0])
    )
    programme.refresh_from_db()
    assert programme.name == "Universal Grnat"


def test_only_commissioners_may_edit_a_programme(clerk_client, auditor_client):
    programme = ProgrammeFactory()
    url = reverse("grants:programme_edit", args=[programme.pk])
    assert clerk_client.get(url).status_code == 403
    assert auditor_client.post(url, {"name": "X"}).status_code == 403
    programme.refresh_from_db()
    assert programme.name != "X"

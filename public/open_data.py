"""Open-data files per authority, with no sign-in: OCDS, the Transparency Code's
contracts and VCSE grants, and 360Giving.

Contracts and grants carry no exempt information, and these files include no decision
data, so nothing here needs ``decisions.visibility``; a field from a decision must ask it
(for ``AnonymousUser``) before it is added. Files are cacheable for five minutes.
Bad input answers a page saying what was wrong: an unknown authority 404, a quarter or
year that cannot be read 400 naming the parameter, an authority with no grants
awarded 404 (an empty 360Giving package is invalid under its schema).
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from contracts import ocds, rules
from contracts import transparency as contracts_transparency
from contracts.models import Authority
from grants import giving
from grants import transparency as grants_transparency
from ui import exports

MAX_AGE = 300  # seconds: a published file may be five minutes old


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _bad_parameter(
    request, *, authority: Authority, name: str, problem: str, example: str, meaning: str = ""
):
    return render(
        request,
        "public/open_data/bad_parameter.html",
        {
            "title": f"The {name} is not right",
            "authority": authority,
            "name": name,
            "problem": problem,
            "example": example,
            "meaning": meaning,
        },
        status=400,
    )


@login_not_required
@require_safe
def ocds_package(request, authority: int):
    found = get_object_or_404(Authority, pk=authority)
    chunks = ocds.package_chunks(
        ocds.contracts(found),
        uri=request.build_absolute_uri(),
        publisher=ocds.publisher_name(found),
    )
    data = (chunk.encode() for chunk in chunks)
    filename = f"ocds-contracts-{found.pk}.json"
    return _public(exports.download(data, filename, "application/json", inline=True))


@login_not_required
@require_safe
def transparency_contracts(request, authority: int):
    found = get_object_or_404(Authority, pk=authority)
    quarter = request.GET.get("quarter") or rules.quarter_of(timezone.localdate())
    try:
        records = contracts_transparency.contracts(found, quarter)
    except ValueError:
        return _bad_parameter(
            request,
            authority=found,
            name="quarter",
            problem=f"“{quarter[:20]}” is not a quarter.",
            example="2026-Q3",
            meaning="July to September 2026",
        )
    rows = contracts_transparency.rows(records, found)
    return _public(
        exports.csv_response(rows, contracts_transparency.filename(found, quarter) + ".csv")
    )


@login_not_required
@require_safe
def transparency_grants(request, authority: int):
    found = get_object_or_404(Authority, pk=authority)
    year = request.GET.get("year") or str(timezone.localdate().year)
    try:
        records = grants_transparency.grants(found, year)
    except ValueError:
        return _bad_parameter(
            request,
            authority=found,
            name="year",
            problem=f"“{year[:20]}” is not a year.",
            example="2026",
        )
    rows = grants_transparency.rows(records)
    return _public(exports.csv_response(rows, grants_transparency.filename(found, year) + ".csv"))


@login_not_required
@require_safe
def giving_package(request, authority: int):
    found = get_object_or_404(Authority, pk=authority)
    grants = list(giving.published_grants(found))
    if not grants:
        return render(
            request,
            "public/open_data/giving_empty.html",
            {
                "title": f"{found.name} has awarded no grants yet",
                "authority": found,
                "ocds_url": reverse("public:ocds", kwargs={"authority": found.pk}),
                "contracts_url": reverse(
                    "public:transparency_contracts", kwargs={"authority": found.pk}
                ),
            },
            status=404,
        )
    data = json.dumps(giving.package(grants), indent=2, cls=DjangoJSONEncoder)
    filename = f"360giving-grants-{found.pk}.json"
    return _public(exports.download(data, filename, "application/json", inline=True))

"""Contracts in the Open Contracting Data Standard 1.1.5: one release per contract.

Each contract is one contracting process (``ocid`` = settings.OCDS_PREFIX + "-" + the
contract's id, which never changes) with one release: its tender (with the options
extension's ``hasOptions`` and ``options``), one award to the provider, and one contract
pointing at that award. The dates and values are the register's, read from the stored
figures (contracts.figures): ``period.endDate`` is the current end (after exercised
options), ``period.maxExtentDate`` the maximum end (all options taken) and ``value`` the
whole-life value in GBP.

The functions that build a release are pure (a contract read by :func:`contracts`
in, a dict out). :func:`write_package` writes a release package a release at a time
from a queryset read in chunks (ui.exports.iterate), so a large register never sits in
memory. The tests validate it against the official schema vendored in
contracts/schemas/ocds-1.1.5/.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from contracts import rules
from contracts.models import Authority, Contract, ExtensionOption
from ui import exports

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "ocds-1.1.5"
VERSION = "1.1"
CURRENCY = "GBP"
# The options extension adds ``hasOptions`` and ``options`` to the tender.
OPTIONS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_options_extension/master/extension.json"
)
EXTENSIONS = [OPTIONS_EXTENSION]

# A contract's status on the day (contracts.rules) as OCDS's contract status codelist:
# not started is pending, running is active, ended or ended early is terminated.
CONTRACT_STATUS = {
    rules.PIPELINE: "pending",
    rules.IN_PROCUREMENT: "pending",
    rules.STANDSTILL: "pending",
    rules.LIVE: "active",
    rules.IN_EXTENSION: "active",
    rules.EXPIRED: "terminated",
    rules.TERMINATED: "terminated",
}
NOT_AWARDED = {rules.PIPELINE, rules.IN_PROCUREMENT, rules.STANDSTILL}


def contracts(authority: Authority | None = None, today: datetime.date | None = None) -> QuerySet:
    """The contracts to publish, as the register reads them (stored figures, status on
    ``today``, shares), with their options: an authority's are those it leads or pays a
    share of."""
    queryset = (
        Contract.objects.published()
        .for_register(today)
        .prefetch_related(
            Prefetch("options", queryset=ExtensionOption.objects.order_by("sequence"))
        )
    )
    if authority is not None:
        queryset = queryset.of_authority(authority)
    return queryset.order_by("reference")


def ocid(contract: Contract) -> str:
    return f"{settings.OCDS_PREFIX}-{contract.pk}"


def _start(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _end(day: datetime.date) -> str:
    """An end date is the last day of the term, so the period runs to its end."""
    return f"{day.isoformat()}T23:59:59Z"


def _value(amount) -> dict:
    return {"amount": rules.amount_for_json(amount), "currency": CURRENCY}


def authority_party_id(authority: Authority) -> str:
    return f"authority-{authority.pk}"


def supplier_party(provider) -> dict:
    """The provider as an OCDS party, identified by its charity or company number."""
    party = {"name": provider.name, "roles": ["supplier"]}
    found = rules.organisation_identifier(
        charity_number=provider.charity_number, company_number=provider.company_number
    )
    if found:
        scheme, number = found
        party["id"] = f"{scheme}-{number}"
        party["identifier"] = {"scheme": scheme, "id": number, "legalName": provider.name}
    else:
        party["id"] = f"provider-{provider.pk}"
    details = {}
    if provider.is_sme:
        details["scale"] = "sme"
    if provider.is_vcse:
        details["vcse"] = True
    if details:
        party["details"] = details
    return party


def buyers(contract: Contract) -> list[Authority]:
    """The lead authority, then every other authority sharing the contract's cost."""
    found = {contract.lead_authority_id: contract.lead_authority}
    for share in contract.stored_shares.all():
        found.setdefault(share.authority_id, share.authority)
    return list(found.values())


def options_description(options: Iterable[ExtensionOption]) -> str:
    """The options in words: "Option 1: 24 months, exercised; option 2: 12 months, pending"."""
    return "; ".join(
        f"{'Option' if i == 0 else 'option'} {o.sequence}: {o.months} months, "
        f"{o.get_status_display().lower()}"
        for i, o in enumerate(options)
    )


def release(contract: Contract) -> dict:
    """One contract as an OCDS release (read through :func:`contracts`)."""
    stored = contract.stored
    process = ocid(contract)
    award_id = f"{process}-award"
    parties = []
    for authority in buyers(contract):
        roles = ["buyer"]
        if authority.pk == contract.lead_authority_id:
            roles.append("procuringEntity")
        party = {"id": authority_party_id(authority), "name": authority.name, "roles": roles}
        parties.append(party)
    lead = {"id": authority_party_id(contract.lead_authority), "name": contract.lead_authority.name}
    options = list(contract.options.all())
    tender = {
        "id": f"{process}-tender",
        "title": contract.title,
        "procurementMethodDetails": contract.get_procurement_route_display(),
        "procuringEntity": lead,
        "hasOptions": bool(options),
    }
    if options:
        tender["options"] = {"description": options_description(options)}
    period = {
        "startDate": _start(contract.start_date),
        "endDate": _end(stored.current_end),
        "maxExtentDate": _end(stored.maximum_end),
    }
    status = CONTRACT_STATUS[contract.status]
    award = {
        "id": award_id,
        "title": contract.title,
        "status": "pending" if contract.status in NOT_AWARDED else "active",
        "value": _value(stored.whole_life_value),
        "contractPeriod": period,
    }
    if contract.provider is not None:
        supplier = supplier_party(contract.provider)
        parties.append(supplier)
        award["suppliers"] = [{"id": supplier["id"], "name": supplier["name"]}]
    item = {
        "id": contract.reference,
        "awardID": award_id,
        "title": contract.title,
        "status": status,
        "period": period,
        "value": _value(stored.whole_life_value),
    }
    if contract.description:
        item["description"] = contract.description
        tender["description"] = contract.description
    if contract.terminated_on:
        item["period"] = {**period, "endDate": _end(contract.terminated_on)}
    body = {
        "ocid": process,
        "date": timezone.localtime(contract.updated_at).isoformat(timespec="seconds"),
        "tag": ["tender", "award", "contract"],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": lead,
        "tender": tender,
        "awards": [award],
        "contracts": [item],
    }
    return {"ocid": process, "id": release_id(body), **body}


def release_id(body: dict) -> str:
    """A release's id: the ocid and a digest of its content, so it is the same while the
    contract is unchanged and new once anything published about it changes (an option
    exercised, a share added), as OCDS asks of a release id within its process."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return f"{body['ocid']}-{digest}"


def package_header(*, uri: str, publisher: str, published: datetime.datetime | None = None) -> dict:
    """The package's metadata, without its releases."""
    published = published or timezone.now()
    return {
        "uri": uri,
        "version": VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": published.isoformat(timespec="seconds"),
        "publisher": {"name": publisher},
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }


def package_chunks(
    records: Iterable[Contract], *, uri: str, publisher: str, published=None
) -> Iterator[str]:
    """A release package as JSON text in pieces, a release at a time: ``records`` from
    :func:`contracts`, read in chunks so that no more than a chunk is in memory."""
    header = json.dumps(package_header(uri=uri, publisher=publisher, published=published))
    yield header[:-1] + ', "releases": ['
    for index, contract in enumerate(exports.iterate(records)):
        yield ("," if index else "") + "\n" + json.dumps(release(contract))
    yield "\n]}\n"


def write_package(records: Iterable[Contract], file, *, uri: str, publisher: str) -> int:
    """Write a release package to an open text file; the number of releases written."""
    releases = 0
    for chunk in package_chunks(records, uri=uri, publisher=publisher):
        file.write(chunk)
        releases += chunk.startswith((",\n", "\n{"))
    return releases


def publisher_name(authority: Authority | None) -> str:
    return authority.name if authority else settings.SERVICE_NAME

"""A contract as it stood on a date, for documents and for the auditors' history page.

``contract_as_of(contract, when)`` rebuilds the contract with its extension options,
cost shares and modifications as they stood at the end of ``when``, and ``figures_for(that,
today=when)`` then gives its figures on that day (current and maximum end, value,
shares) from the same rules as the live pages.

Where the records carry their own dates, those say when things happened; the
history (the audit app's historical rows) is read only where they do not:

- An option's status follows its own date: the date it was decided
  (``decided_on``), else its authorising decision's date. An option exercised or
  declined after ``when`` was pending then, whenever that was typed in; one decided
  on or before ``when`` was decided then, even if it was recorded later. An option
  decided with no date recorded has the status its history gives.
- A modification counts once it was recorded or once it took effect, whichever
  comes first: one recorded by ``when`` is there as it stood then (agreed, even if it
  takes effect later); one recorded afterwards whose effective date is on or before
  ``when`` had happened by then, and is there as it is now. One deleted by then, or
  deleted since having been recorded only afterwards, is left out.
- Everything else (the contract's terms, an option's months and price, the shares)
  is the version the history holds at the end of ``when``. Records deleted by then
  are left out, and so are options and shares added to the contract afterwards.
- A contract entered after ``when`` (a contract typed in after its award, or the
  demo data) has no version then: it is taken as first entered, with the options
  and shares it has now, each as first entered. ``entered_later`` says so.

The contract returned is a snapshot, never to be saved.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time

from django.utils import timezone

from contracts.models import (
    Authority,
    Contract,
    CostShare,
    ExtensionOption,
    Modification,
    Provider,
)

PENDING = ExtensionOption.Status.PENDING
DECIDED = frozenset({ExtensionOption.Status.EXERCISED, ExtensionOption.Status.DECLINED})
DELETED = "-"  # simple-history's history_type of a deletion


def end_of(day: date) -> datetime:
    """The last moment of ``day``, in the council's time zone."""
    return timezone.make_aware(datetime.combine(day, time.max))


def option_status_on(when: date, *, status: str, decided_on: date | None) -> str:
    """An option's status on ``when``, from its status and the date it was decided.

    An option exercised or declined after ``when`` was still pending on ``when``; one
    decided on or before it, or with no date recorded, had the status it has.

    >>> option_status_on(date(2024, 7, 2), status="exercised", decided_on=date(2026, 12, 1))
    'pending'
    >>> option_status_on(date(2024, 7, 2), status="exercised", decided_on=date(2024, 7, 2))
    'exercised'
    """
    if status in DECIDED and decided_on is not None and decided_on > when:
        return PENDING
    return status


def contract_as_of(contract: Contract | int, when: date) -> Contract:
    """The contract (or the contract with this id, deleted or not) as it stood at the
    end of ``when``, with its options and shares as they stood then (see the module's
    docstring), read in a fixed number of queries whatever its history holds.

    The snapshot's ``options.all()``, ``shares.all()`` and ``modifications.all()``
    give those options, shares and modifications, so ``figures_for`` and the timeline
    read them as they would a live contract's. It also carries ``as_of`` (``when``)
    and ``entered_later`` (True when the contract was entered after ``when`` and is
    shown as first entered).
    """
    pk = contract if isinstance(contract, int) else contract.pk
    return contracts_as_of([contract], when)[pk]


def contracts_as_of(contracts: Iterable[Contract | int], when: date) -> dict[int, Contract]:
    """:func:`contract_as_of` of several contracts, by id, in the same few queries (at
    most seven) however many contracts, options, shares, modifications and history rows
    there are.
    Authorities and providers already read with the live contracts are not read again."""
    given = list(contracts)
    live = {c.pk: c for c in given if isinstance(c, Contract)}
    pks = [c if isinstance(c, int) else c.pk for c in given]
    moment = end_of(when)
    versions = _by_record(Contract.history.filter(id__in=pks))
    options = _by_record(ExtensionOption.history.filter(contract_id__in=pks), "contract_id")
    shares = _by_record(CostShare.history.filter(contract_id__in=pks), "contract_id")
    modifications = _by_record(Modification.history.filter(contract_id__in=pks), "contract_id")

    snapshots = {}
    for pk in pks:
        snapshot = _snapshot(pk, versions.get(pk, {}).get(pk, []), live.get(pk), moment)
        snapshot.as_of = when
        snapshots[pk] = snapshot
    stood_options = {
        pk: _parts(options.get(pk, {}), moment, snapshot.entered_later)
        for pk, snapshot in snapshots.items()
    }
    stood_shares = {
        pk: _parts(shares.get(pk, {}), moment, snapshot.entered_later)
        for pk, snapshot in snapshots.items()
    }
    decision_dates = _decision_dates(
        version.authorising_decision_id
        for parts in stood_options.values()
        for pair in parts
        for version in pair
    )
    authorities = _read(
        Authority,
        {s.lead_authority_id for s in snapshots.values()}
        | {v.authority_id for parts in stood_shares.values() for v, _ in parts},
        _known_authorities(live.values()),
    )
    providers = _read(
        Provider,
        {s.provider_id for s in snapshots.values()} - {None},
        {c.provider_id: c.provider for c in live.values() if Contract.provider.is_cached(c)},
    )

    for pk, snapshot in snapshots.items():
        snapshot.lead_authority = authorities[snapshot.lead_authority_id]
        if snapshot.provider_id is not None:
            snapshot.provider = providers[snapshot.provider_id]
        option_rows = [
            _option_on(when, stood, latest, decision_dates, snapshot)
            for stood, latest in stood_options[pk]
        ]
        share_rows = []
        for stood, _latest in stood_shares[pk]:
            share = stood.instance
            share.contract = snapshot
            share.authority = authorities[share.authority_id]
            share_rows.append(share)
        _prefetch(snapshot, "options", sorted(option_rows, key=lambda o: o.sequence))
        _prefetch(snapshot, "shares", sorted(share_rows, key=lambda s: (s.authority.name, s.pk)))
        modification_rows = _modifications_on(when, modifications.get(pk, {}), moment)
        for modification in modification_rows:
            modification.contract = snapshot
        _prefetch(snapshot, "modifications", sorted(modification_rows, key=lambda m: m.sequence))
    return snapshots


def _by_record(history, group: str = "id") -> dict[int, dict[int, list]]:
    """History rows oldest first, by contract (``group``), then by record."""
    grouped: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for version in history.order_by("history_date", "history_id"):
        grouped[getattr(version, group)][version.id].append(version)
    return grouped


def _snapshot(pk: int, versions: list, live: Contract | None, moment: datetime) -> Contract:
    stood = _stood(versions, moment)
    if versions:
        snapshot = (stood or versions[0]).instance
        snapshot.entered_later = stood is None
    elif live is not None:
        # Entered before history was kept: the record is all there is.
        fields = Contract._meta.concrete_fields
        snapshot = Contract(**{f.attname: getattr(live, f.attname) for f in fields})
        snapshot.entered_later = True
    else:
        raise Contract.DoesNotExist(f"No contract or history of contract {pk}.")
    snapshot._state.adding = False
    return snapshot


def _stood(versions: list, moment: datetime):
    """The last of ``versions`` (oldest first) made by ``moment``, or None."""
    made = [v for v in versions if v.history_date <= moment]
    return made[-1] if made else None


def _parts(by_record: dict[int, list], moment: datetime, contract_entered_later: bool) -> list:
    """(version as it stood, latest version) of each option or share of a contract.

    A part deleted by ``moment`` is left out. A part entered after ``moment`` is left
    out too, unless the contract itself was entered after it: then the part, if it
    still exists, is taken as first entered.
    """
    parts = []
    for versions in by_record.values():
        stood, latest = _stood(versions, moment), versions[-1]
        if stood is None and contract_entered_later and latest.history_type != DELETED:
            stood = versions[0]
        if stood is not None and stood.history_type != DELETED:
            parts.append((stood, latest))
    return parts


def _modifications_on(when: date, by_record: dict[int, list], moment: datetime) -> list:
    """The modifications of a contract that counted at the end of ``when`` (see the
    module's docstring), each as its version says."""
    counted = []
    for versions in by_record.values():
        stood, latest = _stood(versions, moment), versions[-1]
        if stood is not None:
            if stood.history_type != DELETED:
                counted.append(stood.instance)
        elif latest.history_type != DELETED and latest.effective_date <= when:
            counted.append(latest.instance)
    return counted


def _known_authorities(contracts) -> dict:
    """The authorities already read with these live contracts (lead, and shares')."""
    known = {}
    for contract in contracts:
        if Contract.lead_authority.is_cached(contract):
            known[contract.lead_authority_id] = contract.lead_authority
        shares = getattr(contract, "_prefetched_objects_cache", {}).get("shares")
        for share in shares if shares is not None else ():
            if CostShare.authority.is_cached(share):
                known[share.authority_id] = share.authority
    return known


def _read(model, ids: set, known: dict) -> dict:
    """Rows of ``model`` by id: those in ``known``, and the rest read in one query."""
    missing = ids - set(known)
    return {**known, **(model._base_manager.in_bulk(missing) if missing else {})}


def _decision_dates(ids) -> dict[int, date | None]:
    """The dates of the authorising decisions with these ids: only the date is read,
    for an option's own date, so nothing of an exempt decision is shown."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    Decision = ExtensionOption._meta.get_field("authorising_decision").related_model
    return dict(Decision._base_manager.filter(pk__in=wanted).values_list("pk", "decision_date"))


def _own_date(version, decision_dates) -> date | None:
    """The date an option was decided: its own, else its authorising decision's."""
    return version.decided_on or decision_dates.get(version.authorising_decision_id)


def _option_on(when: date, stood, latest, decision_dates, contract) -> ExtensionOption:
    """The option as it stood: its terms from the version at ``when``; its decision from
    the latest version when that has a date (the date says when it was decided), else
    from the version at ``when``."""
    option = stood.instance
    option.contract = contract
    decided = latest if latest.status in DECIDED and _own_date(latest, decision_dates) else stood
    status = option_status_on(
        when, status=decided.status, decided_on=_own_date(decided, decision_dates)
    )
    option.status = status
    if status == PENDING:
        option.decided_on, option.reason, option.authorising_decision_id = None, "", None
    else:
        option.decided_on = decided.decided_on
        option.reason = decided.reason
        option.authorising_decision_id = decided.authorising_decision_id
    return option


def _prefetch(instance, name: str, objs: list) -> None:
    """Make ``instance.<name>.all()`` give ``objs`` without a query, as Django's
    ``prefetch_related`` does."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = objs
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset

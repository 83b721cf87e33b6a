"""Writes that span several records, each in one transaction.

The race that matters here: two people committing money from the same allocation at
once could each see enough headroom and together over-commit it. Every write that
changes an allocation's amount or its commitments first locks the allocation row
(select_for_update), so they take turns and each sees the other's commitment.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from contracts.models import Authority
from grants import rules
from grants.models import (
    ZERO,
    AllocationShare,
    Funder,
    GrantAllocation,
    GrantCommitment,
    GrantProgramme,
)


class OverCommitment(ValidationError):
    """The commitments would add up to more than the allocation."""


def _locked(allocation_id: int) -> GrantAllocation:
    return GrantAllocation.objects.select_for_update().get(pk=allocation_id)


def _committed(allocation_id: int, *, excluding: int | None = None) -> Decimal:
    commitments = GrantCommitment.objects.filter(allocation_id=allocation_id)
    if excluding is not None:
        commitments = commitments.exclude(pk=excluding)
    return commitments.aggregate(total=Sum("amount"))["total"] or ZERO


def save_commitment(*, commitment: GrantCommitment, reason: str = "") -> GrantCommitment:
    """Save a new or changed commitment unless it would over-commit its allocation.

    Raises OverCommitment (naming the uncommitted balance), or a ValidationError on
    ``financial_year`` for a year the allocation does not cover, and saves nothing.
    """
    with transaction.atomic():
        allocation = _locked(commitment.allocation_id)
        year_error = rules.commitment_year_error(
            commitment.financial_year, allocation.financial_years
        )
        if year_error:
            raise ValidationError({"financial_year": year_error}, code="outside_allocation")
        others = _committed(allocation.pk, excluding=commitment.pk)
        error = rules.commitment_error(allocation.amount, [others], commitment.amount)
        if error:
            raise OverCommitment(error, code="over_commitment")
        commitment._change_reason = reason
        commitment.save()
    return commitment


def delete_commitment(*, commitment: GrantCommitment, reason: str = "") -> None:
    with transaction.atomic():
        _locked(commitment.allocation_id)
        commitment._change_reason = reason
        commitment.delete()


def save_allocation(
    *,
    allocation: GrantAllocation,
    shares: Mapping[Authority, Decimal],
    reason: str = "",
    user=None,
) -> GrantAllocation:
    """Save an allocation and replace its shares, keeping history for each share.

    An allocation is never set below what is already committed from it: the amount is
    checked with the allocation locked, so a commitment made meanwhile is counted.
    ``shares`` maps authority to percentage; empty means the host keeps it all.
    ``user`` is who the history names when there is no request (a background import).
    """
    with transaction.atomic():
        if allocation.pk:
            _locked(allocation.pk)
            error = rules.allocation_amount_error(allocation.amount, _committed(allocation.pk))
            if error:
                raise OverCommitment({"amount": error}, code="over_commitment")
        allocation._change_reason = reason
        if user is not None:
            allocation._history_user = user
        allocation.save()
        existing = {share.authority_id: share for share in allocation.shares.all()}
        for authority, percentage in shares.items():
            share = existing.pop(authority.pk, None)
            if share is None:
                share = AllocationShare(allocation=allocation, authority=authority)
            elif share.percentage == percentage:
                continue
            share.percentage = percentage
            share._change_reason = reason
            if user is not None:
                share._history_user = user
            share.save()
        for share in existing.values():
            share._change_reason = reason
            if user is not None:
                share._history_user = user
            share.delete()
    return allocation


def delete_allocation(*, allocation: GrantAllocation, reason: str = "") -> None:
    """Delete an allocation and its shares. One with commitments is refused (PROTECT)."""
    with transaction.atomic():
        _locked(allocation.pk)
        if allocation.commitments.exists():
            raise ValidationError(
                "This allocation has commitments. Delete its commitments first.",
                code="has_commitments",
            )
        for share in allocation.shares.all():
            share._change_reason = reason
            share.delete()
        allocation._change_reason = reason
        allocation.delete()


def add_programme(
    *, programme: GrantProgramme, new_funder: tuple[str, str] | None, reason: str = ""
) -> GrantProgramme:
    """Save a new programme, with its funder when the funder is new (``new_funder`` is
    its name and short name): both or neither."""
    with transaction.atomic():
        if new_funder is not None:
            name, short_name = new_funder
            funder = Funder(name=name.strip(), short_name=short_name.strip())
            funder._change_reason = reason
            funder.save()
            programme.funder = funder
        programme._change_reason = reason
        programme.save()
    return programme

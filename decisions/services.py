"""Writes that span several rows: allocating a decision number."""

from django.db import transaction

from decisions import rules
from decisions.models import (
    Decision,
    DecisionNumberCounter,
)


def allocate_number(*, authority, year: int) -> str:
    """The next free decision number for ``authority`` in ``year``, with its prefix,
    e.g. ``KCC 24/00057`` (decisions.rules.format_decision_number).

    Call inside the transaction that saves the decision, so that a failed save
    gives the number back. Numbers entered by hand for historical records are
    stepped over, never reused.
    """
    with transaction.atomic():
        # Two clerks adding decisions at the same moment would both read the same
        # last number and allocate it twice (or, with retries, skip one). The
        # counter row for the authority and year is the lock: get_or_create
        # survives two first numbers of a year racing to create it (the loser's
        # INSERT waits on the unique index, fails, and reads the winner's row),
        # and select_for_update() then makes every allocation for that
        # authority and year wait its turn until the decision is committed.
        DecisionNumberCounter.objects.get_or_create(authority=authority, year=year)
        counter = DecisionNumberCounter.objects.select_for_update().get(
            authority=authority, year=year
        )
        year_prefix = rules.format_decision_number(year, 1, authority.decision_number_prefix)[:-5]
        taken = set(
            Decision.objects.filter(
                authority=authority, number__startswith=year_prefix
            ).values_list("number", flat=True)
        )
        sequence = counter.last_sequence
        while True:
            sequence += 1
            number = rules.format_decision_number(year, sequence, authority.decision_number_prefix)
            if number not in taken:
                break
        counter.last_sequence = sequence
        counter.save(update_fields=["last_sequence"])
    return number


def create_decision(*, decision: Decision, allocate: bool, year: int, reason: str = "") -> Decision:
    """Save a new decision, allocating its number in the same transaction."""
    with transaction.atomic():
        if allocate:
            decision.number = allocate_number(authority=decision.authority, year=year)
        decision._change_reason = reason
        decision.save()
    return decision

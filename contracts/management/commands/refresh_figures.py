from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contracts.figures import stale_figures, store_figures
from contracts.models import Contract


class Command(BaseCommand):
    help = (
        "Rebuild every contract's stored figures (contracts.figures) from figures_for. "
        "With --check, change nothing: list each contract whose stored figures differ "
        "from freshly computed ones, and exit 1 if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare; exit 1 when any contract's stored figures are stale.",
        )

    def handle(self, *args, check: bool, **options):
        if check:
            stale = stale_figures()
            references = dict(Contract.objects.filter(pk__in=stale).values_list("pk", "reference"))
            for pk in stale:
                self.stdout.write(f"stale: {references.get(pk, pk)}")
            if stale:
                raise CommandError(
                    f"{len(stale)} contract(s) have stored figures that differ from "
                    "freshly computed ones. Run manage.py refresh_figures to rebuild them."
                )
            self.stdout.write("The stored figures of every contract agree.")
            return
        with transaction.atomic():
            ids = list(Contract.objects.values_list("pk", flat=True))
            count = store_figures(ids)
        self.stdout.write(self.style.SUCCESS(f"Stored the figures of {count} contract(s)."))

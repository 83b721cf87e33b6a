from pathlib import Path

from django.core.management.base import BaseCommand

from grants import transfer
from grants.models import GrantAllocation


class Command(BaseCommand):
    help = "Export every grant allocation as CSV, in the format import_grants reads."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, output: str | None, **options):
        allocations = GrantAllocation.objects.with_related().order_by(
            "financial_year", "programme__funder__name", "programme__name", "authority__name"
        )
        text = transfer.write_csv(transfer.export_rows(allocations))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {len(text.splitlines()) - 1} allocations to {output}.")
        else:
            self.stdout.write(text, ending="")

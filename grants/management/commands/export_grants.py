from pathlib import Path

from django.core.management.base import BaseCommand

from grants import transfer
from grants.models import GrantAllocation
from ui import exports


class Command(BaseCommand):
    help = "Export every grant allocation as CSV, in the format import_grants reads."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, output: str | None, **options):
        allocations = GrantAllocation.objects.with_related().order_by(
            "financial_year", "programme__funder__name", "programme__name", "authority__name"
        )
        rows = transfer.export_rows(allocations)
        if output:
            with Path(output).open("w", encoding="utf-8", newline="") as file:
                lines = exports.write_csv(rows, file)
            self.stderr.write(f"Wrote {lines - 1} allocations to {output}.")
        else:
            for line in exports.csv_lines(rows):
                self.stdout.write(line, ending="")

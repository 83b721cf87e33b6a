import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from contracts import csv_format
from contracts.models import Contract
from ui import exports


class Command(BaseCommand):
    help = "Export every contract as CSV in the documented format (docs/contracts-csv.md)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, output: Path | None, **options):
        rows = csv_format.export_rows(Contract.objects.with_related())
        if output is None:
            exports.write_csv(rows, sys.stdout)
            return
        with Path(output).open("w", encoding="utf-8", newline="") as file:
            lines = exports.write_csv(rows, file)
        self.stderr.write(f"Wrote {lines - 1} contracts to {output}.")

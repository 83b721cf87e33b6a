import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from contracts import csv_format
from contracts.models import Contract


class Command(BaseCommand):
    help = "Export every contract as CSV in the documented format (docs/contracts-csv.md)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, output: Path | None, **options):
        text = csv_format.export(Contract.objects.with_related())
        if output is None:
            sys.stdout.write(text)
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {text.count(chr(10)) - 1} contracts to {output}.")

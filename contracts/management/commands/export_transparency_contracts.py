import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts import transparency
from ui import exports


class Command(BaseCommand):
    help = (
        "Write an authority's contracts over £5,000 in force in a quarter as the Local "
        "Government Transparency Code 2015 asks (CSV), the same file as the public link."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Its name or short name.")
        parser.add_argument(
            "--quarter", required=True, help="A calendar quarter, for example 2026-Q3."
        )
        parser.add_argument("--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, authority: str, quarter: str, output=None, **options):
        found = transparency.authority_named(authority)
        try:
            records = transparency.contracts(found, quarter)
        except ValueError as error:
            raise CommandError(f"--quarter: {error}") from None
        rows = transparency.rows(records, found)
        if output is None:
            exports.write_csv(rows, sys.stdout)
            return
        with Path(output).open("w", encoding="utf-8", newline="") as file:
            lines = exports.write_csv(rows, file)
        self.stderr.write(f"Wrote {lines - 1} contracts to {output}.")

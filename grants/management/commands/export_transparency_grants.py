import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts.transparency import authority_named
from grants import transparency
from ui import exports


class Command(BaseCommand):
    help = (
        "Write an authority's grants to voluntary, community and social enterprise "
        "organisations awarded in a year, as the Local Government Transparency Code 2015 "
        "asks (CSV), the same file as the public link."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Its name or short name.")
        parser.add_argument("--year", required=True, help="A calendar year, for example 2026.")
        parser.add_argument("--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, authority: str, year: str, output=None, **options):
        found = authority_named(authority)
        try:
            records = transparency.grants(found, year)
        except ValueError as error:
            raise CommandError(f"--year: {error}") from None
        rows = transparency.rows(records)
        if output is None:
            exports.write_csv(rows, sys.stdout)
            return
        with Path(output).open("w", encoding="utf-8", newline="") as file:
            lines = exports.write_csv(rows, file)
        self.stderr.write(f"Wrote {lines - 1} grants to {output}.")

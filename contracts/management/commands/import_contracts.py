from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.versioning import EditConflict
from contracts import csv_format
from ui import imports


class Command(BaseCommand):
    help = (
        "Import contracts from a CSV in the documented format (docs/contracts-csv.md). "
        "All or nothing: any bad line means nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and show what would change."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            text = imports.decode(file.read_bytes())
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        plan = csv_format.plan(text, preview=dry_run)
        if not plan.ok:
            raise CommandError(
                f"{file} was not imported; nothing was written:\n"
                + "\n".join(plan.errors or ["line 2: the file has no contracts in it"])
            )
        if dry_run:
            for row in csv_format.preview(plan.rows):
                self.stdout.write(
                    f"line {row.line}: {row.action}: {row.reference} "
                    f"(whole-life value {row.figures.whole_life_value:.2f})"
                )
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            counts = csv_format.apply(plan, reason=f"Imported from {file.name}")
        except (EditConflict, ValidationError) as error:
            raise CommandError(f"{file} was not imported; nothing was written: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file.name}: {counts['added']} added, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts import csv_format


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
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            rows = csv_format.parse(text)
        except csv_format.ImportErrors as error:
            raise CommandError(
                f"{file} was not imported; nothing was written:\n" + "\n".join(error.errors)
            ) from error
        if dry_run:
            for row in csv_format.preview(rows):
                self.stdout.write(
                    f"line {row.line}: {row.action}: {row.reference} "
                    f"(whole-life value {row.figures.whole_life_value:.2f})"
                )
            self.stdout.write("Dry run: nothing was written.")
            return
        counts = csv_format.apply(rows, reason=f"Imported from {file.name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file.name}: {counts['added']} added, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        )

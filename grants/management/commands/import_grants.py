from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.versioning import EditConflict
from grants import transfer
from ui import imports


class Command(BaseCommand):
    help = (
        "Import grant allocations from a CSV file with the header "
        f"{','.join(transfer.HEADER)}. All rows or none; problems are named by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; save nothing."
        )

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            text = imports.decode(Path(file).read_bytes())
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        plan = transfer.plan_import(text)
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(plan.errors)} problem(s) in {file}.")
        counts = plan.counts()
        summary = (
            f"{counts['added']} to add, {counts['updated']} to update, "
            f"{counts['unchanged']} unchanged"
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing saved: {summary}.")
            return
        try:
            counts = transfer.apply_import(plan, reason=f"Imported from {Path(file).name}")
        except ValidationError as error:  # e.g. a commitment added since the check
            raise CommandError(f"Nothing imported: {error.messages[0]}") from error
        except EditConflict as error:
            raise CommandError(f"Nothing imported: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {counts['added']} added, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        )

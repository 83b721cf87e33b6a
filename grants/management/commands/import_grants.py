from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from grants import transfer


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
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        plan = transfer.plan_import(text)
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(plan.errors)} problem(s) in {file}.")
        summary = (
            f"{plan.count_create} to add, {plan.count_update} to update, "
            f"{plan.count_unchanged} unchanged"
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing saved: {summary}.")
            return
        try:
            counts = transfer.apply_import(plan)
        except ValidationError as error:  # e.g. a commitment added since the check
            raise CommandError(f"Nothing imported: {error.messages[0]}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {counts['create']} added, {counts['update']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        )

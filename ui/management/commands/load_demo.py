from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import load_users
from contracts.figures import deferred
from ui import registry


class Command(BaseCommand):
    help = (
        "Load the demo data from the seed reports and the demo users. Safe to run twice. "
        "Refused with DEBUG off unless --force; then existing users are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off (a demo or training deployment). Existing users, "
            "their passwords included, are not changed.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment, and the demo users have "
                "published passwords. Run with --force to load the demo data anyway; "
                "existing users are then left unchanged."
            )
        # Contracts' stored figures (contracts.figures) are written once, at the end.
        with transaction.atomic(), deferred():
            users = load_users(reset_existing=not options["force"])
            # Each app's loader (ui.registry), in the apps' order: decisions link
            # contracts, grants cite decisions.
            for load in registry.DEMO_LOADERS:
                load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins:"))
        for username, password, role in users:
            self.stdout.write(f"  {role:<16} username: {username:<13} password: {password}")

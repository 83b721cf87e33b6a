from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import load_users

# Each app's demo module has ``load()``; order matters (decisions link contracts).
DEMO_MODULES = ("contracts.demo", "decisions.demo", "grants.demo")


class Command(BaseCommand):
    help = "Load the demo data from the seed reports and the demo users. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = load_users()
            for name in DEMO_MODULES:
                if find_spec(name) is not None:
                    import_module(name).load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins:"))
        for username, password, role in users:
            self.stdout.write(f"  {role:<16} username: {username:<13} password: {password}")

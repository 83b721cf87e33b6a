import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from contracts import ocds
from contracts.transparency import authority_named


class Command(BaseCommand):
    help = (
        "Write the contracts as an OCDS 1.1.5 release package (one release per contract), "
        "the same file as the public link per authority."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--authority", help="Only this authority's contracts (its name or short name)."
        )
        parser.add_argument("--output", type=Path, help="File to write (default: stdout).")
        parser.add_argument(
            "--uri",
            help="The package's URI: where it will be published (default: a urn from OCDS_PREFIX).",
        )

    def handle(self, *args, authority=None, output=None, uri=None, **options):
        found = authority_named(authority) if authority else None
        records = ocds.contracts(found)
        uri = uri or f"urn:{settings.OCDS_PREFIX}:contracts" + (f":{found.pk}" if found else "")
        publisher = ocds.publisher_name(found)
        if output is None:
            ocds.write_package(records, sys.stdout, uri=uri, publisher=publisher)
            return
        with Path(output).open("w", encoding="utf-8") as file:
            releases = ocds.write_package(records, file, uri=uri, publisher=publisher)
        self.stderr.write(f"Wrote {releases} releases to {output}.")

"""The database cache's table (settings.CACHES), made by migrate: every path that makes
a database (make run, the deploy steps, the tests, the benchmarks' throwaway databases)
then has it, and a save that expires the public pages (public.cache) never meets a
missing table. createcachetable makes only what is missing, so running it again, as
older deploy notes did, is harmless."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

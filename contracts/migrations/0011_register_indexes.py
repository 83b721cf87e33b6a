"""Indexes for the register: its sorts and status filters, and its search.

The search matches part of a word (``icontains``: ``UPPER(column) LIKE UPPER('%text%')``)
on both databases. On PostgreSQL, pg_trgm's GIN indexes on exactly those UPPER
expressions serve that LIKE, so a search reads the index instead of every row. SQLite
has no such index: the RunPython step does nothing there.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models.functions import Upper

# Kept here, not imported from contracts.filters, so the migration never changes.
TRIGRAM_INDEXES = (
    ("Contract", "contract_reference_trgm", "reference"),
    ("Contract", "contract_title_trgm", "title"),
    ("Contract", "contract_description_trgm", "description"),
    ("Contract", "contract_lot_trgm", "lot"),
    ("Contract", "contract_notes_trgm", "notes"),
    ("Provider", "provider_name_trgm", "name"),
    ("Authority", "authority_name_trgm", "name"),
)


def _index(name, field):
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, field in TRIGRAM_INDEXES:
        schema_editor.add_index(apps.get_model("contracts", model_name), _index(name, field))


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, field in TRIGRAM_INDEXES:
        schema_editor.remove_index(apps.get_model("contracts", model_name), _index(name, field))


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0010_fill_stored_figures'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='contract',
            index=models.Index(fields=['initial_end_date', 'id'], name='contract_initial_end'),
        ),
        migrations.AddIndex(
            model_name='contract',
            index=models.Index(fields=['start_date', 'id'], name='contract_start'),
        ),
        migrations.AddIndex(
            model_name='contract',
            index=models.Index(fields=['annual_value', 'id'], name='contract_annual_value'),
        ),
        # CREATE EXTENSION on PostgreSQL only (Django skips it on other databases);
        # pg_trgm is a trusted extension, so the database's owner may create it.
        TrigramExtension(),
        migrations.RunPython(add_trigram_indexes, remove_trigram_indexes),
    ]

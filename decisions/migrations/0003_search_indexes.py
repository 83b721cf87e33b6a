"""GIN indexes for full-text search on PostgreSQL (a no-op on other databases).

Built on exactly the expressions decisions.search queries with, so the planner can
use them. They are not in the models' Meta because SQLite cannot build them.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# Kept here, not imported from decisions.search, so the migration never changes.
INDEXES = (
    ("Decision", "decision_search_gin", ("title", "summary", "reasons", "options_rejected")),
    ("ReportSection", "report_section_search_gin", ("heading", "body")),
    ("Recommendation", "recommendation_search_gin", ("verb", "text")),
)


def _index(fields, name):
    return GinIndex(SearchVector(*fields, config="english"), name=name)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, fields in INDEXES:
        schema_editor.add_index(apps.get_model("decisions", model_name), _index(fields, name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, fields in INDEXES:
        schema_editor.remove_index(apps.get_model("decisions", model_name), _index(fields, name))


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_historicaldecision_strategic_priorities_and_more")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]

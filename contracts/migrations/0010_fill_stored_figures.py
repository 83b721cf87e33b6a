"""Fill the stored figures of the contracts already there (contracts.figures)."""

from django.db import migrations


def fill(apps, schema_editor):
    from contracts.figures import store_figures

    stored_models = tuple(
        apps.get_model("contracts", name)
        for name in ("Contract", "ContractFigures", "CostShare", "ShareFigures", "YearFigures")
    )
    ids = stored_models[0]._base_manager.values_list("pk", flat=True)
    store_figures(list(ids), stored_models=stored_models)


def empty(apps, schema_editor):
    for name in ("ContractFigures", "ShareFigures", "YearFigures"):
        apps.get_model("contracts", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0009_stored_figures"),
    ]

    operations = [migrations.RunPython(fill, empty)]

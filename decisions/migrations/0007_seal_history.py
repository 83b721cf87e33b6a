"""Chain the history rows written before the hmac chain existed, then the triggers come.

Data only (RunPython); it runs before the append-only triggers are installed, so it
needs no way round them. Needs HISTORY_HMAC_KEY, as every migrate does.
"""

from functools import partial

from django.db import migrations

from audit.chain import seal_existing


class Migration(migrations.Migration):
    dependencies = [
        ('decisions', '0006_history_chain_columns'),
    ]

    operations = [
        migrations.RunPython(
            partial(seal_existing, app_label="decisions"), migrations.RunPython.noop, elidable=True
        ),
    ]

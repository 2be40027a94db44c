"""The ledger's single head row, at the genesis hash (sequence 0), so every append can lock it."""
from django.db import migrations

GENESIS_HASH = "0" * 64


def create_head(apps, schema_editor):
    LedgerHead = apps.get_model("funds", "LedgerHead")
    LedgerHead.objects.get_or_create(id=1, defaults={"seq": 0, "head_hash": GENESIS_HASH})


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_records_notices_ledger")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]

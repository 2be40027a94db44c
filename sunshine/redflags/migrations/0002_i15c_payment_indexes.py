"""Indexes the data comparison's incremental runs probe (issue 15, speed): a payee's current payments (R02, R07,
R09 start from the new payments' payees) and the unpublished current payments (R14 reads only those)."""
from django.db import migrations

# Now made by funds migration 0014 (the payments' own app: review of issue 15); a database migrated before has them.
FORWARD: list[str] = []
BACKWARD: list[str] = []


class Migration(migrations.Migration):
    dependencies = [
        ("redflags", "0001_i15a_registries_runs_hits"),
        ("funds", "0011_merge_i12_i14"),
    ]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD)]

"""The households of no members, as a partial index (usually empty): the data comparison's R10 (issue 15, app
redflags) reads them for a per-person standard times 0 people. First made by redflags migration 0004; a table's
indexes belong to its own app (review of issue 15). A database migrated before has it already (IF NOT EXISTS)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0012_i11_full_width_labels"),
    ]

    operations = [migrations.RunSQL(
        sql="CREATE INDEX IF NOT EXISTS org_household_empty ON org_household (id) WHERE member_count < 1",
        reverse_sql="DROP INDEX IF EXISTS org_household_empty")]

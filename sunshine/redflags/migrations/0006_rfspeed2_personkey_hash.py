"""Issue 15, speed: a hash index on the person keys' id_key (PostgreSQL only). Every registry rule probes
person_key by id_key once per registry row (R01: 300,000 officials and relatives); a hash probe of a 32-digit key
is a fraction of a B-tree descent: measured at the issue's size, R02 1.19 s to 0.29 s, R03 1.10 s to 0.42 s. The
B-tree index stays (SQLite, and the incremental refresh's lookups)."""
from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS redflags_personkey_id_key_hash ON redflags_personkey "
                              "USING hash (id_key)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS redflags_personkey_id_key_hash")


class Migration(migrations.Migration):

    dependencies = [
        ("redflags", "0005_rfspeed2_payment_slot_clashes"),
    ]

    operations = [migrations.RunPython(forward, backward)]

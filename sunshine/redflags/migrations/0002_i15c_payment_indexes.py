"""Indexes the data comparison's incremental runs probe (issue 15, speed): a payee's current payments (R02, R07,
R09 start from the new payments' payees) and the unpublished current payments (R14 reads only those)."""
from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS funds_payment_payee_current ON funds_householdpayment (payee_id_number) "
    "WHERE is_current",
    "CREATE INDEX IF NOT EXISTS funds_payment_unpublished ON funds_householdpayment (village_id, fund_item, period) "
    "WHERE is_current AND published_at IS NULL",
]
BACKWARD = ["DROP INDEX IF EXISTS funds_payment_payee_current", "DROP INDEX IF EXISTS funds_payment_unpublished"]


class Migration(migrations.Migration):
    dependencies = [
        ("redflags", "0001_i15a_registries_runs_hits"),
        ("funds", "0011_merge_i12_i14"),
    ]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD)]

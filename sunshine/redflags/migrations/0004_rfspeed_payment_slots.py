"""Issue 15, speed: what the duplicate rules count, as narrow partial indexes on the current payments.

- funds_payment_slot (household, item, period, then the columns R08 reads): R08 counts each household's payments
  per item and period over this index alone (an index-only scan in key order: no sort, no hash, no join back).
- funds_payment_item_amount (item, amount): R10 reads only the payments over their item's amount.
- funds_payment_payee_slot (payee, item, period, village): R09 finds the payees paid for one item and period in two
  villages over this index alone; it also serves every lookup by payee the narrower funds_payment_payee_current
  (migration 0002) served, which it replaces.
- funds_payment_disability: the current disability-subsidy payments R07 reads (a few in a city's millions).
- org_household_empty: the households of no members (R10: a per-person standard times 0 people), usually none.
- PersonKey.shared (the keys two spellings of one ID number share), filled here for the keys already made.
"""
from django.db import migrations, models

FORWARD = [
    "CREATE INDEX IF NOT EXISTS funds_payment_slot ON funds_householdpayment "
    "(household_id, fund_item, period, village_id, paid_on, id, amount) WHERE is_current",
    "CREATE INDEX IF NOT EXISTS funds_payment_item_amount ON funds_householdpayment (fund_item, amount) "
    "WHERE is_current",
    "CREATE INDEX IF NOT EXISTS funds_payment_payee_slot ON funds_householdpayment "
    "(payee_id_number, fund_item, period, village_id) WHERE is_current",
    "DROP INDEX IF EXISTS funds_payment_payee_current",
    "CREATE INDEX IF NOT EXISTS funds_payment_disability ON funds_householdpayment (payee_id_number) "
    "WHERE is_current AND fund_item LIKE '%残疾%'",
    "CREATE INDEX IF NOT EXISTS org_household_empty ON org_household (id) WHERE member_count < 1",
    "UPDATE redflags_personkey SET shared = TRUE WHERE id_key IN "
    "(SELECT id_key FROM redflags_personkey GROUP BY id_key HAVING COUNT(*) > 1)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS funds_payment_slot",
    "DROP INDEX IF EXISTS funds_payment_item_amount",
    "CREATE INDEX IF NOT EXISTS funds_payment_payee_current ON funds_householdpayment (payee_id_number) "
    "WHERE is_current",
    "DROP INDEX IF EXISTS funds_payment_payee_slot",
    "DROP INDEX IF EXISTS funds_payment_disability",
    "DROP INDEX IF EXISTS org_household_empty",
]


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0012_i11_full_width_labels'),
        ('redflags', '0003_merge_20261207_2341'),
    ]

    operations = [
        migrations.AddField(
            model_name='personkey',
            name='shared',
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name='personkey',
            index=models.Index(condition=models.Q(('shared', True)), fields=['id_number'], name='redflags_personkey_shared'),
        ),
        migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD),
    ]

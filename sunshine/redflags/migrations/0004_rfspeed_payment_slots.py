"""Issue 15, speed: PersonKey.shared. (The payments' and households' indexes listed below were first made here; they
are now made by funds migration 0014 and org migration 0013, which say which rules read them.)

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

# The payments' and households' indexes this migration first made are made by their own apps' migrations (funds
# 0014, org 0013: review of issue 15); a database migrated before keeps them, and those migrations find them there.
FORWARD = [
    "UPDATE redflags_personkey SET shared = TRUE WHERE id_key IN "
    "(SELECT id_key FROM redflags_personkey GROUP BY id_key HAVING COUNT(*) > 1)",
]
BACKWARD = []


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

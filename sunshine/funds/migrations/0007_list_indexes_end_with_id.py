"""Public lists (三(二)3: the village page) read newest first by (date, id): with the id at the end of the index,
a page of ten reads ten entries instead of every row of the newest date (a payment batch puts thousands of rows on
one day)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_owner_links'),
        ('funds', '0006_household_delete_guard'),
        ('org', '0004_drop_duplicate_region_path_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='accounttransaction',
            name='funds_txn_village_date',
        ),
        migrations.RemoveIndex(
            model_name='fundallocation',
            name='funds_alloc_region_date',
        ),
        migrations.RemoveIndex(
            model_name='householdpayment',
            name='funds_payment_village_date',
        ),
        migrations.AddIndex(
            model_name='accounttransaction',
            index=models.Index(fields=['village', 'occurred_on', 'id'], name='funds_txn_village_date_id'),
        ),
        migrations.AddIndex(
            model_name='fundallocation',
            index=models.Index(fields=['region', 'allocated_on', 'id'], name='funds_alloc_region_date_id'),
        ),
        migrations.AddIndex(
            model_name='householdpayment',
            index=models.Index(fields=['village', 'paid_on', 'id'], name='funds_payment_village_date_id'),
        ),
    ]

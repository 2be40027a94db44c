"""Issue 15, speed: the payment slots R08 and R09 read (redflags.services.payment_slots_refresh fills them).

An existing city's slots are found by the first run after this migration (its refresh starts from payment 0)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funds', '0014_rfspeed2_comparison_indexes'),  # the indexes the slots' refresh probes
        ('org', '0013_rfspeed2_household_empty'),
        ('redflags', '0004_rfspeed_payment_slots'),
    ]

    operations = [
        migrations.CreateModel(
            name='HouseholdSlotClash',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fund_item', models.CharField(max_length=60)),
                ('period', models.CharField(max_length=30)),
                ('household', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.household')),
            ],
            options={
                'verbose_name': '同户同期多笔发放',
                'verbose_name_plural': '同户同期多笔发放',
                'constraints': [models.UniqueConstraint(fields=('household', 'fund_item', 'period'), name='redflags_household_slot_unique')],
            },
        ),
        migrations.CreateModel(
            name='PayeeSlotClash',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('payee_id_number', models.CharField(max_length=18)),
                ('fund_item', models.CharField(max_length=60)),
                ('period', models.CharField(max_length=30)),
                ('village', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.region')),
            ],
            options={
                'verbose_name': '同人同期多村发放',
                'verbose_name_plural': '同人同期多村发放',
                'constraints': [models.UniqueConstraint(fields=('payee_id_number', 'fund_item', 'period'), name='redflags_payee_slot_unique')],
            },
        ),
    ]

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Message texts move to shared bodies (schema, step 3 of 3): every message has a body, the per-row text and
    parameters go. Two indexes go too: lists order by id (which follows created_at), and the related record is
    named by the idempotency key."""

    dependencies = [
        ('notify', '0007_move_texts_to_bodies'),
    ]

    operations = [
        migrations.AlterField(
            model_name='smsmessage',
            name='body',
            field=models.ForeignKey(db_constraint=False, db_index=False,
                                    on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='notify.smsbody', verbose_name='短信内容'),
        ),
        migrations.RemoveField(
            model_name='smsmessage',
            name='params',
        ),
        migrations.RemoveField(
            model_name='smsmessage',
            name='text',
        ),
        migrations.AlterModelOptions(
            name='smsmessage',
            options={'ordering': ['-id'], 'verbose_name': '短信', 'verbose_name_plural': '短信'},
        ),
        migrations.RemoveIndex(
            model_name='smsmessage',
            name='notify_sms_related',
        ),
        migrations.RemoveIndex(
            model_name='smsmessage',
            name='notify_sms_created',
        ),
    ]

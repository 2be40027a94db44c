import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Message texts move to shared bodies (schema, step 1 of 3): the body table and a nullable link to it."""

    dependencies = [
        ('notify', '0005_outbox_key_index_serves_prefix_search_provider_id_partial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SmsBody',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64, unique=True)),
                ('template_code', models.CharField(max_length=40, verbose_name='模板')),
                ('params', models.JSONField(default=list, verbose_name='参数')),
                ('text', models.TextField(verbose_name='短信内容')),
                ('protected', models.BooleanField(default=False, verbose_name='受保护')),
                ('created_at', models.DateTimeField(verbose_name='生成时间')),
            ],
            options={
                'verbose_name': '短信内容',
                'verbose_name_plural': '短信内容',
            },
        ),
        migrations.AddField(
            model_name='smsmessage',
            name='body',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='notify.smsbody', verbose_name='短信内容'),
        ),
    ]

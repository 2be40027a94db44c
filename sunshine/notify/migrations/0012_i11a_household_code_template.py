"""The one-time code a household asks for to see all its payments, unpublished ones included (三(二)3)."""
from django.db import migrations

CODE = "household_code"


def forwards(apps, schema_editor):
    apps.get_model("notify", "SmsTemplate").objects.get_or_create(code=CODE, defaults={
        "name": "查询验证码",
        "body": "验证码{code},{minutes}分钟内有效,用于查看您家的扶贫资金发放。请勿告诉他人。",
        "params": ["code", "minutes"],
        "description": "三(二)3:农户查看本户全部发放(含待公示)的短信验证码",
    })


def backwards(apps, schema_editor):
    apps.get_model("notify", "SmsTemplate").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0011_i11a_payment_sms_one_segment"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

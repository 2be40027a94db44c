"""The SMS to an owner unit's responsible person when a rectification item passes its deadline (三(三)2)."""
from django.db import migrations

CODE = "rectification_overdue"


def forwards(apps, schema_editor):
    apps.get_model("notify", "SmsTemplate").objects.get_or_create(code=CODE, defaults={
        "name": "整改事项逾期督办",
        "body": "督办：{unit}的整改事项「{title}」已于{deadline}到期仍未整改完成，请抓紧整改并报送整改情况。",
        "params": ["unit", "title", "deadline"],
        "description": "三（三）2：整改事项逾期，短信告知责任单位主要负责人",
    })


def backwards(apps, schema_editor):
    apps.get_model("notify", "SmsTemplate").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0014_i11_full_width_labels"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

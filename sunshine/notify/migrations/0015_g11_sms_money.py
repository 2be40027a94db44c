"""Money in SMS written the way pages and PDFs write it (core.money.yuan): "¥1,200.00", not "1200.00元". The amount
parameters now carry the "¥", so the default texts lose the "元" after {amount}. Only texts as shipped change: a
text an office edited is theirs and stays as it is."""
from django.db import migrations

CHANGES = [
    ("payment_notice", "{item}{amount}元已到账，详见{link}", "{item}{amount}已到账，详见{link}"),
    ("account_transaction",
     "{village}集体账户于{date}{direction}{amount}元，对方：{counterparty}，用途：{purpose}{balance_clause}。"
     "请村级监督员履行监督职责。",
     "{village}集体账户于{date}{direction}{amount}，对方：{counterparty}，用途：{purpose}{balance_clause}。"
     "请村级监督员履行监督职责。"),
    ("funds_returned",
     "案件{case_no}追缴的扶贫资金{amount}元已于{date}退还到您家扶贫明白卡。如有疑问请拨打监督电话{hotline}。",
     "案件{case_no}追缴的扶贫资金{amount}已于{date}退还到您家扶贫明白卡。如有疑问请拨打监督电话{hotline}。"),
]


def _rewrite(apps, *, forward: bool):
    Template = apps.get_model("notify", "SmsTemplate")
    for code, old, new in CHANGES:
        before, after = (old, new) if forward else (new, old)
        Template.objects.filter(code=code, body=before).update(body=after)


def forwards(apps, schema_editor):
    _rewrite(apps, forward=True)


def backwards(apps, schema_editor):
    _rewrite(apps, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0014_i11_full_width_labels"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""The payment SMS in one 70-character segment, with the household's personal link (三(二)3); the village-account
SMS without a balance leaves the balance clause out. Only texts as shipped change: a text staff have edited is
theirs (they gain the new parameters all the same)."""
from django.db import migrations

PAYMENT = "payment_notice"
PAYMENT_OLD = ("您家的{item}{amount}元已于{date}发放到扶贫明白卡({village})。可在{check_url}查询,"
               "如有疑问请拨打监督电话{hotline}。")
# With the link (36 characters in the demo) and an 8-character signature: 70 for the longest demo item.
PAYMENT_NEW = "{item}{amount}元已到账,详见{link}"
PAYMENT_PARAMS_OLD = ["item", "amount", "date", "village", "check_url", "hotline"]
PAYMENT_PARAMS_NEW = ["item", "amount", "date", "village", "link", "check_url", "hotline"]

ACCOUNT = "account_transaction"
ACCOUNT_OLD = ("{village}集体账户于{date}{direction}{amount}元,对方:{counterparty},用途:{purpose},"
               "余额{balance}元。请村级监督员履行监督职责。")
# {balance_clause} is ",余额…元" or nothing (a statement row without a balance).
ACCOUNT_NEW = ("{village}集体账户于{date}{direction}{amount}元,对方:{counterparty},用途:{purpose}"
               "{balance_clause}。请村级监督员履行监督职责。")
ACCOUNT_PARAMS_OLD = ["village", "direction", "amount", "counterparty", "purpose", "balance", "date"]
ACCOUNT_PARAMS_NEW = ["village", "direction", "amount", "counterparty", "purpose", "balance", "balance_clause",
                      "date"]


def _change(apps, code, old_body, new_body, new_params):
    Template = apps.get_model("notify", "SmsTemplate")
    for template in Template.objects.filter(code=code):
        if template.body == old_body:
            template.body = new_body
        template.params = new_params
        template.save(update_fields=["body", "params"])


def _count_segments(apps):
    """Segments of the bodies already written (an outbox has a few hundred; protected ones are ciphertext and keep
    the default)."""
    from sunshine.notify.services.links import sms_segments

    Body = apps.get_model("notify", "SmsBody")
    changed = []
    for body in Body.objects.filter(protected=False).only("id", "text").iterator(chunk_size=2000):
        body.segments = sms_segments(body.text)
        changed.append(body)
    Body.objects.bulk_update(changed, ["segments"], batch_size=500)


def forwards(apps, schema_editor):
    _change(apps, PAYMENT, PAYMENT_OLD, PAYMENT_NEW, PAYMENT_PARAMS_NEW)
    _change(apps, ACCOUNT, ACCOUNT_OLD, ACCOUNT_NEW, ACCOUNT_PARAMS_NEW)
    _count_segments(apps)


def backwards(apps, schema_editor):
    _change(apps, PAYMENT, PAYMENT_NEW, PAYMENT_OLD, PAYMENT_PARAMS_OLD)
    _change(apps, ACCOUNT, ACCOUNT_NEW, ACCOUNT_OLD, ACCOUNT_PARAMS_OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0010_i11a_sms_body_segments"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

"""The six SMS templates the platform ships with; staff edit the texts afterwards."""
from django.db import migrations

# A frozen copy, so this migration means the same thing whatever later edits to defaults.py say.
TEMPLATES = [
    ("payment_notice", "扶贫明白卡资金到账",
     "您家的{item}{amount}元已于{date}发放到扶贫明白卡({village})。可在{check_url}查询,"
     "如有疑问请拨打监督电话{hotline}。",
     ["item", "amount", "date", "village", "check_url", "hotline"],
     "三(二)3:通过扶贫明白卡发放到户的资金,逐笔短信告知受益人"),
    ("account_transaction", "村级账户收支提醒",
     "{village}村集体账户于{date}{direction}{amount}元,对方:{counterparty},用途:{purpose},"
     "余额{balance}元。请村级监督员履行监督职责。",
     ["village", "direction", "amount", "counterparty", "purpose", "balance", "date"],
     "三(二)3:村级银行账户每一笔收支,短信发送给本村村级监督员"),
    ("report_accepted", "举报已受理",
     "您于{date}提交的举报(查询码尾号{receipt_hint})已受理,可凭查询码在{status_url}查看办理进度。"
     "监督电话{hotline}。",
     ["receipt_hint", "date", "hotline", "status_url"], "实名举报人:举报受理告知"),
    ("report_closed", "举报已办结",
     "您的举报(查询码尾号{receipt_hint})已于{date}办结,可凭查询码在{status_url}查看办理结果。"
     "如有异议请拨打{hotline}。",
     ["receipt_hint", "date", "hotline", "status_url"], "实名举报人:举报办结告知"),
    ("funds_returned", "追缴资金退还",
     "案件{case_no}追缴的扶贫资金{amount}元已于{date}退还到您家扶贫明白卡。如有疑问请拨打监督电话{hotline}。",
     ["amount", "date", "case_no", "hotline"], "三(四):追缴的违纪违法资金第一时间退还群众"),
    ("deadline_reminder", "办理期限提醒",
     "提醒:案件{case_no}的{what}办理期限为{deadline},请按时办结。",
     ["case_no", "deadline", "what"], "工作人员:案件办理期限临近提醒"),
]


def load(apps, schema_editor):
    SmsTemplate = apps.get_model("notify", "SmsTemplate")
    for code, name, body, params, description in TEMPLATES:
        SmsTemplate.objects.get_or_create(
            code=code, defaults={"name": name, "body": body, "params": params, "description": description}
        )


def unload(apps, schema_editor):
    apps.get_model("notify", "SmsTemplate").objects.filter(code__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_sms_templates_and_outbox")]
    operations = [migrations.RunPython(load, unload)]

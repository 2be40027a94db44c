"""Data: remove ID numbers, phone and bank card numbers from the field-change history written before they were
excluded (org and funds models' auditlog registrations); the history must not hold personal data."""
from django.db import migrations

PERSONAL_FIELDS = {
    ("org", "person"): ["id_number", "phone"],
    ("org", "household"): ["head_id_number", "phone"],
    ("org", "householdmember"): ["id_number", "phone"],
    ("org", "account"): ["password", "last_login"],
    ("funds", "householdpayment"): ["payee_id_number", "bank_card"],
}


def scrub(apps, schema_editor):
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (app_label, model), fields in PERSONAL_FIELDS.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        for entry in LogEntry.objects.filter(content_type=content_type).only("pk", "changes", "changes_text").iterator(
                chunk_size=2000):
            changes = entry.changes if isinstance(entry.changes, dict) else None
            if not changes or not set(fields) & set(changes):
                continue
            for field in fields:
                changes.pop(field, None)
            LogEntry.objects.filter(pk=entry.pk).update(changes=changes, changes_text="")


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0007_i10a_separated_admin_roles"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(scrub, migrations.RunPython.noop),
    ]

"""Data: remove every client address django-auditlog stored before AUDITLOG_DISABLE_REMOTE_ADDR was set.

An anonymous report was logged with the address it came from; the intake promises that address is never stored.
"""
from django.db import migrations


def forget_addresses(apps, schema_editor):
    LogEntry = apps.get_model("auditlog", "LogEntry")
    LogEntry.objects.exclude(remote_addr=None, remote_port=None).update(remote_addr=None, remote_port=None)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_i10a_audit_append_only"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunPython(forget_addresses, migrations.RunPython.noop),
    ]

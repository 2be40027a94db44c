"""Data: every superuser becomes a system administrator (role "admin") before migration 0007 makes it a rule.

`createsuperuser` used to leave the default role; a superuser with another role would hold two roles (三权分立).
"""
from django.db import migrations


def superusers_to_admin(apps, schema_editor):
    Account = apps.get_model("org", "Account")
    Account.objects.filter(is_superuser=True).exclude(role="admin").update(role="admin")


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0005_i11a_household_link_generation"),
    ]

    operations = [
        migrations.RunPython(superusers_to_admin, migrations.RunPython.noop),
    ]

# The two halves of oversight (i13a: field work; i13b: registers) were built side by side; this joins them.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_i13a_initial"),
        ("oversight", "0001_i13b_initial"),
    ]

    operations = []

"""SMS texts in full-width Chinese punctuation (GB/T 15834): "，" "：" in place of "," ":" (the same number of
characters, so the billed segments do not change). Staff-edited texts are changed the same way: only punctuation
that touches Chinese characters is replaced."""
from django.db import migrations


def forwards(apps, schema_editor):
    from sunshine.core.punctuation import to_fullwidth

    Template = apps.get_model("notify", "SmsTemplate")
    for template in Template.objects.all():
        body = to_fullwidth(template.body)
        if body != template.body:
            template.body = body
            template.save(update_fields=["body"])


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0012_i11a_household_code_template"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""The plan's problem groups and types with the plan's own full-width punctuation (GB/T 15834), for databases loaded
before org/data/reference.py was corrected; the text is otherwise unchanged."""
from django.db import migrations


def forwards(apps, schema_editor):
    from sunshine.core.punctuation import to_fullwidth

    for model, fields in (("ProblemGroup", ("title",)), ("ProblemType", ("text", "short_title"))):
        for row in apps.get_model("org", model).objects.all():
            changed = [f for f in fields if to_fullwidth(getattr(row, f)) != getattr(row, f)]
            for field in changed:
                setattr(row, field, to_fullwidth(getattr(row, field)))
            if changed:
                row.save(update_fields=changed)


class Migration(migrations.Migration):

    dependencies = [("org", "0010_merge_i12_i13a")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

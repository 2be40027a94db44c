"""Reference data from the work plan: the 27 problem types in 6 groups (二) and the 31 member units (三(一)2)."""
from django.db import migrations

from sunshine.org.data.reference import MEMBER_UNITS, PROBLEM_GROUPS

SHORT_TITLE_MAX = 60


def short_title(text: str) -> str:
    first = text.split("。")[0]
    return first if len(first) <= SHORT_TITLE_MAX else first[: SHORT_TITLE_MAX - 1] + "…"


def load(apps, schema_editor):
    ProblemGroup = apps.get_model("org", "ProblemGroup")
    ProblemType = apps.get_model("org", "ProblemType")
    Unit = apps.get_model("org", "Unit")
    for number, title, types in PROBLEM_GROUPS:
        group, _ = ProblemGroup.objects.update_or_create(number=number, defaults={"title": title})
        for type_number, text in types:
            ProblemType.objects.update_or_create(
                number=type_number, defaults={"group": group, "text": text, "short_title": short_title(text)}
            )
    for order, name in enumerate(MEMBER_UNITS, start=1):
        Unit.objects.update_or_create(name=name, defaults={"kind": "member", "member_order": order})


def unload(apps, schema_editor):
    apps.get_model("org", "ProblemType").objects.all().delete()
    apps.get_model("org", "ProblemGroup").objects.all().delete()
    apps.get_model("org", "Unit").objects.filter(member_order__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

"""Transfers recorded before transfer kinds existed get theirs from the rule that made them."""
from django.db import migrations

# Rule names of cases.routing.RULES at the time of this migration: intake routing (分办).
ROUTING_RULES = ["discipline_supervisor", "discipline_commission", "discipline_office", "member_unit", "township",
                 "governance_office"]


def forwards(apps, schema_editor):
    CaseTransfer = apps.get_model("cases", "CaseTransfer")
    CaseTransfer.objects.filter(rule="escalate").update(kind="escalate")
    CaseTransfer.objects.filter(rule="dual").update(kind="dual")
    first = _first_per_case(CaseTransfer)
    # The first row of a case is its routing at intake (分办); a later one by a routing rule came from a
    # 涉嫌违纪 mark (移送).
    CaseTransfer.objects.filter(rule__in=ROUTING_RULES, pk__in=first).update(kind="routed")
    CaseTransfer.objects.filter(rule__in=ROUTING_RULES).exclude(pk__in=first).update(kind="referral")
    # Manual moves were either the 转办 step or a 移送 by procedure; the old rows do not say which: 移送.
    CaseTransfer.objects.filter(rule="manual").update(kind="referral")


def _first_per_case(CaseTransfer):
    from django.db.models import Min

    return [row["first"] for row in CaseTransfer.objects.values("case_id").annotate(first=Min("id"))]


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_i12b_case_desk")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

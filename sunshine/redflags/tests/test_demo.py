"""The demo city's first data comparison finds the planted problems, and each becomes a clue on the desk."""
import datetime as dt
import io

import pytest
from django.core.management import call_command

from sunshine.cases.choices import Channel
from sunshine.cases.models import Report
from sunshine.redflags.models import Hit, RegistryBatch

pytestmark = pytest.mark.django_db


def test_the_demo_plants_problems_and_its_first_run_finds_each_of_them():
    out = io.StringIO()
    call_command("seed_demo", stdout=out, households=300, townships=3, villages=12, today=dt.date(2026, 11, 25),
                 apps="org,funds,cases,redflags")

    found = set(Hit.objects.values_list("rule_code", flat=True))
    assert {"R01", "R02", "R08", "R11", "R16"} <= found  # relative, dead, duplicate, idle, split
    assert Report.objects.filter(channel=Channel.REDFLAG).count() == Hit.objects.count()
    assert not Report.objects.filter(channel=Channel.REDFLAG, text__startswith="大数据比对：").exists()
    assert RegistryBatch.objects.filter(kind="deaths", source__contains="民政").exists()
    dead = Hit.objects.get(rule_code="R02")
    assert "死亡（火化）后仍在领取" in dead.report.text and dead.report.cases.exists()
    # the command's log line (plain ", " between the names: a log, not prose)
    assert "redflags: planted " + ", ".join(["死亡后仍领取", "村干部亲属", "重复发放", "拆分支付", "资金闲置"]) in out.getvalue()

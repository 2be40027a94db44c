"""The demo seed builds reports on every channel and cases at every stage, quickly and repeatably."""
import datetime as dt
import random
import time

import pytest
from faker import Faker

from sunshine.cases import demo
from sunshine.cases.choices import CaseStatus, Channel
from sunshine.cases.models import Case, Exposure, ReporterIdentity
from sunshine.core.demo import DemoContext
from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db


def _ctx(city):
    faker = Faker("zh_CN")
    faker.seed_instance(1)
    accounts = {"office": city.accounts["office"], "discipline": city.accounts["discipline"],
                "township": city.accounts["township1"], "village": city.accounts["village1"],
                "department": city.accounts["department"], "leader": city.accounts["leader"]}
    return DemoContext(rng=random.Random(7), faker=faker, today=dt.date(2026, 11, 20), households=8, scale=1.0,
                       write=lambda *a: None, accounts=accounts)


def test_the_demo_seeds_every_channel_and_every_stage(city):
    for v in city.villages:
        make_household(v)
        make_household(v)
    started = time.monotonic()
    demo.seed(_ctx(city))
    assert time.monotonic() - started < 60
    # 大数据比对 reports are the redflags demo step's (its rules raise them; redflags/tests/test_demo.py checks them)
    assert set(Case.objects.values_list("report__channel", flat=True)) == set(Channel.values) - {Channel.REDFLAG}
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Case.objects.filter(deadlines__met_at__isnull=True, deadlines__due_on__lt=dt.date(2026, 11, 20)).exists()
    assert ReporterIdentity.objects.exists() and Exposure.objects.exists()


def test_seeding_twice_adds_nothing(city):
    demo.seed(_ctx(city))
    count = Case.objects.count()
    demo.seed(_ctx(city))
    assert Case.objects.count() == count

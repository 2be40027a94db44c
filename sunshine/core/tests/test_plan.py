from decimal import Decimal

import pytest

from sunshine.core.audit import AuditEvent
from sunshine.core.errors import ApplicationError
from sunshine.core.models import AuditRecord
from sunshine.core.plan import plan_int, plan_param, plan_value, plan_value_set, plan_values

pytestmark = pytest.mark.django_db

QUOTA = plan_param("core.test.quota", 4, clause="三（二）1", label="测试配额")


def test_the_plan_default_holds_until_the_office_sets_a_year(city):
    office = city.accounts["township1"]
    assert plan_int(QUOTA, year=2026) == 4
    plan_value_set(actor=office, year=2027, param=QUOTA, value="6")
    assert plan_int(QUOTA, year=2027) == 6
    assert plan_int(QUOTA, year=2026) == 4  # another year keeps the plan's value
    assert plan_values(year=2027)["core.test.quota"] == Decimal(6)
    record = AuditRecord.objects.filter(event=AuditEvent.CONFIG_CHANGE, object_type="core.planvalue").get()
    assert record.detail == {"year": 2027, "key": "core.test.quota", "from": "4", "to": "6"}


@pytest.mark.parametrize("bad", ["", "abc", "-1", "NaN"])
def test_a_value_that_is_not_a_number_or_below_the_minimum_is_refused(city, bad):
    with pytest.raises(ApplicationError):
        plan_value_set(actor=city.accounts["township1"], year=2027, param=QUOTA, value=bad)
    assert plan_value(QUOTA, year=2027) == Decimal(4)


def test_an_unknown_parameter_is_a_clear_error(db):
    with pytest.raises(ApplicationError) as raised:
        plan_value("core.test.nothing")
    assert "core.test.nothing" in str(raised.value)

"""The field-change history (django-auditlog) never holds ID numbers, phone or bank card numbers."""
from __future__ import annotations

import datetime as dt
import importlib
import json
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from sunshine.funds.services.records import payment_create
from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db
CARD = "6217000011112222333"


def _history() -> str:
    return json.dumps(list(LogEntry.objects.values("changes", "changes_text", "object_repr")), ensure_ascii=False)


def test_creating_and_changing_households_and_payments_leaves_no_personal_numbers_in_the_history(city):
    household = make_household(city.villages[0], phone="13700001111")
    household.phone = "13900002222"
    household.poverty_status = "exited"
    household.save()
    payment_create(actor=city.accounts["township1"], household=household, fund_item="产业奖补",
                   amount=Decimal("1500"), paid_on=dt.date(2026, 4, 3), bank_card=CARD)
    history = _history()
    assert LogEntry.objects.get_for_object(household).count() >= 2  # the history is still kept …
    for personal in (household.head_id_number, "13700001111", "13900002222", CARD):
        assert personal not in history  # … without the numbers


def test_the_data_migration_scrubs_history_written_before(city):
    from django.apps import apps

    household = make_household(city.villages[0])
    entry = LogEntry.objects.get_for_object(household).first()
    LogEntry.objects.filter(pk=entry.pk).update(changes={"phone": ["None", "13800138000"],
                                                         "head_id_number": ["None", household.head_id_number],
                                                         "head_name": ["None", "张三"]})
    migration = importlib.import_module("sunshine.org.migrations.0008_i10a_history_without_personal_data")
    migration.scrub(apps, None)
    entry.refresh_from_db()
    assert entry.changes == {"head_name": ["None", "张三"]}

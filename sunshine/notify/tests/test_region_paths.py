"""Outbox rows keep the path of the region they concern; when org recodes or moves that region (region_update),
notify rewrites its own rows through org's region_path_changed signal, so the staff outbox stays scoped."""
import pytest

from sunshine.notify.models import SmsMessage
from sunshine.notify.services import sms_queue
from sunshine.notify.tests.conftest import PAYMENT_PARAMS
from sunshine.org import services

pytestmark = pytest.mark.django_db


def test_sms_rows_follow_their_region_to_its_new_path(city):
    village, other = city.villages[0], city.villages[2]
    moved = sms_queue(phone="13800138001", template="payment_notice", params=PAYMENT_PARAMS,
                      idempotency_key="path:1", region_path=village.path)
    untouched = sms_queue(phone="13800138002", template="payment_notice", params=PAYMENT_PARAMS,
                          idempotency_key="path:2", region_path=other.path)

    services.region_update(actor=city.accounts["admin"], region=city.townships[0], code="430381199000")

    assert SmsMessage.objects.get(pk=moved.pk).region_path == "430381000000/430381199000/430381101201/"
    assert SmsMessage.objects.get(pk=untouched.pk).region_path == "430381000000/430381102000/430381102201/"

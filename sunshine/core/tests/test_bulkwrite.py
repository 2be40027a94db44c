"""core.bulkwrite: rows in bulk with their new ids, on both databases."""
from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from sunshine.core.bulkwrite import BulkWriter
from sunshine.notify.models import SmsTemplate

pytestmark = pytest.mark.django_db

COLUMNS = ("code", "name", "body", "params", "description", "created_at", "updated_at")


def _rows(codes, now):
    return [(c, f"模板{c}", "内容{x}", '["x"]', "", now, now) for c in codes]


def test_rows_come_back_with_the_ids_they_were_given():
    from django.utils import timezone

    writer = BulkWriter(SmsTemplate, COLUMNS)
    seen = []
    ids = writer.write(_rows(["t1", "t2", "t3"], timezone.now()), meanwhile=seen.append)
    more = writer.write(_rows(["t4"], timezone.now()))

    assert seen == [ids] and len(set(ids + more)) == 4
    assert dict(SmsTemplate.objects.filter(code__in=["t1", "t2", "t3", "t4"]).values_list("id", "code")) == {
        ids[0]: "t1", ids[1]: "t2", ids[2]: "t3", more[0]: "t4"}


def test_a_unique_violation_is_an_integrity_error_and_undoes_the_chunk():
    from django.utils import timezone

    SmsTemplate.objects.create(code="dup", name="x", body="y")
    with pytest.raises(IntegrityError), transaction.atomic():
        BulkWriter(SmsTemplate, COLUMNS).write(_rows(["new1", "dup"], timezone.now()))
    assert not SmsTemplate.objects.filter(code="new1").exists()


def test_work_done_meanwhile_may_not_query_the_database():
    from django.utils import timezone

    def query(ids):
        SmsTemplate.objects.count()

    with pytest.raises(RuntimeError, match="must not query"), transaction.atomic():
        BulkWriter(SmsTemplate, COLUMNS).write(_rows(["q1"], timezone.now()), meanwhile=query)

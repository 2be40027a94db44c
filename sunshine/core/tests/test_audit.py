import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sunshine.core.audit import (
    AuditEvent,
    AuditResult,
    audit_prune,
    audit_record,
    audit_verify,
    current_request_id,
)
from sunshine.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_record_holds_time_actor_role_event_object_result_and_links_to_the_one_before(city):
    officer = city.accounts["township1"]
    first = audit_record(event=AuditEvent.EXPORT, actor=officer, obj=city.townships[0], detail={"rows": 12})
    second = audit_record(event=AuditEvent.LOGIN_FAILED, actor=None, result=AuditResult.FAILURE)
    first.refresh_from_db()
    assert first.at.utcoffset() == dt.timedelta(0)
    assert (first.actor_id, first.actor_name, first.role) == (officer.pk, officer.username, officer.role)
    assert (first.event, first.object_type, first.object_id, first.result) == (
        "export", "org.region", str(city.townships[0].pk), "success")
    assert second.prev_hash == first.hash and second.actor_id is None
    assert audit_verify().ok and audit_verify().checked == 2


@pytest.mark.parametrize("detail", [
    {"password": "x"}, {"otp_code": "123456"}, {"receipt": "ABCD"}, {"phone": "1"}, {"head_id_number": "1"},
    {"note": "430381199001011234"}, {"note": "13812345678"}, {"note": "6222020200112233445"},
    {"note": "10.1.2.3"}, {"nested": {"a": 1}},
])
def test_a_record_refuses_secrets_and_personal_data(detail):
    with pytest.raises(ValueError):
        audit_record(event=AuditEvent.EXPORT, actor=None, detail=detail)
    assert not AuditRecord.objects.exists()


def test_every_request_gets_an_id_that_its_audit_record_carries(client, city):
    response = client.get("/desk/login/")
    assert len(response["X-Request-ID"]) >= 8
    assert current_request_id() == ""  # reset once the request is over
    echoed = client.get("/desk/login/", HTTP_X_REQUEST_ID="nginx-req-0123456789")
    assert echoed["X-Request-ID"] == "nginx-req-0123456789"
    assert client.get("/desk/login/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_records_cannot_be_changed_or_deleted_through_the_orm():
    record = audit_record(event=AuditEvent.CONFIG_CHANGE, actor=None, detail={"setting": "x"})
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()
    with pytest.raises(ValueError):
        AuditRecord.objects.update(result="failure")
    with pytest.raises(ValueError):
        AuditRecord.objects.all().delete()


def test_the_verifier_finds_a_changed_and_a_removed_record(db):
    for n in range(4):
        audit_record(event=AuditEvent.EXPORT, actor=None, detail={"rows": n})
    ids = list(AuditRecord.objects.values_list("id", flat=True))
    call_command("audit_verify")
    if connection.vendor == "sqlite":  # the PostgreSQL trigger refuses both (tested below)
        _raw("DROP TRIGGER core_auditrecord_append_only")
        _raw("UPDATE core_auditrecord SET result = 'failure' WHERE id = %s", [ids[1]])
        result = audit_verify()
        assert not result.ok and result.first_bad_id == ids[1]
        with pytest.raises(CommandError, match="BROKEN"):
            call_command("audit_verify")
        _raw("DELETE FROM core_auditrecord WHERE id = %s", [ids[1]])
        result = audit_verify()
        assert not result.ok and result.first_bad_id == ids[2]


def test_retention_removes_only_records_past_180_days_and_the_rest_still_verifies(settings):
    settings.AUDIT_RETENTION_DAYS = 30  # below the legal minimum: 180 applies
    old = audit_record(event=AuditEvent.EXPORT, actor=None)
    young = audit_record(event=AuditEvent.EXPORT, actor=None)
    assert audit_prune(now=timezone.now() + dt.timedelta(days=100)) == 0
    if connection.vendor == "postgresql":
        # The trigger decides by the stored time; pruning 200 days ahead of the clock is refused for young rows.
        with pytest.raises(DatabaseError), transaction.atomic():
            audit_prune(now=timezone.now() + dt.timedelta(days=200))
        assert AuditRecord.objects.filter(pk__in=[old.pk, young.pk]).count() == 2
    else:
        assert audit_prune(now=timezone.now() + dt.timedelta(days=200)) == 2
        remaining = list(AuditRecord.objects.all())
        assert [r.event for r in remaining] == ["audit_pruned"]
        assert audit_verify().ok


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_update_and_delete_of_audit_records_whoever_connects():
    record = audit_record(event=AuditEvent.ROLE_CHANGE, actor=None)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE core_auditrecord SET result = 'failure' WHERE id = %s", [record.pk])
    with pytest.raises(DatabaseError, match="younger than 180 days"), transaction.atomic():
        _raw("DELETE FROM core_auditrecord WHERE id = %s", [record.pk])
    assert AuditRecord.objects.filter(pk=record.pk, result="success").exists()

"""Bulk queueing for imports: one write per chunk, duplicate keys skipped, bad numbers recorded, one dispatch."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from sunshine.core.errors import ApplicationError
from sunshine.notify.choices import SmsStatus
from sunshine.notify.models import SmsBody, SmsMessage
from sunshine.notify.services import SmsDraft, sms_queue, sms_queue_many

from .conftest import PAYMENT_PARAMS

pytestmark = pytest.mark.django_db


def drafts(keys, phone="13800138000"):
    return [SmsDraft(phone=phone, template="payment_notice", params=PAYMENT_PARAMS, idempotency_key=k,
                     purpose="payment", related_type="funds.payment", related_id=n,
                     region_path="430381000000/430381101000/")
            for n, k in enumerate(keys)]


def test_queue_many_writes_every_new_key_once_and_skips_keys_already_queued():
    sms_queue(phone="13800138000", template="payment_notice", params=PAYMENT_PARAMS, idempotency_key="pay:0")
    written = sms_queue_many(drafts(["pay:0", "pay:1", "pay:2", "pay:2", "pay:3"]))
    assert written == 3
    assert sorted(SmsMessage.objects.values_list("idempotency_key", flat=True)) == ["pay:0", "pay:1", "pay:2",
                                                                                     "pay:3"]
    again = sms_queue_many(drafts(["pay:1", "pay:3"]))
    assert again == 0


def test_queue_many_stores_rendered_text_params_scope_and_times():
    sms_queue_many(drafts(["pay:10"]))
    message = SmsMessage.objects.get(idempotency_key="pay:10")
    assert message.status == SmsStatus.QUEUED
    assert "产业发展补助¥1,200.00已到账" in message.text
    assert message.params[0] == ["item", "产业发展补助"]
    assert message.region_path == "430381000000/430381101000/"
    assert message.related_type == "funds.payment" and message.related_id == 0
    assert message.created_at is not None and message.next_attempt_at == message.created_at


def test_messages_saying_the_same_thing_share_one_body_and_each_other_text_gets_its_own():
    other = {**PAYMENT_PARAMS, "amount": "¥800.00"}
    sms_queue(phone="13800138000", template="payment_notice", params=PAYMENT_PARAMS, idempotency_key="pay:b0")
    sms_queue_many(drafts(["pay:b1", "pay:b2", "pay:b3"]) +
                   [SmsDraft(phone="13800138000", template="payment_notice", params=other, idempotency_key="pay:b4")])
    messages = {m.idempotency_key: m for m in SmsMessage.objects.select_related("body")}
    assert len({messages[k].body_id for k in ("pay:b0", "pay:b1", "pay:b2", "pay:b3")}) == 1
    assert messages["pay:b4"].body_id != messages["pay:b0"].body_id and "¥800.00已到账" in messages["pay:b4"].text
    assert SmsBody.objects.count() == 2


def test_queue_many_records_bad_numbers_as_failed_and_keeps_going():
    written = sms_queue_many(drafts(["pay:20"], phone="12345") + drafts(["pay:21"]))
    assert written == 2
    bad = SmsMessage.objects.get(idempotency_key="pay:20")
    assert bad.status == SmsStatus.FAILED and "号码无效" in bad.last_error
    assert SmsMessage.objects.get(idempotency_key="pay:21").status == SmsStatus.QUEUED


def test_queue_many_in_a_rolled_back_transaction_leaves_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            sms_queue_many(drafts([f"pay:3{n}" for n in range(10)]))
            raise RuntimeError("import rejected")
    assert callbacks == [] and not SmsMessage.objects.exists()


def test_queue_many_sends_everything_with_one_dispatch_after_commit(console_sent, caplog,
                                                                   django_capture_on_commit_callbacks):
    caplog.set_level("INFO", logger="sunshine.notify.tasks")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            sms_queue_many(drafts([f"pay:4{n:02d}" for n in range(30)]))
    assert SmsMessage.objects.filter(status=SmsStatus.SENT).count() == 30
    assert len(console_sent()) == 30
    assert len([r for r in caplog.records if r.name == "sunshine.notify.tasks"]) == 1


def test_queue_many_names_the_draft_whose_parameters_are_missing():
    bad = SmsDraft(phone="13800138000", template="payment_notice", params={"item": "x"}, idempotency_key="pay:50")
    with pytest.raises(ApplicationError) as caught:
        sms_queue_many(drafts(["pay:51"]) + [bad])
    assert "pay:50" in caught.value.message and caught.value.code == "sms_params_missing"


def test_queue_many_renders_each_draft_with_the_parameters_it_had_when_queued():
    def refilled():
        params = dict(PAYMENT_PARAMS)
        for n, amount in enumerate(["¥100.00", "¥200.00"]):
            params["amount"] = amount  # one dict, refilled between drafts
            yield SmsDraft(phone="13800138000", template="payment_notice", params=params,
                           idempotency_key=f"pay:7{n}")

    sms_queue_many(refilled())
    first, second = (SmsMessage.objects.get(idempotency_key=k) for k in ("pay:70", "pay:71"))
    assert "¥100.00已到账" in first.text and "¥200.00已到账" in second.text
    assert ["amount", "¥200.00"] in second.params


def test_queue_many_stores_a_full_width_number_normalised():
    sms_queue_many(drafts(["pay:80"], phone="１３８００１３８０００"))
    assert SmsMessage.objects.get(idempotency_key="pay:80").phone == "13800138000"


@pytest.mark.django_db(transaction=True)
def test_queue_many_skips_a_key_another_import_commits_while_it_writes():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite serialises writers itself")
    queued = threading.Event()

    def other_import():
        try:
            with transaction.atomic():
                sms_queue(phone="13800138000", template="payment_notice", params=PAYMENT_PARAMS,
                          idempotency_key="pay:90")
                queued.set()
                # Still uncommitted while the bulk write below checks its keys (and finds none) and starts writing.
                threading.Event().wait(1.0)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_import)
    thread.start()
    assert queued.wait(10)
    with transaction.atomic():
        written = sms_queue_many(drafts(["pay:90", "pay:91"]))
    thread.join()
    assert written == 1
    assert sorted(SmsMessage.objects.values_list("idempotency_key", flat=True)) == ["pay:90", "pay:91"]


def _prepared(writer, keys):
    writer.use_template("payment_notice")
    return writer.prepare_many(template="payment_notice", purpose="payment", related_type="funds.payment",
                               items=[(k, "13800138000", PAYMENT_PARAMS, None, "") for k in keys])


def test_work_handed_to_a_bulk_write_runs_once_whether_its_keys_are_new_or_not():
    # New keys go by COPY on PostgreSQL (the work runs during it); a key already there sends the chunk the staged
    # way (the work runs after it); SQLite runs it after the insert. Once each time, and nothing is lost.
    from sunshine.notify.services.outbox import SmsBulkWriter

    calls = []
    writer = SmsBulkWriter()
    with transaction.atomic():
        writer.write_prepared(_prepared(writer, ["w:1", "w:2"]), meanwhile=lambda: calls.append("new"))
        writer.write_prepared(_prepared(writer, ["w:2", "w:3"]), meanwhile=lambda: calls.append("one known"))
    assert calls == ["new", "one known"]
    assert sorted(SmsMessage.objects.values_list("idempotency_key", flat=True)) == ["w:1", "w:2", "w:3"]


def test_work_handed_to_a_bulk_write_may_not_use_the_database():
    # During a COPY a query would wait for the connection for ever: it raises instead, on both databases alike.
    from sunshine.notify.services.outbox import SmsBulkWriter

    writer = SmsBulkWriter()
    with pytest.raises(RuntimeError, match="must not query"), transaction.atomic():
        writer.write_prepared(_prepared(writer, ["q:1"]), meanwhile=lambda: SmsMessage.objects.count())
    assert not SmsMessage.objects.exists()

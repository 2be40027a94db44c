"""Notices, corrections and the tamper-evident ledger (三(二)3)."""
from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from sunshine.core.errors import ApplicationError
from sunshine.funds import selectors
from sunshine.funds.canonical import format_code
from sunshine.funds.models import HouseholdPayment, LedgerEntry, LedgerHead, Notice
from sunshine.funds.pdf import notice_pdf
from sunshine.funds.services.notices import notice_create, notice_publish
from sunshine.funds.services.records import payment_create, record_correct, record_update_draft
from sunshine.funds.verification import ledger_verify
from sunshine.notify.models import SmsMessage

from .factories import households, today

pytestmark = pytest.mark.django_db


def _payments(city, actor, count=3, village_index=0):
    return [payment_create(actor=actor, household=h, fund_item="光伏收益分红", amount=Decimal("800.00"),
                           paid_on=dt.date(2026, 6, 1), bank_card=f"62170000000000{h.pk:05d}")
            for h in households(city, count, village_index)]


def _published_notice(city, count=3):
    actor = city.accounts["township1"]
    payments = _payments(city, actor, count)
    notice = notice_create(actor=actor, kind="payment", scope_region=city.villages[0],
                           record_ids=[p.pk for p in payments], starts_on=today(), period_days=10)
    return notice_publish(actor=actor, notice=notice), payments


def test_hand_entered_payment_queues_the_households_sms_in_the_same_transaction(city):
    [payment] = _payments(city, city.accounts["township1"], 1)

    message = SmsMessage.objects.get(related_type="funds.payment", related_id=payment.pk)
    assert message.phone == payment.household.phone and "光伏收益分红¥800.00已到账" in message.text


def test_a_notice_period_shorter_than_ten_days_is_refused(city):
    actor = city.accounts["township1"]
    payments = _payments(city, actor, 1)

    with pytest.raises(ApplicationError) as exc:
        notice_create(actor=actor, kind="payment", scope_region=city.villages[0], record_ids=[payments[0].pk],
                      starts_on=today(), period_days=9)

    assert exc.value.code == "notice_period_too_short" and "10天" in exc.value.message
    assert Notice.objects.count() == 0


def test_the_database_refuses_a_notice_period_shorter_than_ten_days(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(kind="payment", title="x", scope_region=city.villages[0], starts_on=today(),
                              period_days=5, issuer="x")


def test_publishing_appends_a_chained_ledger_entry_with_a_short_code(city):
    first, _ = _published_notice(city, 2)
    actor = city.accounts["township1"]
    more = _payments(city, actor, 1, village_index=1)
    second = notice_publish(actor=actor, notice=notice_create(
        actor=actor, kind="payment", scope_region=city.villages[1], record_ids=[more[0].pk], starts_on=today()))

    e1, e2 = LedgerEntry.objects.order_by("seq")
    assert (e1.seq, e2.seq) == (1, 2) and e1.prev_hash == "0" * 64 and e2.prev_hash == e1.entry_hash
    assert first.code == e1.code and len(first.code) == 10 and second.code == e2.code
    head = LedgerHead.objects.get()
    assert (head.seq, head.head_hash) == (2, e2.entry_hash)
    assert selectors.ledger_entry_for_code(format_code(first.code).lower()) == e1
    assert HouseholdPayment.objects.filter(published_at__isnull=False).count() == 3
    assert ledger_verify().ok


def test_a_published_record_cannot_be_edited_in_place(city):
    notice, payments = _published_notice(city, 1)
    with pytest.raises(ApplicationError):
        record_update_draft(actor=city.accounts["township1"], record=payments[0], changes={"amount": "1"})


def test_a_correction_is_a_new_version_and_both_versions_stay_visible(city):
    notice, payments = _published_notice(city, 2)
    actor = city.accounts["township1"]

    new = record_correct(actor=actor, record=payments[0], reason="金额录入错误，应为850元",
                         changes={"amount": Decimal("850.00")})

    old = HouseholdPayment.objects.get(pk=payments[0].pk)
    assert (old.is_current, new.is_current, new.version, new.supersedes_id) == (False, True, 2, old.pk)
    assert old.amount == Decimal("800.00") and new.amount == Decimal("850.00") and new.lineage == old.lineage
    assert [p.version for p in selectors.record_versions(record=new)] == [1, 2]
    rows = selectors.notice_rows(notice=notice)
    assert rows[0].record.pk == old.pk and rows[0].correction.pk == new.pk and "850" in rows[0].reason
    correction = LedgerEntry.objects.get(kind="correct")
    assert correction.notice_id == notice.pk and new.published_at is not None
    # The household hears of the corrected amount too, once.
    assert SmsMessage.objects.filter(related_type="funds.payment", related_id=new.pk).count() == 1
    assert ledger_verify().ok


def test_the_database_keeps_one_current_version_per_record(city):
    notice, payments = _published_notice(city, 1)
    new = record_correct(actor=city.accounts["township1"], record=payments[0], reason="卡号错误",
                         changes={"bank_card": "6217000000000099999"})

    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdPayment.objects.filter(pk=payments[0].pk).update(is_current=True)
    assert HouseholdPayment.objects.filter(lineage=new.lineage, is_current=True).count() == 1


def test_only_the_current_version_can_be_corrected(city):
    notice, payments = _published_notice(city, 1)
    actor = city.accounts["township1"]
    record_correct(actor=actor, record=payments[0], reason="错误", changes={"period": "2026年第2季度"})

    with pytest.raises(ApplicationError) as exc:
        record_correct(actor=actor, record=payments[0], reason="再改", changes={"period": "2026年7月"})
    assert exc.value.code == "not_current"


def test_verify_ledger_names_a_record_changed_by_sql(city):
    notice, payments = _published_notice(city, 3)
    table = HouseholdPayment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET amount = 8000 WHERE id = %s", [payments[1].pk])

    report = ledger_verify()

    assert not report.ok
    assert report.first_problem.record_id == payments[1].pk and report.first_problem.kind == "record"
    with pytest.raises(CommandError) as exc:
        call_command("verify_ledger")
    assert f"#{payments[1].pk}" in str(exc.value) and notice.code in str(exc.value)
    result = selectors.notice_verify(notice.code)
    assert not result.ok and [m.record_id for m in result.mismatches] == [payments[1].pk]


def test_verify_ledger_catches_a_rewritten_ledger_entry(city):
    notice, _ = _published_notice(city, 1)
    LedgerEntry.objects.filter(seq=1).update(payload='{"kind":"publish","items":[]}')

    report = ledger_verify()

    assert not report.ok and report.first_problem.kind == "chain" and report.first_problem.seq == 1


def test_verify_ledger_catches_a_changed_notice_title(city):
    notice, _ = _published_notice(city, 1)
    Notice.objects.filter(pk=notice.pk).update(title="改过的标题")

    assert ledger_verify().first_problem.kind == "notice"


def test_notice_verify_of_an_untouched_notice_is_ok(city):
    notice, _ = _published_notice(city, 2)

    result = selectors.notice_verify(notice.code)

    assert result.ok and result.records_checked == 2 and result.notice == notice
    assert not selectors.notice_verify("ZZZZZZZZZZ").ok


def test_a_village_officer_cannot_publish(city):
    actor = city.accounts["township1"]
    payments = _payments(city, actor, 1)
    with pytest.raises(ApplicationError) as exc:
        notice_create(actor=city.accounts["village1"], kind="payment", scope_region=city.villages[0],
                      record_ids=[payments[0].pk], starts_on=today())
    assert exc.value.status == 403


def test_another_townships_village_is_out_of_reach_for_a_notice(city):
    actor = city.accounts["township2"]
    payments = _payments(city, city.accounts["township1"], 1)
    with pytest.raises(ApplicationError) as exc:
        notice_create(actor=actor, kind="payment", scope_region=city.villages[0], record_ids=[payments[0].pk],
                      starts_on=today())
    assert exc.value.status == 404


def test_the_pdf_notice_shows_title_amounts_and_code_and_masks_id_numbers(city, tmp_path):
    notice, payments = _published_notice(city, 2)
    record_correct(actor=city.accounts["township1"], record=payments[1], reason="金额有误",
                   changes={"amount": Decimal("900.00")})

    pdf = notice_pdf(notice)
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout

    assert pdf.startswith(b"%PDF")
    assert notice.title in text.replace(" ", "") or notice.title[:10] in text
    assert "800.00" in text and "900.00" in text and "金额有误" in text
    assert format_code(notice.code) in text
    for p in payments:
        assert p.payee_id_number not in text and p.bank_card not in text
        assert p.payee_id_number[:6] in text and p.payee_id_number[-4:] in text


def test_the_same_payment_entered_twice_by_hand_is_refused_with_a_reason_and_texts_once(city):
    actor = city.accounts["township1"]
    (payment,) = _payments(city, actor, 1)

    with pytest.raises(ApplicationError) as refused:
        payment_create(actor=actor, household=payment.household, fund_item="光伏收益分红", amount=Decimal("800.00"),
                       paid_on=dt.date(2026, 6, 1), bank_card=payment.bank_card)

    assert refused.value.code == "duplicate" and "已登记" in refused.value.message
    assert HouseholdPayment.objects.filter(household=payment.household).count() == 1
    assert SmsMessage.objects.filter(idempotency_key=f"funds.payment:{payment.pk}").count() == 1

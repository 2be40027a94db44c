"""Importing 扶贫明白卡 payment lists: all-or-nothing, idempotent, one SMS per payment."""
from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from sunshine.core.errors import ApplicationError
from sunshine.core.models import ImportJob
from sunshine.funds.importers import PaymentImporter, run_import
from sunshine.funds.importers.command import scope_for_unit
from sunshine.funds.models import HouseholdPayment
from sunshine.notify.models import SmsBody, SmsMessage
from sunshine.notify.services.outbox import SmsBulkWriter

from .factories import PAYMENT_HEADER, csv_bytes, households, payment_rows, write, xlsx_bytes

pytestmark = pytest.mark.django_db


def _import(path, *, scope=None, dry_run=False, unit=None):
    return run_import(PaymentImporter(scope=scope, unit=unit), source=path, filename=path.name, dry_run=dry_run)


def test_payment_import_writes_every_payment_and_one_sms_per_payment(city, tmp_path):
    hhs = households(city, 3)
    path = write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs)))

    result = _import(path)

    assert result.ok, result.errors
    assert (result.created, result.unchanged, result.total_rows) == (3, 0, 3)
    payments = HouseholdPayment.objects.order_by("id")
    assert [p.household_id for p in payments] == [h.pk for h in hhs]
    first = payments[0]
    assert (first.fund_item, str(first.amount), first.paid_on.isoformat()) == ("产业奖补", "1200.00", "2026-05-01")
    assert first.bank_card == f"6217{hhs[0].pk:015d}" and first.village_id == city.villages[0].pk
    messages = SmsMessage.objects.filter(template_code="payment_notice").order_by("related_id")
    assert [m.related_id for m in messages] == [p.pk for p in payments]
    assert messages[0].phone == hhs[0].phone
    # One billed segment; the household's personal link is put in at sending (the outbox keeps a stand-in).
    assert messages[0].text == "产业奖补¥1,200.00已到账，详见〔个人链接〕" and messages[0].segments == 1


def test_importing_the_same_file_twice_changes_nothing_and_sends_no_second_sms(city, tmp_path):
    hhs = households(city, 3)
    path = write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs)))
    _import(path)
    ids = list(HouseholdPayment.objects.values_list("id", flat=True))

    again = _import(path)

    assert again.ok and (again.created, again.unchanged) == (0, 3)
    assert list(HouseholdPayment.objects.values_list("id", flat=True)) == ids
    assert SmsMessage.objects.filter(template_code="payment_notice").count() == 3
    assert again.sms_queued == 0


def test_a_payment_entered_by_hand_and_then_found_in_a_bank_list_is_one_payment_and_one_sms(city, tmp_path):
    import datetime as dt

    from sunshine.funds.services.records import payment_create

    hhs = households(city, 2)
    by_hand = payment_create(actor=city.accounts["township1"], household=hhs[0], fund_item="产业奖补",
                             amount="1200.00", paid_on=dt.date(2026, 5, 1), bank_card=f"6217{hhs[0].pk:015d}",
                             period="2026年第2季度")
    path = write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs)))

    result = _import(path)

    assert result.ok and (result.created, result.unchanged) == (1, 1)  # the hand-entered one was known
    assert HouseholdPayment.objects.filter(household=hhs[0]).get().pk == by_hand.pk
    assert SmsMessage.objects.filter(template_code="payment_notice").count() == 2


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row_with_its_reason(city, tmp_path):
    hhs = households(city, 4)
    rows = payment_rows(hhs)
    rows[1][2] = "430381196001011234"  # checksum wrong
    rows[2][4] = "一千二"
    rows[3][5] = "2026-02-30"
    rows.append(list(rows[0]))  # the same payment listed twice
    rows.append(["6", "无名", "11010519491231002X", "产业奖补", "100", "2026-05-01", "6217000000000000001", ""])
    path = write(tmp_path, "bad.csv", csv_bytes(PAYMENT_HEADER, rows))

    result = _import(path)

    assert not result.ok
    by_row = {(e["row"], e["column"]): e["reason"] for e in result.errors}
    assert "校验位" in by_row[(3, "身份证号")]
    assert "不是数字" in by_row[(4, "发放金额（元）")]
    assert "不存在" in by_row[(5, "发放日期")]
    assert "不是建档立卡户成员" in by_row[(7, "身份证号")]
    assert HouseholdPayment.objects.count() == 0 and SmsMessage.objects.count() == 0


@pytest.mark.parametrize("chunk", [2, 20_000])
def test_the_same_payment_twice_in_one_file_is_reported_with_the_first_row(city, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr("sunshine.funds.importers.base.DIRECT_CHUNK", chunk)  # the repeat in a later chunk, or not
    hhs = households(city, 2)
    rows = payment_rows(hhs)
    rows.append(list(rows[0]))
    path = write(tmp_path, "dup.csv", csv_bytes(PAYMENT_HEADER, rows))

    result = _import(path)

    assert result.errors == [{"row": 4, "column": "身份证号", "reason": "与第 2 行是同一笔发放记录（重复）"}]
    assert HouseholdPayment.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_a_name_that_does_not_match_the_id_number_is_a_bad_row(city, tmp_path):
    hhs = households(city, 1)
    rows = payment_rows(hhs)
    rows[0][1] = "李四"
    result = _import(write(tmp_path, "name.csv", csv_bytes(PAYMENT_HEADER, rows)))

    assert result.errors[0]["row"] == 2 and "与该证件号码登记的姓名" in result.errors[0]["reason"]


def test_gbk_csv_with_a_title_row_imports(city, tmp_path):
    hhs = households(city, 2)
    data = csv_bytes(PAYMENT_HEADER, payment_rows(hhs), encoding="gbk", title="测试镇1 2026年产业奖补发放清单")

    result = _import(write(tmp_path, "gbk.csv", data))

    assert result.ok, result.errors
    assert HouseholdPayment.objects.filter(fund_item="产业奖补").count() == 2


def test_xlsx_with_a_merged_title_and_full_width_digits_imports(city, tmp_path):
    hhs = households(city, 2)
    rows = payment_rows(hhs, amount="１２００．５０")
    rows[0][6] = rows[0][6].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    header = ["序号", "姓名", "证件号码", "资金项目", "金额（元）", "发放日期", "银行卡号", "发放期间"]
    data = xlsx_bytes(header, rows, title="2026年教育资助（雨露计划）发放表")

    result = _import(write(tmp_path, "pay.xlsx", data))

    assert result.ok, result.errors
    payment = HouseholdPayment.objects.get(household=hhs[0])
    assert str(payment.amount) == "1200.50" and payment.bank_card == f"6217{hhs[0].pk:015d}"


def test_a_household_outside_the_importing_units_territory_is_a_bad_row(city, tmp_path):
    mine, theirs = households(city, 1, 0), households(city, 1, 2)
    path = write(tmp_path, "scope.csv", csv_bytes(PAYMENT_HEADER, payment_rows(mine + theirs)))

    result = _import(path, scope=scope_for_unit(city.township_units[0]))

    assert [(e["row"], e["reason"]) for e in result.errors] == [(3, "该户不在您的管辖范围内")]
    assert HouseholdPayment.objects.count() == 0


def test_a_crash_while_writing_leaves_no_payment_and_no_sms(city, tmp_path, monkeypatch):
    hhs = households(city, 5)
    path = write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs)))
    monkeypatch.setattr("sunshine.funds.importers.base.DIRECT_CHUNK", 2)  # three chunks: the crash is in the second
    real_write = SmsBulkWriter.write_prepared
    calls = []

    def write_then_crash(self, rows, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_write(self, rows, **kwargs)

    monkeypatch.setattr(SmsBulkWriter, "write_prepared", write_then_crash)
    with pytest.raises(RuntimeError):
        _import(path)

    assert HouseholdPayment.objects.count() == 0 and SmsMessage.objects.count() == 0
    assert not SmsBody.objects.exists()


def test_a_bad_row_after_rows_already_written_keeps_nothing_and_every_bad_row_is_listed(city, tmp_path,
                                                                                       monkeypatch):
    monkeypatch.setattr("sunshine.funds.importers.base.DIRECT_CHUNK", 2)
    hhs = households(city, 7)
    rows = payment_rows(hhs)
    rows[4][4] = "-5"  # row 6 of the file, in the third chunk
    rows[6][5] = "明天"  # row 8
    path = write(tmp_path, "late.csv", csv_bytes(PAYMENT_HEADER, rows))

    result = _import(path)

    assert [(e["row"], e["column"]) for e in result.errors] == [(6, "发放金额（元）"), (8, "发放日期")]
    assert result.total_rows == 7
    assert HouseholdPayment.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_a_file_partly_imported_before_adds_only_the_new_payments_and_texts_only_them(city, tmp_path,
                                                                                    monkeypatch):
    monkeypatch.setattr("sunshine.funds.importers.base.DIRECT_CHUNK", 2)
    hhs = households(city, 5)
    _import(write(tmp_path, "first.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs[:2]))))
    before = set(SmsMessage.objects.values_list("id", flat=True))

    # The next month's list repeats the first two payments (already imported) and adds three.
    result = _import(write(tmp_path, "all.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs))))

    assert result.ok and (result.created, result.unchanged, result.sms_queued) == (3, 2, 3)
    assert HouseholdPayment.objects.count() == 5
    new = SmsMessage.objects.exclude(id__in=before)
    assert sorted(m.related_id for m in new) == sorted(
        HouseholdPayment.objects.filter(household__in=hhs[2:]).values_list("id", flat=True))


def test_the_direct_and_the_staged_way_write_the_same_rows(city, tmp_path, monkeypatch):
    hhs = households(city, 3)
    data = csv_bytes(PAYMENT_HEADER, payment_rows(hhs))
    fields = ("natural_key", "lineage", "household_id", "village_id", "payee_name", "payee_id_number", "fund_item",
              "amount", "period", "paid_on", "bank_card", "version", "is_current", "published_at")

    assert _import(write(tmp_path, "a.csv", data)).ok
    direct = list(HouseholdPayment.objects.order_by("household_id").values_list(*fields))
    texts = sorted(m.text for m in SmsMessage.objects.select_related("body"))
    HouseholdPayment.objects.all().delete()
    SmsMessage.objects.all().delete()
    monkeypatch.setattr(PaymentImporter, "direct", False)
    assert _import(write(tmp_path, "b.csv", data)).ok

    assert list(HouseholdPayment.objects.order_by("household_id").values_list(*fields)) == direct
    assert sorted(m.text for m in SmsMessage.objects.select_related("body")) == texts


def test_a_file_that_cannot_be_decoded_midway_imports_nothing(city, tmp_path, monkeypatch):
    monkeypatch.setattr("sunshine.funds.importers.base.DIRECT_CHUNK", 2)
    hhs = households(city, 6)
    good = csv_bytes(PAYMENT_HEADER, payment_rows(hhs))
    # Valid UTF-8 for the first 64 KiB the encoding is guessed from, then a byte no encoding can read.
    data = good.replace(b"\r\n", b"\r\n" + b" " * 70_000, 1) + b"\xff\xfe\xfd"
    path = write(tmp_path, "broken.csv", data)

    with pytest.raises(ApplicationError):
        _import(path)

    assert HouseholdPayment.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_dry_run_checks_the_file_and_writes_nothing(city, tmp_path):
    hhs = households(city, 2)
    result = _import(write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs))), dry_run=True)

    assert result.ok and result.created == 2 and "试导入" in result.message
    assert HouseholdPayment.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_the_import_payments_command_records_an_import_job_and_an_audit_row_naming_the_account(city, tmp_path,
                                                                                               capsys):
    from auditlog.models import LogEntry

    hhs = households(city, 2)
    path = write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs)))

    call_command("import_payments", str(path), "--user", "township1")

    job = ImportJob.objects.get(kind="funds.payment")
    assert job.status == ImportJob.Status.SUCCEEDED and job.created_rows == 2 and job.total_rows == 2
    township1 = city.accounts["township1"]
    assert job.created_by == township1 and job.unit_id_scope == township1.unit_id
    created = LogEntry.objects.get_for_object(job).get(action=LogEntry.Action.CREATE)
    assert created.actor == township1
    assert HouseholdPayment.objects.filter(import_job=job).count() == 2
    assert "新增 2 条" in capsys.readouterr().out


def test_the_import_payments_command_fails_and_lists_bad_rows(city, tmp_path, capsys):
    hhs = households(city, 1)
    rows = payment_rows(hhs)
    rows[0][4] = "-5"
    path = write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, rows))

    with pytest.raises(CommandError):
        call_command("import_payments", str(path), "--user", "township1")

    assert "第 2 行 [发放金额（元）]" in capsys.readouterr().err
    assert ImportJob.objects.get().status == ImportJob.Status.REJECTED


def test_the_import_commands_need_an_account_allowed_to_import(city, tmp_path):
    path = write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(households(city, 1))))
    with pytest.raises(CommandError, match="the following arguments are required: --user"):
        call_command("import_payments", str(path))
    with pytest.raises(CommandError, match="账号不存在"):
        call_command("import_payments", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="没有执行此操作的权限"):
        call_command("import_payments", str(path), "--user", "village1")
    assert not ImportJob.objects.exists() and not HouseholdPayment.objects.exists()


def test_a_township_account_cannot_import_payments_into_another_township_from_the_shell(city, tmp_path):
    path = write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(households(city, 1))))
    with pytest.raises(CommandError):
        call_command("import_payments", str(path), "--user", "township2")
    assert ImportJob.objects.get().status == ImportJob.Status.REJECTED and not HouseholdPayment.objects.exists()


def test_a_fallback_after_new_sms_texts_were_written_directly_leaves_every_message_with_its_text(city, tmp_path,
                                                                                               monkeypatch):
    monkeypatch.setattr("sunshine.funds.importers.base.DIRECT_CHUNK", 2)
    hhs = households(city, 4)
    _import(write(tmp_path, "old.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs[2:]))))
    # The first chunk says something new (written straight in, with its new text), the second meets the rows
    # imported before: the straight writes are undone and the file goes the staged way.
    rows = payment_rows(hhs[:2], amount="777.00") + payment_rows(hhs[2:])

    result = _import(write(tmp_path, "mixed.csv", csv_bytes(PAYMENT_HEADER, rows)))

    assert result.ok and (result.created, result.unchanged) == (2, 2)
    bodies = set(SmsBody.objects.values_list("id", flat=True))
    assert all(m.body_id in bodies for m in SmsMessage.objects.all())
    texts = [m.text for m in SmsMessage.objects.select_related("body").filter(related_id__in=HouseholdPayment.objects
                                                                              .filter(household__in=hhs[:2])
                                                                              .values("id"))]
    assert len(texts) == 2 and all("¥777.00已到账" in t for t in texts)


def test_a_direct_importer_must_keep_its_side_effects_per_row():
    from sunshine.funds.importers.base import Importer

    with pytest.raises(TypeError, match="row_effects"):
        type("Broken", (Importer,), {"direct": True})

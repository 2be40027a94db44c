"""Staff pages of funds disclosure, end to end for each role: allowed, other jurisdiction → 404, anonymous → login."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sunshine.core.models import ImportJob
from sunshine.funds.models import FundAllocation, HouseholdPayment, LedgerEntry, Notice, Project
from sunshine.funds.services.records import payment_create, project_create
from sunshine.notify.models import SmsMessage

from .factories import PAYMENT_HEADER, csv_bytes, households, payment_rows, today

pytestmark = pytest.mark.django_db


def _payment(city, village_index=0):
    [h] = households(city, 1, village_index)
    actor = city.accounts["township1" if village_index < 2 else "township2"]
    return payment_create(actor=actor, household=h, fund_item="健康扶贫", amount=Decimal("300"),
                          paid_on=dt.date(2026, 3, 1), bank_card="6217000011112222333")


@pytest.mark.parametrize("name", ["desk:funds_home", "desk:funds_allocations", "desk:funds_projects",
                                  "desk:funds_payments", "desk:funds_transactions", "desk:funds_notices",
                                  "desk:funds_accounts"])
def test_funds_pages_send_anonymous_visitors_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("desk:login") in response["Location"]


def test_a_township_sees_its_own_payments_and_not_another_townships(city, login):
    mine, theirs = _payment(city, 0), _payment(city, 2)
    client = login(city.accounts["township1"])

    page = client.get(reverse("desk:funds_payments"))

    assert page.status_code == 200
    assert mine.payee_name in page.content.decode() and theirs.payee_name not in page.content.decode()
    assert client.get(reverse("desk:funds_record", args=["payment", mine.pk])).status_code == 200
    assert client.get(reverse("desk:funds_record", args=["payment", theirs.pk])).status_code == 404


def test_the_payment_page_shows_the_card_masked(city, login):
    payment = _payment(city)
    html = login(city.accounts["township1"]).get(reverse("desk:funds_record", args=["payment", payment.pk])
                                                 ).content.decode()
    assert "**** **** **** 2333" in html and payment.bank_card not in html


def test_the_city_office_sees_every_township(city, login):
    _payment(city, 0), _payment(city, 2)
    page = login(city.accounts["office"]).get(reverse("desk:funds_payments"))
    assert page.content.decode().count("健康扶贫") == 2


def test_a_village_officer_may_look_but_not_enter_or_import(city, login):
    client = login(city.accounts["village1"])
    assert client.get(reverse("desk:funds_payments")).status_code == 200
    assert client.get(reverse("desk:funds_payment_new")).status_code == 403
    assert client.get(reverse("desk:funds_import", args=["payment"])).status_code == 403


def test_an_unknown_record_type_is_not_found(city, login):
    assert login(city.accounts["admin"]).get("/desk/funds/widgets/1/").status_code == 404


def test_hand_entry_of_a_payment_records_it_and_queues_its_sms(city, login):
    [h] = households(city, 1)
    response = login(city.accounts["township1"]).post(reverse("desk:funds_payment_new"), {
        "household": h.code, "fund_item": "危房改造", "amount": "15000", "paid_on": "2026-04-02",
        "bank_card": "6217 0000 1111 2222 333", "period": "2026年"})

    payment = HouseholdPayment.objects.get()
    assert response.status_code == 302 and payment.bank_card == "6217000011112222333"
    assert SmsMessage.objects.filter(related_id=payment.pk, template_code="payment_notice").count() == 1


def test_hand_entry_for_a_household_of_another_township_is_refused(city, login):
    [h] = households(city, 1, 2)
    response = login(city.accounts["township1"]).post(reverse("desk:funds_payment_new"), {
        "household": h.code, "fund_item": "危房改造", "amount": "15000", "paid_on": "2026-04-02",
        "bank_card": "6217000011112222333"})
    assert response.status_code == 400 and HouseholdPayment.objects.count() == 0


def test_the_import_page_queues_a_job_whose_page_shows_progress_and_bad_rows(city, login, tmp_path,
                                                                             django_capture_on_commit_callbacks):
    hhs = households(city, 2)
    rows = payment_rows(hhs)
    rows[1][4] = "abc"
    client = login(city.accounts["township1"])
    upload = SimpleUploadedFile("发放清单.csv", csv_bytes(PAYMENT_HEADER, rows), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:funds_import", args=["payment"]), {"file": upload})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:import_job", args=[job.pk])
    assert job.kind == "funds.payment" and job.status == ImportJob.Status.REJECTED
    page = client.get(response["Location"]).content.decode()
    assert "第 3 行" in page and "发放金额（元）" in page and "不是数字" in page and "100%" in page
    assert HouseholdPayment.objects.count() == 0


def test_a_good_import_from_the_page_succeeds(city, login, django_capture_on_commit_callbacks):
    hhs = households(city, 3)
    client = login(city.accounts["township1"])
    upload = SimpleUploadedFile("pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:funds_import", args=["payment"]), {"file": upload})

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED and job.created_rows == 3
    assert HouseholdPayment.objects.filter(import_job=job).count() == 3


def test_the_publish_flow_creates_a_draft_then_publishes_it_with_a_code_and_a_pdf(city, login):
    payment = _payment(city)
    client = login(city.accounts["township1"])

    records = client.get(reverse("desk:funds_notice_records"), {"kind": "payment",
                                                                "scope_region": city.villages[0].pk})
    assert payment.payee_name in records.content.decode()
    response = client.post(reverse("desk:funds_notice_new"), {
        "kind": "payment", "scope_region": city.villages[0].pk, "starts_on": today().isoformat(),
        "period_days": 10, "records": [payment.pk]})
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.status == "draft"
    assert client.get(reverse("desk:funds_notice", args=[notice.pk])).status_code == 200

    client.post(reverse("desk:funds_notice_publish", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.status == "published" and notice.code == LedgerEntry.objects.get().code
    pdf = client.get(reverse("desk:funds_notice_pdf", args=[notice.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("desk:funds_notice", args=[notice.pk])).content.decode().count(notice.code) >= 1


def test_a_nine_day_notice_is_refused_with_the_reason(city, login):
    payment = _payment(city)
    response = login(city.accounts["township1"]).post(reverse("desk:funds_notice_new"), {
        "kind": "payment", "scope_region": city.villages[0].pk, "starts_on": today().isoformat(),
        "period_days": 9, "records": [payment.pk]})
    assert response.status_code == 400 and "不得少于10天" in response.content.decode()
    assert Notice.objects.count() == 0


def test_another_townships_notice_is_not_found(city, login):
    payment = _payment(city, 2)
    login(city.accounts["township2"]).post(reverse("desk:funds_notice_new"), {
        "kind": "payment", "scope_region": city.villages[2].pk, "starts_on": today().isoformat(),
        "period_days": 10, "records": [payment.pk]})
    notice = Notice.objects.get()
    client = login(city.accounts["township1"])
    assert client.get(reverse("desk:funds_notice", args=[notice.pk])).status_code == 404
    assert client.get(reverse("desk:funds_notice_pdf", args=[notice.pk])).status_code == 404
    assert client.post(reverse("desk:funds_notice_publish", args=[notice.pk])).status_code == 404


def test_the_correction_page_writes_a_new_version_with_the_reason(city, login):
    payment = _payment(city)
    response = login(city.accounts["township1"]).post(
        reverse("desk:funds_record_correct", args=["payment", payment.pk]),
        {"payee_name": payment.payee_name, "payee_id_number": payment.payee_id_number, "fund_item": "健康扶贫",
         "amount": "350.00", "period": payment.period, "paid_on": "2026-03-01", "bank_card": payment.bank_card,
         "reason": "报销比例核定后调整"})

    new = HouseholdPayment.objects.get(is_current=True)
    assert response.status_code == 302 and new.version == 2 and new.amount == Decimal("350.00")
    assert new.correction_reason == "报销比例核定后调整"


def test_a_project_moves_through_approval_and_filing_from_its_page(city, login):
    actor = city.accounts["township1"]
    project = project_create(actor=actor, village=city.villages[0], name="村道硬化", project_type="基础设施",
                             budget=Decimal("300000"))
    client = login(actor)
    url = reverse("desk:funds_project_transition", args=[project.pk])
    client.post(url, {"to_status": "approved", "approval_document": "湘乡扶组〔2026〕3号", "on_date": "2026-03-01"})
    client.post(url, {"to_status": "filed", "on_date": "2026-03-02"})
    client.post(url, {"to_status": "accepted", "acceptance_note": "合格"})  # not an allowed edge

    project.refresh_from_db()
    assert project.status == "filed" and project.filing_number.startswith("扶项备〔2026〕")
    page = client.get(reverse("desk:funds_record", args=["project", project.pk])).content.decode()
    assert "已登记备案" in page and project.filing_number in page


def test_an_allocation_to_a_township_is_entered_by_hand(city, login):
    response = login(city.accounts["township1"]).post(reverse("desk:funds_allocation_new"), {
        "level": "provincial", "document_number": "湘财农指〔2026〕12号", "fund_type": "衔接推进乡村振兴补助资金",
        "amount": "1200000", "allocated_on": "2026-02-10", "recipient_kind": "township",
        "township": city.townships[0].pk})
    allocation = FundAllocation.objects.get()
    assert response.status_code == 302 and allocation.region == city.townships[0]


def test_the_ledger_check_page_is_for_supervisors_only(city, login):
    assert login(city.accounts["township1"]).get(reverse("desk:funds_ledger_verify")).status_code == 403
    page = login(city.accounts["discipline"]).post(reverse("desk:funds_ledger_verify"))
    assert page.status_code == 200 and "账本完好" in page.content.decode()


def test_home_panel_links_to_funds(city, login):
    html = login(city.accounts["township1"]).get(reverse("desk:home")).content.decode()
    assert reverse("desk:funds_home") in html and Project.objects.count() == 0

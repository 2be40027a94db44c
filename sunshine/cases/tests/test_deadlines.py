"""Deadlines in working days: opened at intake, met by the workflow, reminded before, escalated after."""
import datetime as dt

import pytest
from django.core.management import call_command

from sunshine.cases.choices import AlertLevel, CaseStatus, DeadlineKind, Finding
from sunshine.cases.models import CaseDeadline, DeadlineAlert
from sunshine.core.workdays import add_working_days
from sunshine.notify.models import SmsMessage
from sunshine.org.models import Person

from .builders import REAL_NAME, submit, walk

pytestmark = pytest.mark.django_db
D = dt.date


def _backdate(case, received: dt.date):
    """Pretend the case came in on `received` (deadline counted from then)."""
    case.received_on = received
    case.save(update_fields=["received_on"])
    for d in CaseDeadline.objects.filter(case=case):
        d.starts_on = received
        d.due_on = add_working_days(received, d.working_days)
        d.save(update_fields=["starts_on", "due_on"])


def _give_phone(account, phone):
    Person.objects.filter(pk=account.person_id).update(phone=phone)


def test_an_anonymous_report_gets_only_the_transfer_deadline(city):
    _, case, _ = submit(city)
    deadlines = list(case.deadlines.values_list("kind", "working_days"))
    assert deadlines == [(DeadlineKind.TRANSFER, 5)]


def test_a_real_name_report_gets_the_transfer_and_acceptance_notice_deadlines(city):
    _, case, _ = submit(city, real_name=REAL_NAME)
    by_kind = {d.kind: d for d in case.deadlines.all()}
    assert by_kind[DeadlineKind.TRANSFER].due_on == add_working_days(case.received_on, 5)
    assert by_kind[DeadlineKind.ACCEPT_NOTICE].due_on == add_working_days(case.received_on, 15)


def test_a_real_name_reporter_gets_an_sms_at_acceptance_and_at_closure_once_each(city):
    _, case, code = submit(city, real_name=REAL_NAME)
    assert not SmsMessage.objects.exists()
    officer = city.accounts["township1"]
    case = walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY)
    accepted = SmsMessage.objects.get()
    assert (accepted.plain_phone(), accepted.template_code) == (REAL_NAME["phone"], "report_accepted")
    assert code.replace("-", "")[-4:] in accepted.plain_text()
    assert accepted.protected and REAL_NAME["phone"] not in accepted.phone  # encrypted in the outbox
    assert case.deadlines.filter(met_at__isnull=False).count() == 2
    case = walk(case, officer, CaseStatus.CONCLUDED, CaseStatus.REPLY, CaseStatus.CLOSED)
    assert list(SmsMessage.objects.order_by("pk").values_list("template_code", flat=True)) == [
        "report_accepted", "report_closed"]
    assert REAL_NAME["name"] not in " ".join(SmsMessage.objects.values_list("body__text", flat=True))


def test_an_anonymous_reporter_gets_no_sms(city):
    _, case, _ = submit(city)
    walk(case, city.accounts["township1"], CaseStatus.SCREENING, CaseStatus.PRELIMINARY)
    assert not SmsMessage.objects.exists()


def test_concluding_opens_the_reply_deadline_fifteen_working_days_on_and_closing_meets_it(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    case = walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED)
    reply = case.deadlines.get(kind=DeadlineKind.REPLY)
    assert reply.due_on == add_working_days(reply.starts_on, 15) and reply.met_at is None
    walk(case, officer, CaseStatus.REPLY, CaseStatus.CLOSED)
    reply.refresh_from_db()
    assert reply.met_at is not None


def test_screening_overdue_escalates_to_the_superior_and_the_office_once(city):
    _, case, _ = submit(city, village=0)
    # 5 working days from Friday 2025-09-26: 09-28 (make-up Sunday), 09-29, 09-30, then after National Day 10-09, 10-10.
    _backdate(case, D(2025, 9, 26))
    assert case.deadlines.get().due_on == D(2025, 10, 10)
    _give_phone(city.accounts["township1"], "13800000001")
    _give_phone(city.accounts["office"], "13800000002")

    call_command("case_deadlines", today="2025-10-11")
    alert = DeadlineAlert.objects.get()
    assert alert.level == AlertLevel.ESCALATION
    told = set(alert.units.all())
    assert {city.township_units[0], city.discipline_room, city.governance_office} <= told
    texts = list(SmsMessage.objects.filter(template_code="deadline_reminder").values_list("phone", flat=True))
    assert sorted(texts) == ["13800000001", "13800000002"]

    call_command("case_deadlines", today="2025-10-13")  # running again changes nothing
    assert DeadlineAlert.objects.count() == 1
    assert SmsMessage.objects.count() == 2


def test_a_reminder_comes_two_working_days_before_the_deadline_counting_make_up_days(city):
    _, case, _ = submit(city)
    _backdate(case, D(2025, 9, 26))
    call_command("case_deadlines", today="2025-09-29")  # 3 working days left: 09-30, 10-09, 10-10
    assert not DeadlineAlert.objects.exists()
    call_command("case_deadlines", today="2025-09-30")  # 2 working days left, though 10 calendar days
    assert DeadlineAlert.objects.get().level == AlertLevel.REMINDER
    call_command("case_deadlines", today="2025-10-09")
    assert DeadlineAlert.objects.count() == 1


def test_a_met_deadline_is_never_alerted_and_its_alerts_are_resolved(city):
    _, case, _ = submit(city)
    _backdate(case, D(2025, 9, 26))
    call_command("case_deadlines", today="2025-09-30")
    walk(case, city.accounts["township1"], CaseStatus.SCREENING, CaseStatus.PRELIMINARY)
    assert DeadlineAlert.objects.get().resolved_at is not None
    call_command("case_deadlines", today="2025-10-20")
    assert DeadlineAlert.objects.count() == 1


def test_the_reporters_clock_shows_due_dates_and_working_days_left(city):
    from sunshine.cases.selectors import report_status_for_receipt

    _, case, code = submit(city, real_name=REAL_NAME)
    _backdate(case, D(2025, 9, 26))
    status = report_status_for_receipt(receipt_code=code, today=D(2025, 9, 29))
    transfer = next(line for line in status.clock if line.kind == DeadlineKind.TRANSFER)
    assert (transfer.due_on, transfer.working_days_left, transfer.overdue) == (D(2025, 10, 10), 3, False)
    late = report_status_for_receipt(receipt_code=code, today=D(2025, 10, 11))
    assert next(line for line in late.clock if line.kind == DeadlineKind.TRANSFER).overdue


def test_a_deadline_beyond_the_known_calendar_is_estimated_not_refused(city, settings):
    from sunshine.cases.services.deadlines import deadline_open

    _, case, _ = submit(city)
    deadline = deadline_open(case=case, kind=DeadlineKind.REPLY, starts_on=D(2035, 3, 2))
    assert deadline.estimated and deadline.due_on == D(2035, 3, 23)


def test_finding_is_required_so_not_substantiated_still_gets_a_reply_deadline(city):
    _, case, _ = submit(city)
    case = walk(case, city.accounts["township1"], CaseStatus.SCREENING, CaseStatus.PRELIMINARY,
                CaseStatus.CONCLUDED, **{CaseStatus.CONCLUDED: {"finding": Finding.NOT_SUBSTANTIATED}})
    assert case.deadlines.filter(kind=DeadlineKind.REPLY, met_at__isnull=True).exists()

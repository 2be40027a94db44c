"""The staff outbox and template pages: scoped by jurisdiction, phones masked except for administrators."""
from __future__ import annotations

import pytest
from django.urls import reverse

from sunshine.notify.choices import SmsStatus
from sunshine.notify.models import SmsMessage, SmsTemplate
from sunshine.notify.services import sms_queue, sms_render

from .conftest import PAYMENT_PARAMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(city):
    """One payment notice in a village of each township, and one with no region (a staff reminder)."""
    mine = sms_queue(phone="13800138001", template="payment_notice", params=PAYMENT_PARAMS,
                     idempotency_key="pay:t1", region_path=city.villages[0].path)
    theirs = sms_queue(phone="13800138002", template="payment_notice", params={**PAYMENT_PARAMS, "village": "测试村3"},
                       idempotency_key="pay:t2", region_path=city.villages[2].path)
    reminder = sms_queue(phone="13800138003", template="deadline_reminder",
                         params={"case_no": "湘纪2026第1号", "deadline": "2026年12月1日", "what": "初核"},
                         idempotency_key="deadline:1")
    SmsMessage.objects.filter(pk=theirs.pk).update(status=SmsStatus.FAILED, last_error="isv.MOBILE_NUMBER_ILLEGAL")
    return mine, theirs, reminder


def test_township_staff_see_only_messages_about_their_township(outbox, city, login):
    mine, theirs, reminder = outbox
    client = login(city.accounts["township1"])
    page = client.get(reverse("desk:notify_outbox"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'/desk/sms/{mine.pk}/' in html
    assert f'/desk/sms/{theirs.pk}/' not in html and f'/desk/sms/{reminder.pk}/' not in html
    assert client.get(reverse("desk:notify_message", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("desk:notify_message", args=[mine.pk])).status_code == 200


def test_phone_numbers_are_masked_except_for_administrators(outbox, city, login):
    mine = outbox[0]
    client = login(city.accounts["township1"])
    html = client.get(reverse("desk:notify_message", args=[mine.pk])).content.decode()
    assert "138****8001" in html and "13800138001" not in html
    client = login(city.accounts["admin"])
    html = client.get(reverse("desk:notify_message", args=[mine.pk])).content.decode()
    assert "13800138001" in html


def test_the_status_filter_and_counts_follow_the_actors_jurisdiction(outbox, city, login):
    client = login(city.accounts["office"])  # the special governance office sees the whole city
    page = client.get(reverse("desk:notify_outbox"), {"status": "failed"})
    html = page.content.decode()
    assert f'/desk/sms/{outbox[1].pk}/' in html and f'/desk/sms/{outbox[0].pk}/' not in html
    assert "符合条件的短信 1 条" in html
    rows = client.get(reverse("desk:notify_outbox"), {"status": "queued"}, HTTP_HX_REQUEST="true")
    assert rows.status_code == 200 and "<h1>" not in rows.content.decode()
    assert "符合条件的短信 2 条" in rows.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(outbox):
    from django.test import Client

    response = Client().get(reverse("desk:notify_outbox"))
    assert response.status_code == 302 and reverse("desk:login") in response["Location"]


def test_staff_without_the_capability_are_refused(outbox, city, login):
    client = login(city.accounts["department"])
    assert client.get(reverse("desk:notify_outbox")).status_code == 403


def test_the_governance_office_edits_a_template_and_only_new_messages_use_it(outbox, city, login):
    mine = outbox[0]
    template = SmsTemplate.objects.get(code="payment_notice")
    client = login(city.accounts["office"])
    form = client.get(reverse("desk:notify_template_edit", args=[template.pk]))
    assert form.status_code == 200 and "[amount]" in form.content.decode()  # the preview
    response = client.post(reverse("desk:notify_template_edit", args=[template.pk]), {
        "name": template.name, "body": "【明白卡】{item}{amount}已于{date}到账，监督电话{hotline}。",
    })
    assert response.status_code == 302
    new = sms_queue(phone="13800138009", template="payment_notice", params=PAYMENT_PARAMS,
                    idempotency_key="pay:after-edit", region_path=city.villages[0].path)
    assert new.text == "【明白卡】产业发展补助¥1,200.00已于2026年11月20日到账，监督电话0731-12388。"
    mine.refresh_from_db()
    assert mine.text.startswith("产业发展补助¥1,200.00已到账")  # what was queued keeps what it was rendered with
    template.refresh_from_db()
    assert template.updated_by == city.accounts["office"]


def test_a_template_may_only_use_its_own_parameters(city, login):
    template = SmsTemplate.objects.get(code="payment_notice")
    client = login(city.accounts["office"])
    response = client.post(reverse("desk:notify_template_edit", args=[template.pk]), {
        "name": template.name, "body": "{item}{amount}元，户主{head_name}",
    })
    assert response.status_code == 400 and "head_name" in response.content.decode()
    assert "head_name" not in sms_render(template="payment_notice", params=PAYMENT_PARAMS)


def test_township_staff_cannot_edit_templates(city, login):
    template = SmsTemplate.objects.get(code="payment_notice")
    client = login(city.accounts["township1"])
    assert client.get(reverse("desk:notify_template_edit", args=[template.pk])).status_code == 403
    assert client.post(reverse("desk:notify_template_edit", args=[template.pk]),
                       {"name": "x", "body": "{item}"}).status_code == 403
    assert client.get(reverse("desk:notify_templates")).status_code == 200


def test_the_home_page_shows_the_sms_panel(outbox, city, login):
    html = login(city.accounts["office"]).get(reverse("desk:home")).content.decode()
    assert "短信通知" in html and reverse("desk:notify_outbox") in html


def test_django_admin_lists_messages_read_only_and_checks_template_placeholders(outbox, city, login):
    client = login(city.accounts["admin"])
    assert client.get("/admin/notify/smsmessage/").status_code == 200
    assert client.get(f"/admin/notify/smsmessage/{outbox[0].pk}/change/").status_code == 200
    assert client.post(f"/admin/notify/smsmessage/{outbox[0].pk}/delete/").status_code == 403
    template = SmsTemplate.objects.get(code="deadline_reminder")
    url = f"/admin/notify/smstemplate/{template.pk}/change/"
    bad = client.post(url, {"name": template.name, "body": "{case_no}{no_such}", "description": ""})
    assert bad.status_code == 200 and "no_such" in bad.content.decode()
    good = client.post(url, {"name": template.name, "body": "案件{case_no}:{what}截止{deadline}", "description": "x"})
    assert good.status_code == 302
    template.refresh_from_db()
    assert template.body == "案件{case_no}:{what}截止{deadline}" and template.updated_by == city.accounts["admin"]


def test_the_staff_pages_speak_the_clerks_words_not_the_developers(outbox, city, login):
    mine, _theirs, _reminder = outbox
    SmsMessage.objects.filter(pk=mine.pk).update(related_type="funds.payment", related_id=802)
    client = login(city.accounts["admin"])
    outbox_page = client.get(reverse("desk:notify_outbox")).content.decode()
    assert "幂等键" not in outbox_page
    message = client.get(reverse("desk:notify_message", args=[mine.pk])).content.decode()
    assert "告知一条到户资金发放记录" in message
    assert "幂等键" not in message and "funds.payment #802" not in message
    templates = client.get(reverse("desk:notify_templates")).content.decode()
    assert "payment_notice" not in templates
    template = SmsTemplate.objects.get(code="payment_notice")
    edit = client.get(reverse("desk:notify_template_edit", args=[template.pk])).content.decode()
    assert "payment_notice" not in edit and "金额" in edit

"""The public report pages, end to end with the Django client: form, receipt, status, questions and answers."""
from __future__ import annotations

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from sunshine.cases import challenge, services
from sunshine.cases.choices import CaseStatus
from sunshine.cases.models import Attachment, Case, Message, Report, ReporterIdentity
from sunshine.cases.tests.builders import walk

FORM = "/report/"
STATUS = "/report/status/"
RECEIPT = re.compile(r'id="receipt-code">([0-9A-Z-]+)<')


@pytest.fixture(autouse=True)
def _classifier_model(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def solve(page_html: str) -> tuple[str, str]:
    """Read the question and token off the form the way a person would, and answer in digits."""
    question = re.search(r'class="question">([^<]+)<', page_html).group(1)
    a, op, b = re.match(r"(.+?)(加|减)(.+?)等于几", question).groups()
    a, b = challenge.parse_answer(a), challenge.parse_answer(b)
    token = re.search(r'name="challenge_token" value="([^"]+)"', page_html).group(1)
    return str(a + b if op == "加" else a - b), html.unescape(token)


def report(client, *, text="村干部把低保给了他亲戚,真正困难的人没评上", village=None, files=(), **extra):
    page = client.get(FORM).content.decode()
    answer, token = solve(page)
    data = {"text": text, "challenge_answer": answer, "challenge_token": token, **extra}
    if village is not None:
        data.update(township=village.parent_id, village=village.pk)
    if files:
        data["attachments"] = list(files)
    return client.post(FORM, data)


def receipt_of(response) -> str:
    return RECEIPT.search(response.content.decode()).group(1)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "VillagePhone"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (27.0, 44.0, 12.5), 3: "E", 4: (112.0, 31.0, 40.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def handler_of(city, case):
    return next(a for a in city.accounts.values() if a.unit_id == case.handling_unit_id and a.role != "admin")


# ---- the form ---------------------------------------------------------------------------------------------------

def test_the_form_lists_every_village_by_township_so_it_works_without_javascript(client, city):
    page = client.get(FORM)
    body = page.content.decode()
    assert page.status_code == 200
    assert all(v.name in body for v in city.villages)
    assert body.count("<optgroup") >= 2
    assert 'hx-get="/report/villages/"' in body and "默认匿名" in body
    assert "no-store" in page["Cache-Control"]


def test_choosing_a_township_loads_only_its_villages(client, city):
    body = client.get(reverse("portal:report_villages"), {"township": city.townships[1].pk}).content.decode()
    assert city.villages[2].name in body and city.villages[3].name in body
    assert city.villages[0].name not in body


def test_without_javascript_the_township_button_reloads_the_villages_and_saves_nothing(client, city):
    response = client.post(FORM, {"action": "pick_township", "township": city.townships[1].pk, "text": "草稿"})
    body = response.content.decode()
    assert response.status_code == 200
    assert city.villages[2].name in body and city.villages[0].name not in body
    assert "草稿" in body
    assert not Report.objects.exists()


def test_a_village_of_another_township_is_refused(client, city):
    page = client.get(FORM).content.decode()
    answer, token = solve(page)
    response = client.post(FORM, {"text": "有问题", "township": city.townships[0].pk, "village": city.villages[3].pk,
                                  "challenge_answer": answer, "challenge_token": token})
    assert response.status_code == 400
    assert "不属于所选的乡镇" in response.content.decode()
    assert not Report.objects.exists()


def test_an_objection_link_shows_the_record_it_is_about(client, disclosed):
    payment = disclosed.payments[0]
    body = client.get(FORM, {"about_type": "funds.payment", "about_id": payment.pk}).content.decode()
    assert "您对这条公示记录有异议" in body and "产业奖补" in body
    for secret in disclosed.secrets:
        assert secret not in body


def test_an_objection_is_saved_with_the_record_it_is_about(client, disclosed):
    payment = disclosed.payments[0]
    response = report(client, text="这笔钱我没收到", village=disclosed.village,
                      about_type="funds.payment", about_id=payment.pk)
    assert response.status_code == 200
    saved = Report.objects.get()
    assert (saved.about_type, saved.about_id) == ("funds.payment", payment.pk)


def test_an_unpublished_record_is_not_described_and_not_linked(client, disclosed):
    draft = disclosed.draft_payment
    body = client.get(FORM, {"about_type": "funds.payment", "about_id": draft.pk}).content.decode()
    assert "赵未公" not in body and "有异议" not in body


# ---- submitting ---------------------------------------------------------------------------------------------------

def test_an_anonymous_report_gets_a_receipt_shown_once_and_stored_only_as_a_hash(client, city):
    response = report(client, village=city.villages[0])
    assert response.status_code == 200
    code = receipt_of(response)
    body = response.content.decode()
    assert "只显示这一次" in body and "截屏" in body
    assert "no-store" in response["Cache-Control"]
    saved = Report.objects.get()
    assert not saved.is_real_name and not ReporterIdentity.objects.exists()
    assert saved.receipt_hash == services.receipt_hash(code) and code not in saved.receipt_hash
    assert saved.region == city.villages[0] and saved.suggested_problem_type.number == 11
    assert code not in str(response.cookies) and code not in client.session.values()


def test_a_real_name_report_needs_a_valid_phone_and_keeps_the_identity_apart(client, city):
    bad = report(client, village=city.villages[0], real_name="1", name="刘桂英", phone="12345")
    assert bad.status_code == 400 and "手机号码" in bad.content.decode()
    assert not Report.objects.exists()

    bad_id = report(client, village=city.villages[0], real_name="1", name="刘桂英", phone="13812345678",
                    id_number="430381199001011230")
    assert bad_id.status_code == 400 and "校验位" in bad_id.content.decode()

    good = report(client, village=city.villages[0], real_name="1", name="刘桂英", phone="138 1234 5678")
    assert good.status_code == 200 and "实名举报" in good.content.decode()
    saved = Report.objects.get()
    identity = ReporterIdentity.objects.get(report=saved)
    assert saved.is_real_name
    assert "刘桂英" not in identity.name_encrypted and "13812345678" not in identity.phone_encrypted


def test_an_empty_text_is_refused_with_a_plain_message(client, city):
    response = report(client, text="   ", village=city.villages[0])
    assert response.status_code == 400 and "请写一写发生了什么" in response.content.decode()
    assert not Report.objects.exists()


# ---- the challenge and the honeypot -------------------------------------------------------------------------------

def test_a_wrong_answer_saves_nothing_and_says_why(client, city):
    page = client.get(FORM).content.decode()
    answer, token = solve(page)
    response = client.post(FORM, {"text": "有问题", "challenge_answer": str(int(answer) + 1),
                                  "challenge_token": token})
    assert response.status_code == 400 and "答案不对" in response.content.decode()
    assert "有问题" in response.content.decode()  # what they wrote is kept
    assert not Report.objects.exists()


def test_a_reused_question_saves_nothing_the_second_time(client, city):
    page = client.get(FORM).content.decode()
    answer, token = solve(page)
    data = {"text": "修路的钱被村支书拿走了", "challenge_answer": answer, "challenge_token": token}
    assert client.post(FORM, data).status_code == 200
    again = client.post(FORM, data)
    assert again.status_code == 400 and "已经用过" in again.content.decode()
    assert Report.objects.count() == 1


def test_an_expired_question_saves_nothing(client, city, monkeypatch):
    import time

    page = client.get(FORM).content.decode()
    answer, token = solve(page)
    later = time.time() + challenge.MAX_AGE_SECONDS + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.post(FORM, {"text": "有问题", "challenge_answer": answer, "challenge_token": token})
    assert response.status_code == 400 and "已过期" in response.content.decode()
    assert not Report.objects.exists()


def test_a_filled_honeypot_saves_nothing(client, city):
    response = report(client, **{challenge.HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 400 and "没有成功" in response.content.decode()
    assert not Report.objects.exists()


# ---- rate limits -------------------------------------------------------------------------------------------------

def test_the_sixth_report_in_an_hour_from_one_browser_gets_a_429_page_that_keeps_the_text(client, city):
    for i in range(5):
        assert report(client, text=f"第{i}件事:扶贫款被截留").status_code == 200
    response = report(client, text="第6件事")
    assert response.status_code == 429
    assert "这次没有提交成功" in response.content.decode() and ">第6件事</textarea>" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Report.objects.count() == 5


def test_another_phone_on_another_address_is_not_held_up(client, city):
    from django.test import Client

    for i in range(5):
        report(client, text=f"第{i}件事", REMOTE_ADDR="10.0.0.1")
    other = Client()
    page = other.get(FORM).content.decode()
    answer, token = solve(page)
    response = other.post(FORM, {"text": "另一户", "challenge_answer": answer, "challenge_token": token},
                           REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200


def test_status_checks_are_limited_per_address(client, city):
    for _ in range(20):
        assert client.post(STATUS, {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"}).status_code == 404
    response = client.post(STATUS, {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert response.status_code == 429 and "查询码" in response.content.decode()


# ---- attachments through the form ---------------------------------------------------------------------------------

def test_a_photo_sent_with_the_form_is_stored_without_its_gps_and_under_a_neutral_name(client, city):
    photo = SimpleUploadedFile("张三家_IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = report(client, village=city.villages[0], files=[photo])
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert attachment.original_name == "附件1.jpg"
    assert b"Exif" not in stored and not Image.open(io.BytesIO(stored)).getexif()


def test_an_exe_renamed_jpg_is_rejected_with_a_message_and_nothing_saved(client, city):
    fake = SimpleUploadedFile("证据.jpg", b"MZ\x90\x00" + b"\x00" * 500, content_type="image/jpeg")
    response = report(client, village=city.villages[0], files=[fake])
    assert response.status_code == 400
    assert "不是照片" in response.content.decode()
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_file_is_rejected_with_a_message(client, city):
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10), content_type="application/pdf")
    response = report(client, village=city.villages[0], files=[big])
    assert response.status_code == 400 and "10 MB" in response.content.decode()
    assert not Report.objects.exists()


# ---- the status page and the two-way conversation -----------------------------------------------------------------

def test_the_status_page_takes_the_code_by_post_only(client, city):
    code = receipt_of(report(client, village=city.villages[0]))
    get = client.get(STATUS, {"receipt": code})
    assert get.status_code == 200 and 'name="receipt"' in get.content.decode()
    assert "当前:" not in get.content.decode() and "收到您的举报" not in get.content.decode()
    page = client.post(STATUS, {"receipt": code.lower().replace("-", " ")})
    assert page.status_code == 200
    body = page.content.decode()
    assert "已接收" in body and "收到您的举报" in body and "甄别移送" in body
    assert "no-store" in page["Cache-Control"]


def test_a_wrong_code_says_so_without_hinting(client, city):
    response = client.post(STATUS, {"receipt": "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
    assert response.status_code == 404 and "查询码不正确" in response.content.decode()


def test_report_question_answer_and_closure_end_to_end(client, city):
    code = receipt_of(report(client, text="村支书把修村道的钱拿走了一大半", village=city.villages[0]))
    case = Case.objects.get()
    handler = handler_of(city, case)

    services.handler_ask(case=case, actor=handler, text="请问是哪一年修的路?大概差了多少钱?")
    page = client.post(STATUS, {"receipt": code}).content.decode()
    assert "请问是哪一年修的路" in page and ">新<" in page
    assert "新消息" in page
    assert ">新<" not in client.post(STATUS, {"receipt": code}).content.decode()  # read now

    answered = client.post(STATUS, {"receipt": code, "action": "reply", "text": "2025年修的,少了三万多"})
    assert answered.status_code == 200 and "已收到您的补充" in answered.content.decode()
    reply = Message.objects.get(side="reporter")
    assert reply.text == "2025年修的,少了三万多" and reply.author is None

    walk(case, handler, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED, CaseStatus.REPLY,
         CaseStatus.CLOSED, **{CaseStatus.REPLY: {"result": "经核查,村支书截留修路资金3.2万元,已责令退还并给予处分。"}})
    closed = client.post(STATUS, {"receipt": code}).content.decode()
    assert "办理结果" in closed and "属实" in closed and "已责令退还" in closed
    assert 'name="action" value="reply"' not in closed  # a closed case takes no more answers


def test_an_empty_answer_is_refused_and_nothing_is_saved(client, city):
    code = receipt_of(report(client, village=city.villages[0]))
    response = client.post(STATUS, {"receipt": code, "action": "reply", "text": "  "})
    assert response.status_code == 400 and "请填写补充内容" in response.content.decode()
    assert not Message.objects.exists()


def test_an_answer_with_a_wrong_code_is_refused(client, city):
    response = client.post(STATUS, {"receipt": "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ", "action": "reply", "text": "补充"})
    assert response.status_code == 404 and not Message.objects.exists()


def test_the_status_page_shows_no_staff_names_or_units(client, city):
    code = receipt_of(report(client, village=city.villages[0]))
    case = Case.objects.get()
    handler = handler_of(city, case)
    services.handler_ask(case=case, actor=handler, text="请补充时间")
    body = client.post(STATUS, {"receipt": code}).content.decode()
    assert handler.display_name not in body and case.handling_unit.name not in body


# ---- exposures ---------------------------------------------------------------------------------------------------

def test_published_exposures_are_listed_and_readable_with_names_masked(client, city):
    from sunshine.cases.services import ExposedPerson, exposure_propose, exposure_review

    code = receipt_of(report(client, text="村会计冒领低保金", village=city.villages[0]))
    assert code
    case = Case.objects.get()
    handler = handler_of(city, case)
    case = walk(case, handler, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED)
    exposure = exposure_propose(case=case, actor=city.accounts["discipline"], title="测试村1村会计李某某冒领低保金问题",
                                body="村会计李德才冒领低保金1.2万元,受到党内警告处分。",
                                people=[ExposedPerson(name="李德才", title="村会计", measure="disciplinary")])
    assert exposure.title not in client.get(reverse("portal:exposure_list")).content.decode()  # not yet approved
    exposure = exposure_review(exposure=exposure, actor=city.accounts["office"], approve=True)
    listing = client.get(reverse("portal:exposure_list")).content.decode()
    assert exposure.title in listing
    detail = client.get(reverse("portal:exposure_detail", args=[exposure.pk])).content.decode()
    assert "李**" in detail and "李德才" not in detail and "党纪政务处分" in detail
    assert client.get(reverse("portal:exposure_detail", args=[exposure.pk + 1000])).status_code == 404

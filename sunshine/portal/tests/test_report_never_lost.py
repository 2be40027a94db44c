"""A report never loses a word: limits per address and per browser, the refused form comes back filled in; an
objection is a report from the record's village, routed as any report from there, shown to staff in words."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from sunshine.cases import selectors
from sunshine.cases.models import Case, Report
from sunshine.core.ratelimit import Limit
from sunshine.portal import reporting
from sunshine.portal.tests.test_report_pages import FORM, report, solve

VILLAGE_ADDRESS = "100.64.0.9"  # a carrier address a whole village shares (CGNAT)


@pytest.fixture(autouse=True)
def _classifier_model(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_the_sixth_report_from_one_browser_comes_back_filled_in_with_the_wait_and_the_draft_offer(client, city):
    for i in range(5):
        assert report(client, text=f"第{i}件事:扶贫款被截留").status_code == 200
    words = "第六件事:村会计把危房改造补助扣下了两千元,说是手续费"
    refused = report(client, text=words, village=city.villages[0], about_person_name="村会计")
    body = refused.content.decode()
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "这次没有提交成功" in body and "分钟后再点“提交”" in body
    assert f">{words}</textarea>" in body  # the text is still in the form
    assert 'value="村会计"' in body
    assert f'<option value="{city.villages[0].pk}" selected>' in body
    assert "把草稿存在这部手机上" in body and "js/report-draft.js" in body
    assert "<script>" not in body  # the draft script is a file: the CSP allows no inline script
    assert Report.objects.count() == 5


def test_a_village_behind_one_address_files_more_than_one_browsers_share(city):
    # Seven villagers on their own phones behind the village's one carrier address: all seven reports arrive.
    answers = [report(Client(REMOTE_ADDR=VILLAGE_ADDRESS), text=f"村民{i}反映:低保评定不公开").status_code
               for i in range(7)]
    assert answers == [200] * 7
    assert Report.objects.count() == 7


def test_a_flood_from_one_address_is_stopped_at_the_address_ceiling(city, monkeypatch):
    monkeypatch.setattr(reporting, "REPORTS_PER_ADDRESS", Limit("report_submit", 8, 3600))
    answers = [report(Client(REMOTE_ADDR=VILLAGE_ADDRESS), text=f"刷屏{i}").status_code for i in range(9)]
    assert answers == [200] * 8 + [429]


def test_a_script_that_drops_its_cookie_gets_one_browsers_share(city):
    bot = Client(REMOTE_ADDR="203.0.113.7")
    answers = []
    for i in range(6):
        bot.cookies.pop(reporting.BROWSER_COOKIE, None)
        page = bot.get(FORM).content.decode()
        bot.cookies.pop(reporting.BROWSER_COOKIE, None)
        answer, token = solve(page)
        answers.append(bot.post(FORM, {"text": f"机器{i}", "challenge_answer": answer,
                                       "challenge_token": token}).status_code)
    assert answers == [200] * 5 + [429]


def test_a_forged_browser_cookie_counts_as_no_cookie(city):
    bot = Client(REMOTE_ADDR="203.0.113.8")
    answers = []
    for i in range(6):
        page = bot.get(FORM).content.decode()
        answer, token = solve(page)
        bot.cookies[reporting.BROWSER_COOKIE] = f"made-up-{i}"  # a new forged key each time
        answers.append(bot.post(FORM, {"text": f"伪造{i}", "challenge_answer": answer,
                                       "challenge_token": token}).status_code)
    assert answers == [200] * 5 + [429]


# ---- objections ----------------------------------------------------------------------------------------------------

def _objection(client, about_type, about_id, *, text, owner=""):
    query = f"?about_type={about_type}&about_id={about_id}" + (f"&owner={owner}" if owner else "")
    page = client.get(FORM + query).content.decode()
    answer, token = solve(page)
    data = {"text": text, "challenge_answer": answer, "challenge_token": token, "about_type": about_type,
            "about_id": about_id}
    owner_field = re.search(r'name="owner" value="([^"]+)"', page)
    if owner_field:
        data["owner"] = owner_field.group(1)
    return page, client.post(FORM + query, data)


def test_an_objection_form_is_prefilled_with_the_records_township_and_village(client, disclosed):
    payment = disclosed.payments[0]
    page = client.get(f"{FORM}?about_type=funds.payment&about_id={payment.pk}").content.decode()
    assert "您对这条公示记录有异议" in page and "产业奖补" in page and "¥1,500.00" in page
    assert f'<option value="{disclosed.township.pk}" selected>' in page
    assert f'<option value="{disclosed.village.pk}" selected>' in page


def test_an_objection_lands_where_a_report_from_its_village_lands(client, disclosed, city):
    words = "这笔产业奖补我家没有收到全额"
    _, objection = _objection(client, "funds.payment", disclosed.payments[0].pk, text=words)
    assert objection.status_code == 200
    assert report(Client(), text=words, village=disclosed.village).status_code == 200
    by_objection = Case.objects.get(report__about_type="funds.payment")
    by_village = Case.objects.exclude(pk=by_objection.pk).get()
    assert by_objection.report.region == disclosed.village
    assert by_objection.handling_unit == by_village.handling_unit
    # the discipline room that supervises the village's township sees it
    room = city.accounts["discipline"]
    assert by_objection in selectors.case_list_visible_to(actor=room)


def test_an_objection_posted_without_a_place_still_takes_the_records_village(client, disclosed):
    page = client.get(FORM).content.decode()
    answer, token = solve(page)
    client.post(FORM, {"text": "项目没有按公示的建设内容施工", "challenge_answer": answer, "challenge_token": token,
                       "about_type": "funds.project", "about_id": disclosed.project.pk})
    assert Report.objects.get().region == disclosed.village


def test_an_unpublished_payment_is_named_only_with_the_household_pages_signature(client, disclosed):
    draft = disclosed.draft_payment
    anyone = client.get(f"{FORM}?about_type=funds.payment&about_id={draft.pk}").content.decode()
    assert "999.00" not in anyone and "您对这条公示记录有异议" not in anyone
    owner = reporting.objection_owner_sign("funds.payment", draft.pk)
    page, response = _objection(client, "funds.payment", draft.pk, text="还没公示,但钱数不对", owner=owner)
    assert "¥999.00" in page and "待公示" in page
    assert response.status_code == 200
    saved = Report.objects.get()
    assert (saved.about_type, saved.about_id, saved.region) == ("funds.payment", draft.pk, disclosed.village)


def test_staff_see_the_objected_record_in_words(client, disclosed, city, login):
    payment = disclosed.payments[0]
    _objection(Client(), "funds.payment", payment.pk, text="金额不对")
    case = Case.objects.get()
    handler = next(a for a in city.accounts.values() if a.unit_id == case.handling_unit_id and a.role != "admin")
    login(handler)
    body = client.get(f"/desk/cases/{case.pk}/").content.decode()
    notice = next(
        n for k, n in disclosed.notices.items() if k.startswith("payment"))
    assert "到户资金发放" in body and payment.payee_name in body and "产业奖补" in body and "¥1,500.00" in body
    assert f"公示 {notice.code}" in body
    assert "funds.payment #" not in body

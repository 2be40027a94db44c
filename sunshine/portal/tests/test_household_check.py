"""A household checks its own payments with a name and the last 4 ID characters (三(二)3)."""
from __future__ import annotations

import pytest

from sunshine.funds.public import LOOKUP_FAILURES_PER_REQUESTER, LOOKUP_PER_IP, NOT_FOUND_MESSAGE

pytestmark = pytest.mark.django_db

API = "/api/v1/public/household-check"


def _post_page(client, village, name, last4, ip="10.0.0.1"):
    return client.post("/check/", {"village": village.code, "name": name, "last4": last4}, REMOTE_ADDR=ip)


def _post_api(client, village, name, last4, ip="10.0.0.1"):
    return client.post(API, {"village_code": village.code, "name": name, "id_last4": last4},
                       content_type="application/json", REMOTE_ADDR=ip)


def test_the_head_of_household_sees_each_published_payment_with_the_card_masked(client, disclosed):
    wang = disclosed.households[0]
    response = _post_page(client, disclosed.village, "王小明", wang.head_id_number[-4:])
    html = response.content.decode()
    assert response.status_code == 200
    assert "产业奖补" in html and "教育资助" in html
    assert "¥1,500.00" in html and "¥800.00" in html
    assert "**** **** **** 3456" in html
    assert disclosed.notices["payment:3"].code in html
    assert "有异议" in html
    assert "no-store" in response["Cache-Control"]  # a result is personal: never kept by a shared cache


def test_a_family_member_finds_the_household_with_their_own_name_and_id(client, disclosed):
    wang = disclosed.households[0]
    member = wang.members.exclude(relation="户主").get()
    body = _post_api(client, disclosed.village, member.name, member.id_number[-4:]).json()
    assert {p["fund_item"] for p in body["payments"]} == {"产业奖补", "教育资助"}
    assert body["head_name_masked"] == "王小明"  # names as the public lists print them (one rule)


def test_the_corrected_payment_shows_the_new_amount_the_old_one_and_the_reason(client, disclosed):
    li = disclosed.households[1]
    body = _post_api(client, disclosed.village, "李大山", li.head_id_number[-4:]).json()
    [payment] = body["payments"]
    assert payment["amount"] == "1200.00"
    assert payment["previous"]["amount"] == "1500.00"
    assert "金额录入错误" in payment["correction_reason"]
    assert payment["notice_code"] == disclosed.notices["payment:3"].code


def test_an_unpublished_payment_is_not_shown_to_its_own_household(client, disclosed):
    zhao = disclosed.households[2]
    body = _post_api(client, disclosed.village, "赵未公", zhao.head_id_number[-4:]).json()
    assert body["payments"] == []
    assert body["total_amount"] == "0.00"


def test_wrong_digits_wrong_name_and_wrong_village_all_get_the_same_answer(client, disclosed, city):
    wang = disclosed.households[0]
    right = wang.head_id_number[-4:]
    wrong = "0000" if right != "0000" else "1111"
    answers = [
        _post_api(client, disclosed.village, "王小明", wrong),
        _post_api(client, disclosed.village, "王大明", right),
        _post_api(client, city.villages[1], "王小明", right),
    ]
    assert {r.status_code for r in answers} == {404}
    assert {r.json()["detail"] for r in answers} == {str(NOT_FOUND_MESSAGE)}
    page = _post_page(client, disclosed.village, "王小明", wrong)
    assert page.status_code == 404
    assert str(NOT_FOUND_MESSAGE) in page.content.decode()


def test_a_lowercase_x_and_full_width_digits_are_accepted(client, city):
    from sunshine.org.testing import id_number_ending_in_x, make_household

    village = city.villages[0]
    household = make_household(village, head_name="陈秀英", head_id_number=id_number_ending_in_x())
    last4 = household.head_id_number[-4:]
    assert last4.endswith("X")
    typed = last4.lower().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert _post_api(client, village, " 陈 秀英 ", typed).status_code == 200


def test_a_malformed_request_is_a_400_with_a_chinese_message(client, city):
    response = _post_api(client, city.villages[0], "王小明", "12")
    assert response.status_code == 400
    assert "后4位" in response.json()["detail"]


def test_more_than_ten_lookups_a_minute_from_one_address_are_refused_with_429(client, disclosed):
    wang = disclosed.households[0]
    for _ in range(LOOKUP_PER_IP.count):
        assert _post_api(client, disclosed.village, "王小明", wang.head_id_number[-4:]).status_code == 200
    refused = _post_api(client, disclosed.village, "王小明", wang.head_id_number[-4:])
    assert refused.status_code == 429
    assert "秒后再试" in refused.json()["detail"]
    assert refused.json()["retry_after"] >= 1
    assert _post_api(client, disclosed.village, "王小明", wang.head_id_number[-4:], ip="10.0.0.2").status_code == 200


def test_wrong_guesses_for_a_name_never_lock_the_household_out_only_the_guesser(client, disclosed, monkeypatch):
    from sunshine.core.ratelimit import Limit
    from sunshine.funds.public import households as public  # where household_check reads it

    monkeypatch.setattr(public, "LOOKUP_PER_IP", Limit("funds_lookup_ip", count=1000, seconds=60))  # the hourly one
    wang = disclosed.households[0]
    right = wang.head_id_number[-4:]
    guesses = [f"{n:04d}" for n in range(40) if f"{n:04d}" != right][:LOOKUP_FAILURES_PER_REQUESTER.count]
    for guess in guesses:  # one guesser
        assert _post_api(client, disclosed.village, "王小明", guess, ip="10.1.0.1").status_code == 404
    refused = _post_page(client, disclosed.village, "王小明", right, ip="10.1.0.1")
    assert refused.status_code == 429
    assert "秒后再试" in refused.content.decode()
    # The household itself, from its own phone, is not locked out by someone else's failures.
    assert _post_page(client, disclosed.village, "王小明", right, ip="10.2.0.1").status_code == 200


def test_successful_lookups_do_not_count_towards_the_failure_limit(client, disclosed):
    wang = disclosed.households[0]
    for n in range(LOOKUP_PER_IP.count):
        assert _post_api(client, disclosed.village, "王小明", wang.head_id_number[-4:], ip=f"10.3.0.{n}"
                         ).status_code == 200


def test_the_form_preselects_the_village_linked_from_its_page(client, disclosed):
    html = client.get(f"/check/?village={disclosed.village.code}").content.decode()
    assert f'value="{disclosed.village.code}" selected' in html


# ----------------------------------------------------------------------------------------------------------------
# One-time codes: anything beyond the published payments needs a code sent to the household's phone.

def _codes_sent(phone: str) -> list[str]:
    """The codes the outbox holds for `phone` (protected messages: decrypted as the dispatcher would)."""
    from sunshine.notify.models import SmsMessage

    return [m.plain_params()[0][1] for m in SmsMessage.objects.filter(template_code="household_code").order_by("id")
            if m.plain_phone() == phone]


def _ask_code(client, village, name, last4, ip="10.0.0.1"):
    return client.post("/check/code/", {"village": village.code, "name": name, "last4": last4}, REMOTE_ADDR=ip)


def test_a_code_sent_to_the_households_phone_opens_its_page_with_unpublished_payments(client, disclosed):
    zhao = disclosed.households[2]
    answer = _ask_code(client, disclosed.village, "赵未公", zhao.head_id_number[-4:])
    assert answer.status_code == 200 and "验证码已用短信发到该户登记的手机" in answer.content.decode()
    [code] = _codes_sent(zhao.phone)
    from sunshine.funds.models import HouseholdAccessCode

    assert code not in HouseholdAccessCode.objects.get().code_hash  # only a keyed hash is kept
    opened = client.post("/check/code/verify/", {"code": code})
    assert opened.status_code == 302 and opened["Location"].startswith("/h/")
    page = client.get(opened["Location"]).content.decode()
    assert "待公示" in page and "999.00" in page
    # Single use.
    assert client.post("/check/code/verify/", {"code": code}).status_code == 400


def test_asking_for_a_code_never_tells_whether_the_name_is_registered(client, disclosed):
    wang = disclosed.households[0]
    registered = _ask_code(client, disclosed.village, "王小明", wang.head_id_number[-4:], ip="10.0.0.5")
    unknown = _ask_code(client, disclosed.village, "王无名", "1234", ip="10.0.0.6")
    assert registered.status_code == unknown.status_code == 200
    strip = lambda r: r.content.decode().split("csrfmiddlewaretoken")[0]  # noqa: E731
    assert strip(registered) == strip(unknown)


def test_a_household_gets_at_most_three_codes_a_day_whoever_asks(client, disclosed):
    wang = disclosed.households[0]
    for n in range(6):
        assert _ask_code(client, disclosed.village, "王小明", wang.head_id_number[-4:], ip=f"10.4.0.{n}"
                         ).status_code == 200
    assert len(_codes_sent(wang.phone)) == 3


def test_someone_elses_wrong_codes_never_spoil_the_owners_code(client, disclosed, django_user_model):
    from django.test import Client

    zhao = disclosed.households[2]
    owner, stranger = Client(), Client()
    _ask_code(owner, disclosed.village, "赵未公", zhao.head_id_number[-4:], ip="10.5.0.1")
    _ask_code(stranger, disclosed.village, "赵未公", zhao.head_id_number[-4:], ip="10.5.0.1")
    owners_code = _codes_sent(zhao.phone)[0]
    for n in range(10):  # the same network, another browser: its guesses
        stranger.post("/check/code/verify/", {"code": f"{n:06d}"}, REMOTE_ADDR="10.5.0.1")
    assert stranger.post("/check/code/verify/", {"code": "999999"}, REMOTE_ADDR="10.5.0.1").status_code == 429
    # The owner's code works only in the owner's browser, and still does.
    assert stranger.post("/check/code/verify/", {"code": owners_code}, REMOTE_ADDR="10.5.0.1").status_code == 429
    opened = owner.post("/check/code/verify/", {"code": owners_code}, REMOTE_ADDR="10.5.0.1")
    assert opened.status_code == 302

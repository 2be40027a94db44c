"""A household's own page, opened by the personal link of its payment SMS (三(二)3)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from sunshine.funds import rules
from sunshine.funds.household_page import household_current_token
from sunshine.notify.models import SmsMessage
from sunshine.notify.providers.console import ConsoleProvider
from sunshine.notify.services import sms_dispatch_pending
from sunshine.org.services import household_link_renew

pytestmark = pytest.mark.django_db


def _sent_links(tmp_path) -> dict[str, str]:
    """Dispatch the outbox through the console gateway; the link each payment SMS carried, by idempotency key."""
    path = tmp_path / "sms.jsonl"
    sms_dispatch_pending(provider=ConsoleProvider(path=path), batch_size=500)
    sent = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {s["out_id"]: s["text"].split("详见", 1)[1] for s in sent if "详见" in s["text"]}


def _path(link: str) -> str:
    """http://host:port/h/token → /h/token"""
    return "/" + link.split("/", 3)[3]


def test_the_payment_sms_link_opens_the_households_page_with_the_unpublished_payment_marked(
        client, disclosed, tmp_path, settings):
    settings.SUNSHINE_PUBLICATION_DUE_DAYS = 30
    zhao = disclosed.households[2]
    message = SmsMessage.objects.get(related_type="funds.payment", related_id=disclosed.draft_payment.pk)
    link = _sent_links(tmp_path)[message.idempotency_key]
    assert link.startswith(f"{settings.SUNSHINE_PUBLIC_BASE_URL}/h/") and len(link.rsplit("/", 1)[1]) == 12
    assert "〔个人链接〕" in message.text  # the outbox never stores the link itself

    response = client.get(_path(link))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex") and response["Referrer-Policy"] == "no-referrer"
    assert "赵未公" in html and "待公示" in html and "999.00" in html
    due = rules.publication_due_date(disclosed.draft_payment.paid_on)
    assert due == disclosed.draft_payment.paid_on + dt.timedelta(days=30)
    assert f"乡镇应于 {due:%Y-%m-%d} 前公示" in html
    assert "about_type=funds.payment" in html and f"about_id={disclosed.draft_payment.pk}" in html
    for secret in [zhao.head_id_number, zhao.phone, "6217002710000999888"]:
        assert secret not in html
    assert "9888" in html  # the card's last digits, masked as on the public lists


def test_the_page_lists_published_payments_with_their_notice_and_full_payee_names(client, disclosed):
    wang = disclosed.households[0]
    html = client.get(f"/h/{household_current_token(wang)}").content.decode()
    assert "已公示" in html and "待公示" not in html
    assert "王小明" in html  # the same name rule as the public lists: payees in full
    assert disclosed.notices["payment:3"].code in html
    for member in wang.members.all():
        assert member.id_number not in html


def test_a_wrong_or_renewed_link_opens_nothing_and_looks_like_any_other_wrong_link(client, disclosed, city):
    wang = disclosed.households[0]
    old = household_current_token(wang)
    assert client.get(f"/h/{old[:-1]}{'a' if old[-1] != 'a' else 'b'}").status_code == 404
    assert client.get("/h/short").status_code == 404

    renewed = household_link_renew(actor=city.accounts["township1"], household_id=wang.pk)
    assert client.get(f"/h/{old}").status_code == 404
    assert client.get(f"/h/{household_current_token(renewed)}").status_code == 200


def test_the_owner_with_the_right_link_is_served_even_after_someone_guessed_from_the_same_network(client, disclosed):
    wang = disclosed.households[0]
    for n in range(25):
        client.get(f"/h/0000{n:02d}abcdefg"[:14])
    assert client.get("/h/00001zzzzzzz").status_code == 429  # guessing stops
    assert client.get(f"/h/{household_current_token(wang)}").status_code == 200  # the owner never locked out


def test_renewing_a_link_needs_the_capability_and_the_jurisdiction_and_leaves_an_audit_row(disclosed, city):
    from auditlog.models import LogEntry

    from sunshine.core.errors import Forbidden, NotFound

    wang = disclosed.households[0]
    with pytest.raises(Forbidden):
        household_link_renew(actor=city.accounts["discipline"], household_id=wang.pk)
    with pytest.raises(NotFound):  # another township's household: as if it did not exist
        household_link_renew(actor=city.accounts["township2"], household_id=wang.pk)
    household_link_renew(actor=city.accounts["township1"], household_id=wang.pk)
    entry = LogEntry.objects.get_for_object(wang).filter(changes__icontains="link_generation").latest("timestamp")
    assert entry.actor == city.accounts["township1"]


def test_township_staff_renew_a_link_from_the_desk_and_the_old_one_stops_working(client, disclosed, city, login):
    wang = disclosed.households[0]
    old = household_current_token(wang)
    desk = login(city.accounts["township1"])
    page = desk.get(f"/desk/households/{wang.pk}/").content.decode()
    assert "重新生成个人链接" in page
    response = desk.post(f"/desk/households/{wang.pk}/link/renew/")
    assert response.status_code == 302
    assert "旧链接已失效" in desk.get(response["Location"]).content.decode()
    desk.logout()
    assert client.get(f"/h/{old}").status_code == 404
    wang.refresh_from_db()
    assert client.get(f"/h/{household_current_token(wang)}").status_code == 200

"""Every public page and API answer, rendered over seeded data: no full ID number, mobile or card number anywhere."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Bordered by anything but letters and digits, so a run inside a SHA-256 hash is not taken for a number.
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
FULL_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
FULL_CARD = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
GROUPED_CARD = re.compile(r"(?<!\d)\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)")


def _public_pages(d) -> list[str]:
    notices = [n.code for n in d.notices.values()]
    corrections = [n.ledger_entries.order_by("-seq").first().code for n in d.notices.values()]
    return [
        reverse("portal:home"),
        reverse("portal:funds_townships"),
        reverse("portal:funds_township", args=[d.township.code]),
        reverse("portal:funds_village", args=[d.village.code]),
        reverse("portal:funds_village", args=[d.village.code]) + "?payments=1",
        reverse("portal:funds_check") + f"?village={d.village.code}",
        reverse("portal:funds_verify"),
        *[reverse("portal:funds_verify") + f"?code={c}" for c in notices],
        *[reverse("portal:funds_notice", args=[c]) for c in notices + corrections],
        *[reverse("portal:objection_fallback") + f"?about_type=funds.payment&about_id={p.pk}"
          for p in [*d.payments, d.corrected, d.draft_payment]],
        reverse("portal:objection_fallback") + f"?about_type=funds.transaction&about_id={d.transactions[1].pk}",
    ]


def _public_api(d) -> list[str]:
    base = "/api/v1/public"
    v, t = d.village.code, d.township.code
    urls = [f"{base}/townships", f"{base}/townships/{t}", f"{base}/townships/{t}/allocations",
            f"{base}/townships/{t}/notices", f"{base}/villages/{v}"]
    urls += [f"{base}/villages/{v}/{section}" for section in
             ("allocations", "projects", "transactions", "payments", "notices")]
    for n in d.notices.values():
        urls += [f"{base}/notices/{n.code}", f"{base}/notices/{n.code}/records"]
    return urls


def _assert_masked(text: str, secrets: list[str], where: str) -> None:
    for pattern in (FULL_ID, FULL_MOBILE, FULL_CARD, GROUPED_CARD):
        found = pattern.findall(text)
        assert not found, f"{where}: unmasked {found[:3]}"
    compact = re.sub(r"[\s-]", "", text)
    for secret in secrets:
        assert secret not in compact, f"{where}: contains {secret[:4]}…"


def test_every_public_page_masks_ids_phones_and_cards(client, disclosed):
    for url in _public_pages(disclosed):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_masked(response.content.decode(), disclosed.secrets, url)


def test_every_public_api_answer_masks_ids_phones_and_cards(client, disclosed):
    for url in _public_api(disclosed):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_masked(response.content.decode("unicode_escape"), disclosed.secrets, url)


def test_the_household_check_answer_is_masked_on_the_page_and_in_the_api(client, disclosed):
    for household in disclosed.households:
        last4 = household.head_id_number[-4:]
        page = client.post(reverse("portal:funds_check"),
                           {"village": disclosed.village.code, "name": household.head_name, "last4": last4})
        api = client.post("/api/v1/public/household-check", {"village_code": disclosed.village.code,
                          "name": household.head_name, "id_last4": last4}, content_type="application/json")
        assert page.status_code == api.status_code == 200
        _assert_masked(page.content.decode(), disclosed.secrets, "check page")
        _assert_masked(api.content.decode("unicode_escape"), disclosed.secrets, "check api")


def test_masked_forms_are_what_the_public_sees(client, disclosed):
    wang = disclosed.households[0]
    body = client.get(f"/api/v1/public/villages/{disclosed.village.code}/payments").json()
    mine = [p for p in body["items"] if p["payee_name"] == "王小明"]
    assert mine and all(p["card_masked"] == "**** **** **** 3456" for p in mine)
    assert mine[0]["payee_id_masked"] == wang.head_id_number[:6] + "********" + wang.head_id_number[-4:]
    purposes = client.get(f"/api/v1/public/villages/{disclosed.village.code}/transactions").json()["items"]
    assert any("137****4321" in t["purpose"] for t in purposes)  # a phone typed into a purpose is masked too


def test_a_notices_contact_number_shows_an_office_landline_and_masks_a_mobile():
    from sunshine.funds.public import public_phone

    assert public_phone("0731-56781234") == "0731-56781234"
    assert public_phone("13912345678") == "139****5678"


def test_the_leak_detectors_catch_raw_values_but_not_hashes_or_region_codes(disclosed):
    wang = disclosed.households[0]
    leaky = f"<td>{wang.head_id_number}</td><td>{wang.phone}</td><td>6217002710000123456</td><td>6217 0027 1000 0123</td>"
    for pattern in (FULL_ID, FULL_MOBILE, FULL_CARD, GROUPED_CARD):
        assert pattern.search(leaky), pattern.pattern
    clean = f"{disclosed.village.code} a1234567890123456789b {disclosed.notices['payment:3'].code} ¥12000.00"
    for pattern in (FULL_ID, FULL_MOBILE, FULL_CARD, GROUPED_CARD):
        assert not pattern.search(clean), pattern.pattern

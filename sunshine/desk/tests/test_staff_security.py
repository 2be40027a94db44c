"""Staff accounts: lockout per account and address, two-factor login, recovery codes, password rules and session
limits — each step leaving exactly one audit record."""
from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sunshine.core.models import AuditRecord
from sunshine.desk.security import SESSION_SEEN, SESSION_STARTED
from sunshine.org.testing import TEST_PASSWORD, login_verified, totp_code, totp_device

pytestmark = pytest.mark.django_db
OFFICE = "203.0.113.10"
STRANGER = "198.51.100.66"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _post_login(client, username, password, address=OFFICE):
    return client.post("/desk/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _events(*names):
    return list(AuditRecord.objects.filter(event__in=names).values_list("event", flat=True))


# ---- lockout -----------------------------------------------------------------------------------------------------

def test_five_wrong_passwords_lock_the_account_from_that_address_even_for_the_right_password(city):
    officer = city.accounts["township1"]
    statuses = [_post_login(Client(), officer.username, "wrong-password-1").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = Client()
    response = _post_login(locked, officer.username, TEST_PASSWORD)
    assert response.status_code == 429 and "锁定 30 分钟" in response.content.decode()
    assert "_auth_user_id" not in locked.session
    assert _events("lockout") == ["lockout"]  # one record for the lock, not one per refused attempt
    assert len(_events("login_failed")) == 6
    assert AuditRecord.objects.filter(event="login_failed", detail__locked=True).count() == 1


def test_a_stranger_elsewhere_cannot_lock_the_officer_out(city):
    officer = city.accounts["township1"]
    for _ in range(8):
        _post_login(Client(), officer.username, "guessing-password", address=STRANGER)
    at_the_office = Client()
    response = _post_login(at_the_office, officer.username, TEST_PASSWORD, address=OFFICE)
    assert response.status_code == 302 and at_the_office.session["_auth_user_id"] == str(officer.pk)


def test_one_address_guessing_across_many_accounts_is_throttled(city):
    names = [a.username for a in city.accounts.values()]
    for n in range(20):  # 20 failures, never 5 on one account
        _post_login(Client(), names[n % len(names)], "guessing-password", address=STRANGER)
    response = _post_login(Client(), city.accounts["township2"].username, TEST_PASSWORD, address=STRANGER)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_a_failed_login_records_the_account_but_never_what_was_typed(city):
    _post_login(Client(), "township1", "my-secret-guess")
    _post_login(Client(), "Pa55word-typed-as-name", "x")
    records = list(AuditRecord.objects.filter(event="login_failed").order_by("id"))
    assert records[0].object_id == str(city.accounts["township1"].pk) and records[1].object_id == ""
    dumped = str([(r.detail, r.actor_name, r.object_id) for r in records])
    assert "my-secret-guess" not in dumped and "Pa55word" not in dumped


# ---- two-factor login ------------------------------------------------------------------------------------------

def test_a_password_alone_opens_nothing_until_the_code_is_given(city):
    officer = city.accounts["township1"]
    device = totp_device(officer)
    client = Client()
    response = _post_login(client, officer.username, TEST_PASSWORD)
    assert response.status_code == 302
    home = client.get("/desk/")
    assert home.status_code == 302 and home["Location"].startswith("/desk/2fa/verify/")
    assert client.get("/api/v1/cases/cases").status_code == 401
    response = client.post("/desk/2fa/verify/", {"code": totp_code(device), "next": "/desk/"})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    assert client.get("/api/v1/cases/cases").status_code == 200
    assert _events("login", "otp_verified") == ["login", "otp_verified"]


def test_a_used_code_cannot_be_used_again(city):
    officer = city.accounts["township1"]
    device = totp_device(officer)
    code = totp_code(device)
    first, second = Client(), Client()
    _post_login(first, officer.username, TEST_PASSWORD)
    assert first.post("/desk/2fa/verify/", {"code": code})["Location"] == "/desk/"
    _post_login(second, officer.username, TEST_PASSWORD)
    replay = second.post("/desk/2fa/verify/", {"code": code})
    assert replay.status_code == 200 and "已使用过" in replay.content.decode()
    assert second.get("/desk/").status_code == 302
    assert _events("otp_failed") == ["otp_failed"]
    assert code not in str(list(AuditRecord.objects.values_list("detail", flat=True)))


def test_a_new_account_enrols_its_authenticator_and_gets_recovery_codes_once(city):
    officer = city.accounts["village1"]
    client = Client()
    _post_login(client, officer.username, TEST_PASSWORD)
    response = client.get("/desk/")
    assert response["Location"].startswith("/desk/2fa/setup/")
    page = client.get(response["Location"]).content.decode()
    assert "data:image/svg+xml;base64," in page and "扫描" in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    done = client.post("/desk/2fa/setup/", {"code": totp_code(device)})
    codes = list(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert client.get("/desk/").status_code == 200
    assert _events("otp_enrolled") == ["otp_enrolled"]

    # Phone lost: a recovery code stands in for the code once, and only once.
    for attempt, expected in ((1, 302), (2, 200)):
        other = Client()
        _post_login(other, officer.username, TEST_PASSWORD)
        response = other.post("/desk/2fa/verify/", {"code": codes[0].upper()})
        assert response.status_code == expected, attempt
    assert StaticToken.objects.filter(device__user=officer).count() == 9
    assert _events("recovery_code_used") == ["recovery_code_used"]


def test_in_the_demo_a_password_is_enough_but_an_enrolled_account_still_needs_its_code(city, settings):
    settings.SUNSHINE_REQUIRE_2FA = False
    plain, enrolled = Client(), Client()
    _post_login(plain, "township1", TEST_PASSWORD)
    assert plain.get("/desk/").status_code == 200
    totp_device(city.accounts["township2"])
    _post_login(enrolled, "township2", TEST_PASSWORD)
    assert enrolled.get("/desk/").status_code == 302


def test_the_admin_site_logs_in_through_the_same_staff_login():
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/desk/login/")


# ---- passwords -------------------------------------------------------------------------------------------------

def test_passwords_are_hashed_with_argon2id(settings):
    from sunshine.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the test settings hash fast with MD5
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert make_password("a long enough password", hasher="argon2").startswith("argon2$argon2id$")


@pytest.mark.parametrize("password", ["short-pw-11", "password1234", "123456789012", "1q2w3e4r5t6y"])
def test_short_or_common_passwords_are_refused(password):
    from django.contrib.auth.password_validation import get_password_validators

    from sunshine.settings import base

    validators = get_password_validators(base.AUTH_PASSWORD_VALIDATORS)
    with pytest.raises(ValidationError):
        validate_password(password, password_validators=validators)
    validate_password("青山绿水-Ledger-2026", password_validators=validators)


# ---- sessions ----------------------------------------------------------------------------------------------------

def _age_session(client, *, started_ago: float = 0, seen_ago: float = 0):
    session = client.session
    session[SESSION_STARTED] = time.time() - started_ago
    session[SESSION_SEEN] = time.time() - seen_ago
    session.save()


@pytest.mark.parametrize(("started_ago", "seen_ago", "reason"), [
    (2 * 3600, 31 * 60, "idle"), (12 * 3600 + 5, 60, "absolute"),
])
def test_a_session_ends_after_30_idle_minutes_or_12_hours(city, started_ago, seen_ago, reason):
    client = login_verified(Client(), city.accounts["township1"])
    _age_session(client, started_ago=29 * 60, seen_ago=29 * 60)
    assert client.get("/desk/").status_code == 200
    _age_session(client, started_ago=started_ago, seen_ago=seen_ago)
    response = client.get("/desk/")
    assert response.status_code == 302 and response["Location"].startswith("/desk/login/")
    assert client.get("/desk/").status_code == 302
    assert AuditRecord.objects.filter(event="logout", detail__reason=reason).count() == 1


def test_the_session_key_changes_at_login(city):
    client = Client()
    client.get("/desk/login/")
    session = client.session
    session["before"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    _post_login(client, "township1", TEST_PASSWORD)
    assert client.cookies["sessionid"].value != before


def test_changing_the_password_ends_the_other_sessions(city):
    officer = city.accounts["township1"]
    here, elsewhere = login_verified(Client(), officer), login_verified(Client(), officer)
    new_password = "新的-Strong-Passw0rd"
    response = here.post("/desk/password/", {"old_password": TEST_PASSWORD, "new_password1": new_password,
                                             "new_password2": new_password})
    assert response.status_code == 302
    assert here.get("/desk/").status_code == 200
    assert elsewhere.get("/desk/").status_code == 302
    assert _events("password_change") == ["password_change"]


@pytest.mark.parametrize(("minutes_ago", "expected"), [(29, 429), (31, 302)])
def test_the_lock_lasts_30_minutes(city, minutes_ago, expected):
    import datetime as dt

    from axes.models import AccessAttempt
    from django.utils import timezone

    officer = city.accounts["township1"]
    for _ in range(5):
        _post_login(Client(), officer.username, "wrong-password-1")
    assert _post_login(Client(), officer.username, TEST_PASSWORD).status_code == 429
    cache.clear()  # only the lock in the database decides here (the per-address throttle is another limit)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=minutes_ago))
    assert _post_login(Client(), officer.username, TEST_PASSWORD).status_code == expected


def test_a_new_forwarded_header_on_each_guess_does_not_get_past_the_lock(city):
    officer = city.accounts["township1"]
    statuses = [Client().post("/desk/login/", {"username": officer.username, "password": "wrong-password-1"},
                              REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR=f"10.9.8.{n}").status_code for n in range(5)]
    assert statuses[-1] == 429
    locked = Client().post("/desk/login/", {"username": officer.username, "password": TEST_PASSWORD},
                           REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR="10.9.8.200")
    assert locked.status_code == 429

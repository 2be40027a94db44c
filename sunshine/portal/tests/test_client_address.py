"""Per-address limits key on the address our own proxies saw, so a client-written X-Forwarded-For changes nothing."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from sunshine.cases.models import Report
from sunshine.core.ratelimit import client_ip
from sunshine.portal.tests.test_report_pages import FORM, STATUS, solve


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()  # the limits these tests exhaust for 127.0.0.1 must not hold up the next test

def _request(remote_addr: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_by_default_the_socket_address_counts_and_the_header_is_ignored(settings):
    settings.SUNSHINE_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


@pytest.mark.parametrize(("proxies", "header", "expected"), [
    (1, "198.51.100.7", "198.51.100.7"),                       # nginx set the one entry
    (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),              # a client-written entry on the left is ignored
    (1, "1.2.3.4, 5.6.7.8, 198.51.100.7", "198.51.100.7"),
    (2, "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),    # load balancer + nginx
    (2, "198.51.100.7", "127.0.0.1"),                          # too short: did not come through both proxies
    (1, "not-an-address", "127.0.0.1"),
    (1, "", "127.0.0.1"),
])
def test_behind_trusted_proxies_the_outermost_proxys_entry_counts(settings, proxies, header, expected):
    settings.SUNSHINE_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request("127.0.0.1", header)) == expected


def _report(client, n: int, forwarded: str):
    answer, token = solve(client.get(FORM).content.decode())
    return client.post(FORM, {"text": f"第{n}件事：扶贫款被截留", "challenge_answer": answer,
                              "challenge_token": token}, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_new_forwarded_header_on_each_report_does_not_get_past_the_per_address_limit(client, city, settings,
                                                                                       proxies):
    settings.SUNSHINE_TRUSTED_PROXY_COUNT = proxies
    # With one proxy, nginx appends the real address after whatever the client wrote.
    statuses = [_report(client, n, f"10.9.8.{n}" + (", 198.51.100.7" if proxies else "")).status_code
                for n in range(8)]
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}
    assert Report.objects.count() == 5


def test_a_new_forwarded_header_on_each_receipt_lookup_does_not_get_past_its_limit(client, city):
    answers = [client.post(STATUS, {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"},
                           HTTP_X_FORWARDED_FOR=f"10.9.8.{n}").status_code for n in range(25)]
    assert 429 in answers


def test_a_new_forwarded_header_on_each_self_check_does_not_get_past_its_limit(client, disclosed):
    from sunshine.funds.public import LOOKUP_PER_IP

    wang = disclosed.households[0]
    answers = [client.post("/api/v1/public/household-check",
                           {"village_code": disclosed.village.code, "name": "王小明",
                            "id_last4": wang.head_id_number[-4:]},
                           content_type="application/json", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}").status_code
               for n in range(LOOKUP_PER_IP.count + 1)]
    assert answers == [200] * LOOKUP_PER_IP.count + [429]

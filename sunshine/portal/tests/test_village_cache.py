"""The village page is kept whole in the cache until its data changes: a second visit costs one query, and every
write that changes what it shows (a notice published, a published record corrected, a project's stage, a
township-wide allocation) shows at the very next visit. The cached page varies with the language and 大字版."""
from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db
ONE_QUERY = 1  # finding the village by its code; the page itself comes from the cache


def _url(village):
    return reverse("portal:funds_village", args=[village.code])


def _actor():
    from sunshine.org.models import Account

    return Account.objects.get(username="township1")


def _publish(kind, scope, ids):
    from sunshine.funds.services.notices import notice_create, notice_publish

    actor = _actor()
    return notice_publish(actor=actor, notice=notice_create(actor=actor, kind=kind, scope_region=scope,
                                                            record_ids=ids, starts_on=timezone.localdate()))


def test_a_second_visit_is_served_from_the_cache_with_one_query(client, disclosed, django_assert_max_num_queries):
    first = client.get(_url(disclosed.village))
    with django_assert_max_num_queries(ONE_QUERY):
        second = client.get(_url(disclosed.village))
    assert second.status_code == 200 and "王小明"[0] in second.content.decode()
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", first.content) == token.sub(b"", second.content)


def test_a_published_payment_shows_at_the_next_visit(client, disclosed, django_capture_on_commit_callbacks):
    from sunshine.funds.services.records import payment_create

    assert "孙新发" not in client.get(_url(disclosed.village)).content.decode()
    household = make_household(disclosed.village, head_name="孙新发")
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_create(actor=_actor(), household=household, fund_item="产业奖补", amount="321.00",
                                 paid_on=timezone.localdate(), bank_card="6217002710000555666")
        _publish("payment", disclosed.village, [payment.pk])
    assert "孙" in client.get(_url(disclosed.village)).content.decode().split("321.00")[0][-400:]


def test_a_project_stage_and_a_correction_show_at_the_next_visit(client, disclosed,
                                                                django_capture_on_commit_callbacks):
    from sunshine.funds.services.projects import project_transition
    from sunshine.funds.services.records import record_correct

    assert "已登记备案" not in client.get(_url(disclosed.village)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        project_transition(actor=_actor(), project=disclosed.project, to_status="filed")
    assert "已登记备案" in client.get(_url(disclosed.village)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        record_correct(actor=_actor(), record=disclosed.payments[0], reason="金额更正为1499元",
                       changes={"amount": "1499.00"})
    assert "1,499.00" in client.get(_url(disclosed.village)).content.decode() \
        or "1499.00" in client.get(_url(disclosed.village)).content.decode()


def test_a_township_wide_notice_shows_on_its_village_pages_at_once(client, disclosed,
                                                                 django_capture_on_commit_callbacks):
    from sunshine.funds.services.records import allocation_create

    client.get(_url(disclosed.village))
    with django_capture_on_commit_callbacks(execute=True):
        allocation = allocation_create(
            actor=_actor(), level="city", document_number="湘乡财〔2026〕99号", fund_type="以工代赈资金",
            amount="70000.00", allocated_on=timezone.localdate(), recipient_kind="township",
            region=disclosed.township)
        notice = _publish("allocation", disclosed.township, [allocation.pk])
    assert notice.code in client.get(_url(disclosed.village)).content.decode()


def test_the_cached_page_varies_with_language_and_large_type(client, disclosed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chinese = client.get(_url(disclosed.village)).content.decode()
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = english_client.get(_url(disclosed.village)).content.decode()
    assert english != chinese and 'lang="en"' in english
    large_client = Client()
    large_client.cookies["sunshine_large"] = "1"
    with CaptureQueriesContext(connection) as queries:
        large_client.get(_url(disclosed.village))
    assert len(queries) > ONE_QUERY  # built afresh: not the normal-type page from the cache


def test_every_visitor_of_a_cached_page_gets_a_working_token_of_their_own(disclosed):
    Client().get(_url(disclosed.village))  # builds and caches the page
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(_url(disclosed.village)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert "__sunshine_csrf_token__" not in page
    response = visitor.post(reverse("set_language"), {"language": "en", "next": "/",
                                                      "csrfmiddlewaretoken": token})
    assert response.status_code == 302

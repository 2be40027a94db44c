"""The public JSON API under /api/v1/public/: no login, documented, paged, the same data as the pages."""
from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

BASE = "/api/v1/public"


def test_every_public_route_is_documented_without_authentication_and_with_its_responses(client):
    doc = client.get("/api/v1/openapi.json").json()
    public = {path: ops for path, ops in doc["paths"].items() if path.startswith(BASE)}
    assert f"{BASE}/villages/{{code}}/payments" in public
    assert f"{BASE}/household-check" in public
    for path, ops in public.items():
        for method, op in ops.items():
            assert not op.get("security"), f"{method} {path} asks for credentials"
            assert {"200", "201"} & set(op["responses"]), f"{method} {path}"
            if "{code}" in path:
                assert "404" in op["responses"], f"{method} {path}"
    check = public[f"{BASE}/household-check"]["post"]
    assert {"200", "400", "404", "429"} <= set(check["responses"])
    schema = doc["components"]["schemas"]["PaymentOut"]["properties"]
    assert "card_masked" in schema and "bank_card" not in schema and "payee_id_number" not in schema


def test_the_village_sections_answer_anonymously_and_page_with_offset_and_limit(client, disclosed):
    code = disclosed.village.code
    first = client.get(f"{BASE}/villages/{code}/payments", {"limit": 2}).json()
    second = client.get(f"{BASE}/villages/{code}/payments", {"limit": 2, "offset": 2}).json()
    assert first["has_next"] is True and len(first["items"]) == 2
    assert second["has_next"] is False and len(second["items"]) == 1
    assert {p["id"] for p in first["items"]}.isdisjoint({p["id"] for p in second["items"]})
    projects = client.get(f"{BASE}/villages/{code}/projects").json()["items"]
    assert projects[0]["status_name"] == "已审批" and projects[0]["stage_number"] == 2
    summary = client.get(f"{BASE}/villages/{code}").json()["summary"]
    assert summary["allocated_total"] == "50000.00" and summary["balance"] == "78800.00"


def test_a_limit_beyond_the_maximum_is_refused_with_a_422(client, disclosed):
    response = client.get(f"{BASE}/villages/{disclosed.village.code}/payments", {"limit": 10_000})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_an_unknown_village_is_a_json_404(client, city):
    response = client.get(f"{BASE}/villages/000000000000/payments")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_notice_answers_with_its_ledger_entries_verification_and_records(client, disclosed):
    notice = disclosed.notices["payment:3"]
    body = client.get(f"{BASE}/notices/{notice.code}").json()
    assert body["verification"]["ok"] is True
    assert [e["kind"] for e in body["ledger"]] == ["publish", "correct"]
    assert body["ledger"][0]["seq"] < body["ledger"][1]["seq"]
    assert all(len(e["entry_hash"]) == 64 and len(e["prev_hash"]) == 64 for e in body["ledger"])
    records = client.get(f"{BASE}/notices/{notice.code}/records").json()
    assert records["count"] == 3
    corrected = [r for r in records["items"] if r["corrected_by_id"]]
    assert len(corrected) == 1 and "金额录入错误" in corrected[0]["corrected_by_reason"]
    assert all(r["payment"]["card_masked"].startswith("****") for r in records["items"])


def test_public_api_answers_may_be_cached_but_the_household_check_never(client, disclosed):
    assert "max-age=60" in client.get(f"{BASE}/villages/{disclosed.village.code}")["Cache-Control"]
    wang = disclosed.households[0]
    response = client.post(f"{BASE}/household-check", {"village_code": disclosed.village.code, "name": "王小明",
                                                       "id_last4": wang.head_id_number[-4:]},
                           content_type="application/json")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index plans are PostgreSQL's")
def test_the_self_check_queries_can_use_their_indexes(disclosed):
    from sunshine.org.models import Household, HouseholdMember

    wang = disclosed.households[0]
    queries = [
        (Household.objects.filter(village_id=wang.village_id, head_name="王小明"), "org_household_village_head"),
        (HouseholdMember.objects.filter(name="王小明", household__village_id=wang.village_id), "org_member_name"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny test tables: ask whether the index is usable
        for qs, index in queries:
            sql, params = qs.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan


def test_a_page_of_payments_takes_a_fixed_number_of_queries(client, disclosed, django_assert_max_num_queries):
    # village 1, payments 1, their notice codes 1 (+2 to walk back from a correction to its notice)
    for limit in (1, 50):
        with django_assert_max_num_queries(5):
            response = client.get(f"{BASE}/villages/{disclosed.village.code}/payments", {"limit": limit})
        assert response.status_code == 200

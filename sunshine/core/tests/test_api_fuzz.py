"""Property-based fuzzing of the whole JSON API from its OpenAPI document, as every role and as a stranger, against a
small seeded city: no request, however malformed, is a 500, and every answer keeps to the schema's declared statuses
and shapes.

Random ids almost never name a record, so a fuzzer alone would only ever see 404s. Each operation's path (and id
filter) parameters are therefore drawn, most of the time, from the records the caller may see (the same jurisdiction
mechanism the API uses), and the first example of every operation and role always names one: every operation is
exercised with real objects, and with foreign or missing ones. Public operations (no login) answer everyone
alike and are fuzzed once, as a stranger.

PostgreSQL only (the CI's second run): the seeded city takes about half a minute to build, once per session, and the
whole module takes about 2 minutes of CPU (193 operation × caller pairs, 5 examples each); SQLite runs keep the
other tests fast.
"""
from __future__ import annotations

import zlib

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the per-role fuzz runs in the PostgreSQL run only (it seeds a city: about half a minute)",
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
EXAMPLES_PER_OPERATION = 5
FUZZ = settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.function_scoped_fixture])
# One demo account per role (README's table), and no login at all.
CALLERS = ["admin", "secretary", "office", "discipline", "inspection", "audit", "department", "township", "village",
           None]
SMALL_CITY = {"households": 300, "townships": 3, "villages": 12}


def _visible_ids(model_path: str):
    def pool(account):
        from django.apps import apps

        from sunshine.org.jurisdiction import visible

        model = apps.get_model(model_path)
        return list(visible(model.objects.order_by("pk"), actor=account).values_list("pk", flat=True)[:200])

    return pool


def _codes(level: str):
    def pool(account):
        from sunshine.org.choices import RegionLevel
        from sunshine.org.models import Region

        level_value = RegionLevel[level]
        return list(Region.objects.filter(level=level_value).order_by("code").values_list("code", flat=True))

    return pool


def _notice_codes(account):
    from sunshine.funds.models import Notice

    return list(Notice.objects.order_by("pk").values_list("code", flat=True)[:50])


# The path segment before a parameter names what it points at; the same names serve the id filters of lists.
POOLS = {
    "cases": _visible_ids("cases.Case"), "case_id": _visible_ids("cases.Case"),
    "messages": _visible_ids("notify.SmsMessage"),
    "households": _visible_ids("org.Household"), "household_id": _visible_ids("org.Household"),
    "people": _visible_ids("org.Person"), "person_id": _visible_ids("org.Person"),
    "regions": _visible_ids("org.Region"), "region_id": _visible_ids("org.Region"),
    "parent_id": _visible_ids("org.Region"),
    "units": _visible_ids("org.Unit"), "unit_id": _visible_ids("org.Unit"),
    # i13a: oversight's field work
    "visits": _visible_ids("oversight.Visit"), "petitions": _visible_ids("oversight.LeaderAssignment"),
    "rectifications": _visible_ids("oversight.RectificationItem"),
    "townships": _codes("TOWNSHIP"), "villages": _codes("VILLAGE"), "notices": _notice_codes,
    "receipts": lambda account: ["aliyun", "tencent", "console"],
}


@pytest.fixture(scope="module")
def fuzz_city(django_db_setup, django_db_blocker):
    """The small demo city (`seed_demo --households 300 --townships 3 --villages 12`), built once inside an outer
    transaction that is rolled back when the module ends, so the rest of the suite still finds an empty city. Each
    test's own transaction is a savepoint inside it."""
    from django.core.management import call_command
    from django.db import transaction

    from sunshine.core.api_auth import token_issue
    from sunshine.org.models import Account

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", verbosity=0, **SMALL_CITY)
            tokens = {name: token_issue(account=Account.objects.get(username=name), name="fuzz")
                      for name in CALLERS if name}
            yield tokens
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The raw WSGI app fires request signals that close "old" connections, which would close the test's
    transaction on PostgreSQL; Django's own test Client disconnects the same handler."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


_pools: dict[tuple[str, str | None], list] = {}
_named_a_visible_record: set[tuple[str, str, str | None]] = set()


def _pool(key: str, caller: str | None) -> list:
    if key not in POOLS or caller is None:
        return []
    if (key, caller) not in _pools:
        from sunshine.org.models import Account

        _pools[key, caller] = POOLS[key](Account.objects.get(username=caller))
    return _pools[key, caller]


def _choose(generated, pool: list, *, force: bool):
    """A record the caller may see, picked by the generated value; one example in four keeps the fuzzer's own."""
    digest = zlib.crc32(repr(generated).encode())
    if not pool or (not force and digest % 4 == 0):
        return generated
    return pool[digest % len(pool)]


def _aim_at_visible_records(case, caller: str | None) -> None:
    segments = case.operation.path.strip("/").split("/")
    operation = f"{case.method} {case.operation.path}"
    for name in list(case.path_parameters or {}):
        before = segments[segments.index("{" + name + "}") - 1]
        pool = _pool(before, caller)
        force = (operation, name, caller) not in _named_a_visible_record
        case.path_parameters[name] = _choose(case.path_parameters[name], pool, force=force)
        if pool:
            _named_a_visible_record.add((operation, name, caller))
    for name in list(case.query or {}):
        pool = _pool(name, caller)
        if pool and isinstance(case.query[name], int):
            case.query[name] = _choose(case.query[name], pool, force=False)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS, ids=lambda name: name or "anonymous")
@schema.parametrize()
@FUZZ
def test_the_api_never_answers_500_and_keeps_to_its_schema(case, caller, fuzz_city):
    if caller is not None and "security" not in case.operation.definition.raw:
        pytest.skip("a public operation answers everyone alike: fuzzed once, without a login")
    _aim_at_visible_records(case, caller)
    headers = {"Authorization": f"Bearer {fuzz_city[caller]}"} if caller else {}
    response = case.call_and_validate(
        headers=headers, checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
    assert response.status_code < 500

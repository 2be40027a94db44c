"""Project-wide pytest fixtures. Browser tests use Debian's Chromium (Playwright cannot download its own here)."""
from __future__ import annotations

import logging
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
# py4j (PySpark's bridge) logs "Closing down clientserver connection" from __del__ after pytest has closed its
# streams, which printed a "Logging error" traceback at the end of every run with the Spark parity test.
logging.getLogger("py4j").setLevel(logging.WARNING)

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def city(db):
    from sunshine.org.testing import build_mini_city

    return build_mini_city()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Let serialized_rollback work in browser tests that run after the test database was created.

    Once Playwright's sync API runs, `django.db.connections` hands this thread fresh wrapper objects (its
    storage is context-local), which lack the `_test_serialized_contents` captured at setup: a transactional
    test's flush then wiped the migrations' reference data (problem types, member units, SMS templates) for
    every later test. Kept on the wrapper class, the serialized data is found by every wrapper.
    """
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            "args": CHROMIUM_ARGS}


@pytest.fixture
def login(client):
    """Log the Django test client in as one of the mini city's accounts: `login(city.accounts["township1"])`,
    with its second factor passed (the suite runs with two-factor login on, as production does)."""
    from sunshine.org.testing import login_verified

    def _login(account):
        return login_verified(client, account)

    return _login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the mini city's village codes are the same in every test, so a
    village page cached by an earlier test in the same process (pytest-xdist runs modules in any order) would be
    served to a later one, and rate-limit counters would carry over."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _rate_limit_windows_do_not_turn_during_a_test(monkeypatch):
    """The rate limits count in fixed windows (a minute, ten minutes, an hour: all divide an hour). A test that
    makes its 11 or 25 requests across a window's end, as a loaded CI machine sometimes did, saw its count start
    again and no 429. The limiter's clock stands at the start of the current hour for the whole test."""
    import time
    import types

    from sunshine.core import ratelimit

    frozen = time.time() // 3600 * 3600 + 1
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: frozen))


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """A transactional test's flush recreates content types with new ids; auditlog would otherwise write log
    rows pointing at the cached, deleted ones (a foreign-key error in the next test)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield


@pytest.fixture(scope="session", autouse=True)
def _sqlite_flush_deletes_payments_before_households():
    """A transactional test's flush on SQLite deletes every table in no set order, and the household delete guard
    (funds migration 0006, a trigger) refuses to delete a household whose payments are still there. PostgreSQL
    flushes with TRUNCATE, which fires no trigger; on SQLite the payments go first."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    DatabaseOperations = type(connection.ops)
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        return sorted(statements, key=lambda sql: '"funds_householdpayment"' not in sql)

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("transaction"))


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrations' reference data (problem types, member units, SMS
    templates) after its flush, so a later test never finds those tables empty."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}),
                            append=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the migrations' reference data back right after a transactional test's closing flush.

    Django restores it only when the next transactional test starts, and runs those last; pytest-django sorts them
    last as well. Under pytest-xdist (`make test` runs two workers) each worker runs whole modules in the order it
    is handed them, so an ordinary test may follow a transactional one and would find no problem types, member
    units or SMS templates."""
    result = yield
    # After the last test the session's teardown has already dropped the test database: nothing left to restore.
    if _is_transactional(item) and nextitem is not None:
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result

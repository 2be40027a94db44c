"""An anonymous reporter's address is never stored: not in any table, not in any log line."""
from __future__ import annotations

import importlib
import logging

import pytest
from auditlog.models import LogEntry
from django.db import connection

from sunshine.portal.tests.test_report_pages import FORM, receipt_of, solve

SOCKET_ADDRESS = "203.0.113.77"
FORWARDED_ADDRESS = "198.51.100.23"


@pytest.fixture(autouse=True)
def _classifier_model(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _rows_holding(needle: str) -> list[tuple[str, str]]:
    """(table, column) of every stored value that contains `needle`, over every column of every table."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table = connection.ops.quote_name(table)
                quoted_column = connection.ops.quote_name(column.name)
                cursor.execute(f"SELECT 1 FROM {quoted_table} WHERE CAST({quoted_column} AS TEXT) LIKE %s LIMIT 1",
                               [f"%{needle}%"])
                if cursor.fetchone():
                    found.append((table, column.name))
    return found


def _submit(client, **data):
    answer, token = solve(client.get(FORM, REMOTE_ADDR=SOCKET_ADDRESS,
                                     HTTP_X_FORWARDED_FOR=FORWARDED_ADDRESS).content.decode())
    return client.post(FORM, {"challenge_answer": answer, "challenge_token": token, **data},
                       REMOTE_ADDR=SOCKET_ADDRESS, HTTP_X_FORWARDED_FOR=FORWARDED_ADDRESS,
                       HTTP_X_FORWARDED_PORT="51234")


def test_a_submitted_report_leaves_no_address_in_any_table_or_log_line(client, city, caplog):
    caplog.set_level(logging.DEBUG)
    anonymous = _submit(client, text="村里的扶贫款被截留了", township=city.townships[0].pk,
                        village=city.villages[0].pk)
    real_name = _submit(client, text="我实名反映低保优亲厚友", real_name="on", name="李四", phone="13900001111")
    assert anonymous.status_code == 200 and receipt_of(anonymous)
    assert real_name.status_code == 200
    assert LogEntry.objects.exists()  # the field-change history did record the report …
    for address in (SOCKET_ADDRESS, FORWARDED_ADDRESS):
        assert _rows_holding(address) == []  # … but nowhere an address
        assert address not in caplog.text
    assert not LogEntry.objects.exclude(remote_port=None).exists()


def test_the_data_migration_removes_addresses_stored_before(city):
    from django.apps import apps

    entry = LogEntry.objects.log_create(city.villages[0], action=LogEntry.Action.UPDATE, changes={"x": [1, 2]},
                                        force_log=True)
    LogEntry.objects.filter(pk=entry.pk).update(remote_addr=FORWARDED_ADDRESS, remote_port=51234)
    migration = importlib.import_module("sunshine.core.migrations.0005_i10a_forget_client_addresses")
    migration.forget_addresses(apps, None)
    entry.refresh_from_db()
    assert (entry.remote_addr, entry.remote_port) == (None, None)
    assert _rows_holding(FORWARDED_ADDRESS) == []

"""`sunshine backup` then `sunshine restore` into a fresh database: every table, every attachment and the keys that
read a real-name reporter's identity come back as they were."""
from __future__ import annotations

import io
import sqlite3
import tarfile

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from sunshine.cases.models import Attachment, ReporterIdentity
from sunshine.cases.tests.builders import REAL_NAME, submit
from sunshine.core.backup import _tables

PASSPHRASE = "correct horse battery staple"


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the same kind as the test database, and a function giving a cursor on it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path).cursor()
        return
    import psycopg

    from sunshine.core.backup import _conninfo

    params = dict(connection.settings_dict)
    params["NAME"] = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg.connect(_conninfo(connection.settings_dict), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{params["NAME"]}"')
    admin.execute(f'CREATE DATABASE "{params["NAME"]}"')
    opened = []

    def cursor():
        conn = psycopg.connect(_conninfo(params))
        opened.append(conn)
        return conn.cursor()

    user = f"{params['USER']}:{params['PASSWORD']}@" if params.get("PASSWORD") else f"{params.get('USER') or ''}@"
    yield f"postgres://{user}{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}", cursor
    for conn in opened:
        conn.close()
    admin.execute(f'DROP DATABASE IF EXISTS "{params["NAME"]}" WITH (FORCE)')
    admin.close()


def _counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_gives_back_rows_attachments_and_keys(
        city, settings, tmp_path, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    report, case, _ = submit(city, real_name=REAL_NAME, attachments=[_png()])
    attachment = Attachment.objects.get(report=report)
    original_file = (tmp_path / "media" / attachment.file.name).read_bytes()
    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text(PASSPHRASE + "\n")
    archive = tmp_path / "backup.tar"

    call_command("backup", str(archive), passphrase_file=passphrase_file, stdout=io.StringIO())
    with tarfile.open(archive) as tar:  # the keys travel only sealed
        names = tar.getnames()
        sealed = tar.extractfile("keys.enc").read()
    assert "keys.enc" in names and settings.FIELD_ENCRYPTION_KEYS[0].encode() not in sealed

    url, restored_cursor = fresh_database
    out = io.StringIO()
    call_command("restore", str(archive), passphrase_file=passphrase_file, database_url=url,
                 media_root=tmp_path / "restored-media", keys_out=tmp_path / "keys", stdout=out)
    assert "已恢复并核对" in out.getvalue()

    with connection.cursor() as live:
        live_counts = _counts(live, connection.vendor)
    cursor = restored_cursor()
    assert _counts(cursor, connection.vendor) == live_counts and live_counts["cases_case"] == 1
    assert (tmp_path / "restored-media" / attachment.file.name).read_bytes() == original_file
    restored_keys = (tmp_path / "keys").read_text().strip().split(",")
    assert restored_keys == list(settings.FIELD_ENCRYPTION_KEYS)
    cursor.execute("SELECT name_encrypted FROM cases_reporteridentity WHERE report_id = %s".replace(
        "%s", "?" if connection.vendor == "sqlite" else "%s"), [report.pk])
    token = cursor.fetchone()[0]
    assert token == ReporterIdentity.objects.get(report=report).name_encrypted
    assert MultiFernet([Fernet(k) for k in restored_keys]).decrypt(token.encode()).decode() == REAL_NAME["name"]

    # The database now holds a city: a second restore into it is refused rather than mixed in.
    with pytest.raises(CommandError, match="空"):
        call_command("restore", str(archive), passphrase_file=passphrase_file, database_url=url,
                     media_root=tmp_path / "other-media", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_wrong_passphrase_opens_nothing_and_a_backup_needs_a_passphrase_or_says_keys_are_kept_apart(
        city, settings, tmp_path, fresh_database, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.delenv("SUNSHINE_BACKUP_PASSPHRASE", raising=False)
    archive = tmp_path / "backup.tar"
    with pytest.raises(CommandError, match="--without-keys"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert not archive.exists()

    monkeypatch.setenv("SUNSHINE_BACKUP_PASSPHRASE", PASSPHRASE)
    call_command("backup", str(archive), stdout=io.StringIO())
    monkeypatch.setenv("SUNSHINE_BACKUP_PASSPHRASE", "not the passphrase at all")
    url, _ = fresh_database
    with pytest.raises(CommandError, match="口令不对"):
        call_command("restore", str(archive), database_url=url, media_root=tmp_path / "restored-media",
                     stdout=io.StringIO())

    kept_apart = tmp_path / "kept-apart.tar"
    call_command("backup", str(kept_apart), without_keys=True, stdout=io.StringIO())
    with tarfile.open(kept_apart) as tar:
        assert "keys.enc" not in tar.getnames()

"""`sunshine backup` / `sunshine restore`: the database, the attachments (MEDIA_ROOT) and the keys that read the
encrypted reporter identities, in one tar archive that a restore checks row by row against what was saved.

The archive holds:
  manifest.json     format, time, database vendor, a fingerprint of every table (row count and an order-free hash
                    of the rows) and of every media file (size, sha256), and how the keys are protected
  database.dump     pg_dump's custom format (PostgreSQL), or database.sqlite3 (SQLite's online backup API)
  media/…           the attachments, as stored
  keys.enc          FIELD_ENCRYPTION_KEYS encrypted with a passphrase (scrypt, then Fernet); absent when the
                    backup was made with --without-keys (the keys are then kept apart, e.g. in the secrets vault)

The passphrase is never stored: it comes from a file (--passphrase-file) or SUNSHINE_BACKUP_PASSPHRASE and is kept
apart from the archives, so a stolen archive alone reveals no reporter.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection

FORMAT = "sunshine-backup/1"
# scrypt cost: about a tenth of a second and 32 MiB per try, so guessing a passphrase is slow (RFC 7914's
# interactive figures doubled).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
PG_ROW_HASH = "('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint"  # 60 bits of each row's md5, summed


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """Where a restore writes: a PostgreSQL database (libpq conninfo) or an SQLite file."""

    vendor: str
    dsn: str = ""
    path: Path | None = None


def target_from_url(url: str | None) -> Target:
    if not url:
        db = connection.settings_dict
        if db["ENGINE"].endswith("sqlite3"):
            return Target("sqlite", path=Path(db["NAME"]))
        return Target("postgresql", dsn=_conninfo(db))
    import dj_database_url

    return target_from_url_dict(dj_database_url.parse(url))


def target_from_url_dict(db: dict) -> Target:
    if db["ENGINE"].endswith("sqlite3"):
        return Target("sqlite", path=Path(db["NAME"]))
    return Target("postgresql", dsn=_conninfo(db))


def _conninfo(db: dict) -> str:
    from psycopg.conninfo import make_conninfo

    parts = {"dbname": db["NAME"], "user": db.get("USER"), "password": db.get("PASSWORD"),
             "host": db.get("HOST"), "port": str(db["PORT"]) if db.get("PORT") else None}
    return make_conninfo(**{k: v for k, v in parts.items() if v})


# ---- fingerprints ------------------------------------------------------------------------------------------------

def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                       "ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def fingerprint_cursor(cursor, vendor: str) -> dict[str, list[int]]:
    """{table: [rows, hash]} for every table; the hash does not depend on row order (no sort of large tables)."""
    result = {}
    for table in _tables(cursor, vendor):
        if vendor == "postgresql":
            cursor.execute(f'SELECT count(*), coalesce(sum({PG_ROW_HASH}), 0) FROM "{table}" t')
            count, total = cursor.fetchone()
            result[table] = [int(count), int(total) % 2**63]
        else:
            cursor.execute(f'SELECT * FROM "{table}"')
            count = total = 0
            for row in cursor:
                count += 1
                total += int.from_bytes(hashlib.md5(repr(row).encode()).digest()[:8], "big") >> 4
            result[table] = [count, total % 2**63]
    return result


def media_fingerprint(root: Path) -> dict[str, list]:
    files = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            files[path.relative_to(root).as_posix()] = [path.stat().st_size, _sha256(path)]
    return files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---- keys --------------------------------------------------------------------------------------------------------

def _passphrase_key(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8")))


def seal_keys(keys: list[str], passphrase: str) -> tuple[bytes, dict]:
    salt = os.urandom(16)
    token = Fernet(_passphrase_key(passphrase, salt)).encrypt(json.dumps(keys).encode())
    return token, {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                   "salt": base64.b64encode(salt).decode(), "cipher": "fernet"}


def open_keys(token: bytes, params: dict, passphrase: str) -> list[str]:
    kdf = Scrypt(salt=base64.b64decode(params["salt"]), length=32, n=params["n"], r=params["r"], p=params["p"])
    try:
        return json.loads(Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode()))).decrypt(token))
    except InvalidToken:
        raise BackupError("口令不对：无法解开备份中的加密密钥（keys.enc）。") from None


# ---- backup ------------------------------------------------------------------------------------------------------

def backup(*, out: Path, passphrase: str | None, without_keys: bool = False) -> dict:
    """Write the archive to `out`; return its manifest."""
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []) or [])
    if passphrase is None and not without_keys:
        raise BackupError("请用 --passphrase-file（或 SUNSHINE_BACKUP_PASSPHRASE）给出口令以加密保存密钥，"
                          "或用 --without-keys 声明密钥另行保管。")
    media_root = Path(settings.MEDIA_ROOT)
    manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "vendor": connection.vendor, "media": media_fingerprint(media_root)}
    with tempfile.TemporaryDirectory(prefix="sunshine-backup-") as tmp:
        work = Path(tmp)
        if connection.vendor == "postgresql":
            database_file = work / "database.dump"
            manifest["tables"] = _pg_dump(database_file)
        elif connection.vendor == "sqlite":
            database_file = work / "database.sqlite3"
            manifest["tables"] = _sqlite_dump(database_file)
        else:  # pragma: no cover - the settings allow only these two
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        if keys and not without_keys:
            sealed, manifest["keys"] = seal_keys(keys, passphrase)
        else:
            sealed, manifest["keys"] = None, {"kept_apart": True}
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            archive.add(database_file, arcname=database_file.name)
            if sealed is not None:
                _add_bytes(archive, "keys.enc", sealed)
            for name in manifest["media"]:
                archive.add(media_root / name, arcname=f"media/{name}")
        os.chmod(partial, 0o600)
        partial.replace(out)  # a crash leaves no archive that looks complete
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    archive.addfile(info, io.BytesIO(data))


def _pg_dump(path: Path) -> dict:
    """pg_dump inside the snapshot the fingerprint was taken in, so the two describe the same data."""
    import psycopg

    db = connection.settings_dict

    with psycopg.connect(_conninfo(db)) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with conn.cursor() as cursor:
            tables = fingerprint_cursor(cursor, "postgresql")
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={path}", f"--dbname={_conninfo(db)}"], capture_output=True, text=True)
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
    return tables


def _sqlite_dump(path: Path) -> dict:
    """SQLite's online backup API: a consistent copy while the site keeps writing (WAL)."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        return fingerprint_cursor(target.cursor(), "sqlite")
    finally:
        target.close()


# ---- restore -----------------------------------------------------------------------------------------------------

@dataclass
class Restored:
    manifest: dict
    keys: list[str] | None
    tables: dict


def read_manifest(archive_path: Path) -> dict:
    with tarfile.open(archive_path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不是阳光监督的备份文件（格式 {manifest.get('format')!r}）。")
    return manifest


def restore(*, archive_path: Path, target: Target, media_root: Path, passphrase: str | None) -> Restored:
    """Restore into an empty database and an empty media folder, then compare both with the manifest."""
    manifest = read_manifest(archive_path)
    if manifest["vendor"] != target.vendor:
        raise BackupError(f"备份来自 {manifest['vendor']}，目标数据库是 {target.vendor}：请恢复到同类数据库。")
    keys = None
    if not manifest["keys"].get("kept_apart"):
        if passphrase is None:
            raise BackupError("备份中的密钥以口令加密：请用 --passphrase-file 或 SUNSHINE_BACKUP_PASSPHRASE 给出口令。")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"附件目录 {media_root} 不是空的：请恢复到空目录。")
    with tempfile.TemporaryDirectory(prefix="sunshine-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive_path) as archive:
            archive.extractall(work, filter="data")
        if passphrase is not None and (work / "keys.enc").exists():
            keys = open_keys((work / "keys.enc").read_bytes(), manifest["keys"], passphrase)
        if target.vendor == "postgresql":
            tables = _pg_restore(work / "database.dump", target.dsn)
        else:
            tables = _sqlite_restore(work / "database.sqlite3", target.path)
        if (work / "media").exists():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "media", media_root, dirs_exist_ok=True)
    _compare(manifest["tables"], tables, "数据表")
    _compare(manifest["media"], media_fingerprint(media_root), "附件")
    return Restored(manifest=manifest, keys=keys, tables=tables)


def _compare(expected: dict, found: dict, what: str) -> None:
    differing = sorted(name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name))
    if differing:
        raise BackupError(f"恢复后的{what}与备份不一致：{', '.join(differing[:10])}")


def _pg_restore(dump: Path, dsn: str) -> dict:
    import psycopg

    with psycopg.connect(dsn) as conn:
        if _tables(conn.cursor(), "postgresql"):
            raise BackupError("目标数据库不是空的：请先新建一个空数据库（createdb）再恢复。")
    result = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
                             "--exit-on-error", f"--dbname={dsn}", str(dump)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        return fingerprint_cursor(cursor, "postgresql")


def _sqlite_restore(source: Path, path: Path) -> dict:
    if path.exists() and path.stat().st_size:
        raise BackupError(f"目标数据库 {path} 不是空的：请恢复到新文件。")
    path.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(path)
    try:
        src.backup(dst)
        return fingerprint_cursor(dst.cursor(), "sqlite")
    finally:
        src.close()
        dst.close()

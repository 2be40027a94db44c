"""`sunshine restore ARCHIVE`: into an empty database and an empty media folder, checked table by table and file
by file against the archive; the keys are written to a file for the environment (docs/deploy.md)."""
from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sunshine.core.backup import BackupError, restore, target_from_url

from ._passphrase import add_passphrase_argument, read_passphrase


class Command(BaseCommand):
    help = "从备份恢复数据库、附件和密钥（恢复到空数据库），并逐表核对。Restore a backup into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        add_passphrase_argument(parser)
        parser.add_argument("--database-url", default=None,
                            help="restore into this database instead of the configured one (it must be empty)")
        parser.add_argument("--media-root", type=Path, default=None, help="default: MEDIA_ROOT (must be empty)")
        parser.add_argument("--keys-out", type=Path, default=None,
                            help="write the restored FIELD_ENCRYPTION_KEYS to this file (mode 0600), one line, "
                                 "comma-separated, for the environment file")

    def handle(self, *args, **options):
        try:
            restored = restore(archive_path=options["archive"], target=target_from_url(options["database_url"]),
                               media_root=options["media_root"] or Path(settings.MEDIA_ROOT),
                               passphrase=read_passphrase(options))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(count for count, _ in restored.tables.values())
        self.stdout.write(self.style.SUCCESS(
            f"已恢复并核对：{len(restored.tables)} 张表 {rows:,} 行，{len(restored.manifest['media'])} 个附件。"))
        if restored.keys is None:
            self.stdout.write("备份中没有密钥：环境中的 FIELD_ENCRYPTION_KEYS 必须是备份时所用的密钥。")
        elif options["keys_out"]:
            path = options["keys_out"]
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(",".join(restored.keys) + "\n")
            self.stdout.write(f"密钥已写入 {path}（仅属主可读）：放入环境文件的 FIELD_ENCRYPTION_KEYS。")
        elif restored.keys[:1] != list(settings.FIELD_ENCRYPTION_KEYS or [])[:1]:
            self.stdout.write(self.style.WARNING(
                "备份中的密钥与当前环境的不同：用 --keys-out 写出密钥，放入 FIELD_ENCRYPTION_KEYS 后再启动。"))

"""`sunshine backup ARCHIVE`: the database, the attachments and the encryption keys (sealed with a passphrase) in
one archive (docs/deploy.md, "Backup and restore")."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sunshine.core.backup import BackupError, backup

from ._passphrase import add_passphrase_argument, read_passphrase


class Command(BaseCommand):
    help = "备份数据库、附件和（以口令加密的）字段加密密钥到一个归档文件。Back up database, media and keys."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive to write, e.g. /var/backups/sunshine-$(date +%F).tar")
        add_passphrase_argument(parser)
        parser.add_argument("--without-keys", action="store_true",
                            help="leave FIELD_ENCRYPTION_KEYS out (they are kept apart, e.g. in a secrets vault)")

    def handle(self, *args, **options):
        try:
            manifest = backup(out=options["archive"], passphrase=read_passphrase(options),
                              without_keys=options["without_keys"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(count for count, _ in manifest["tables"].values())
        keys = "密钥未包含（另行保管）" if manifest["keys"].get("kept_apart") else "密钥已以口令加密保存"
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {options['archive']}:{len(manifest['tables'])} 张表 {rows:,} 行，"
            f"{len(manifest['media'])} 个附件；{keys}。"))

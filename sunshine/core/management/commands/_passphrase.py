"""The backup passphrase: from a file (--passphrase-file) or SUNSHINE_BACKUP_PASSPHRASE, never a command-line
argument (it would show in `ps` and the shell history)."""
from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import CommandError

PASSPHRASE_ENV = "SUNSHINE_BACKUP_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 12


def add_passphrase_argument(parser) -> None:
    parser.add_argument("--passphrase-file", type=Path,
                        help=f"a file whose first line is the passphrase (or set {PASSPHRASE_ENV})")


def read_passphrase(options) -> str | None:
    if options.get("passphrase_file"):
        try:
            lines = options["passphrase_file"].read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CommandError(f"无法读取口令文件：{exc}") from exc
        passphrase = lines[0] if lines else ""
    else:
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase is None:
            return None
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise CommandError(f"口令至少 {MIN_PASSPHRASE_LENGTH} 个字符。")
    return passphrase

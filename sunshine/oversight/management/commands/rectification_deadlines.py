"""Escalate overdue rectification items (embedded mode; Celery beat runs it otherwise)."""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "检查整改事项期限:超期未整改的事项向上级单位和市专项治理办督办(可重复运行,每个期限只督办一次)"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期检查(YYYY-MM-DD)")

    def handle(self, *args, today=None, **options):
        from sunshine.oversight.services.rectifications import rectifications_check

        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today 须为 YYYY-MM-DD 格式的日期") from None
        run = rectifications_check(today=day)
        self.stdout.write(f"整改超期督办 {run.escalations} 条")

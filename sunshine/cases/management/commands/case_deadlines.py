"""Check case deadlines: reminders before, escalations after (embedded mode; Celery beat runs it otherwise)."""
from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

FOLLOW_SECONDS = 60 * 60


class Command(BaseCommand):
    help = "检查案件办理时限：到期前提醒、超期督办（可重复运行，每个时限每类提醒只发一次）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期检查（YYYY-MM-DD），用于补跑或演练")
        parser.add_argument("--follow", action="store_true", help="持续运行，每小时检查一次（内置模式的后台进程）")

    def handle(self, *args, today=None, follow=False, **options):
        from sunshine.cases.services import deadlines_check

        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today 须为 YYYY-MM-DD 格式的日期") from None
        while True:
            run = deadlines_check(today=day)
            self.stdout.write(f"提醒 {run.reminders} 条，超期督办 {run.escalations} 条")
            if not follow:
                break
            time.sleep(FOLLOW_SECONDS)

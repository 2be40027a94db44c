"""Deliver queued SMS in-process (embedded mode, demo): until none is due, once, or following like a worker."""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

POLL_SECONDS = 5


class Command(BaseCommand):
    help = "发送短信发件箱中待发送的短信（内置模式；有 Celery 时由定时任务完成）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只处理一批")
        parser.add_argument("--wait", action="store_true",
                            help="也等待稍后重试的短信，直到发件箱中没有待处理的短信")
        parser.add_argument("--follow", action="store_true", help="持续运行，定期检查新短信（内置模式的后台进程）")
        parser.add_argument("--batch-size", type=int, default=None)

    def handle(self, *args, once=False, wait=False, follow=False, batch_size=None, **options):
        from sunshine.notify.services import sms_dispatch_pending, sms_next_due_at

        total = 0
        while True:
            report = sms_dispatch_pending(batch_size=batch_size, max_batches=1 if once else None)
            total += report.claimed
            if report.claimed:
                self.stdout.write(str(report))
            if once:
                break
            if report.throttled:
                continue  # the throttled rows were pushed back; the next loop waits for them below
            next_due = sms_next_due_at()
            if next_due is None and not follow:
                break
            if next_due is not None and next_due <= timezone.now():
                continue
            if not (wait or follow):
                self.stdout.write(f"稍后重试的短信将于 {timezone.localtime(next_due):%Y-%m-%d %H:%M:%S} 起再次发送")
                break
            pause = POLL_SECONDS if next_due is None else (next_due - timezone.now()).total_seconds()
            time.sleep(min(max(pause, 0.2), POLL_SECONDS if follow else 60))
        self.stdout.write(self.style.SUCCESS(f"处理短信 {total} 条"))

"""Send the background tasks recorded while the broker (Redis) was down; worker and beat start-up do it too."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "把 Redis 不可用期间记录在数据库中的后台任务发送给任务队列"

    def handle(self, *args, **options):
        from sunshine.core.tasks import broker_mode, task_outbox_drain

        if not broker_mode():
            self.stdout.write("内置模式（无 Redis）：后台任务在本进程内执行，没有待发送的任务")
            return
        report = task_outbox_drain(grace_seconds=0)
        self.stdout.write(f"已发送 {report.sent} 条（{report.tasks} 个任务），剩余 {report.left} 条")
        if report.error:
            raise CommandError(f"任务队列仍不可用：{report.error}")

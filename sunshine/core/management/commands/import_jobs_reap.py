"""Mark failed the import jobs whose process has gone silent (beat and the embedded beat do it every minute)."""
from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "把超过时限没有心跳（进程已终止）或一直未开始的导入任务标记为失败，并写明原因"

    def handle(self, *args, **options):
        from sunshine.core.importjobs import import_jobs_reap

        for job in import_jobs_reap():
            self.stdout.write(f"导入任务 {job.pk}（{job.filename}）已标记为失败")
        self.stdout.write(self.style.SUCCESS("检查完成"))

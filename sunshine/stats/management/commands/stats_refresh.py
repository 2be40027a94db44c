"""Recompute the statistics summaries now (the beat runs it every few minutes; after a large import, run it by hand)."""
from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "重新计算统计汇总(各统计表的默认视图),并打印每张表的计算耗时"

    def handle(self, *args, **options):
        from sunshine.stats.summary import refresh_all

        done = refresh_all()
        for slug, dim, seconds in done:
            self.stdout.write(f"{slug}/{dim}: {seconds:.2f} s")
        self.stdout.write(f"共 {len(done)} 组,{sum(s for _, _, s in done):.1f} 秒")

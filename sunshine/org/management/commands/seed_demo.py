"""`sunshine seed_demo`: build the deterministic demo city, then every app's demo data on top of it."""
from __future__ import annotations

import datetime as dt
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from sunshine.core.demo import DEMO_SEED, DemoContext, demo_steps
from sunshine.core.tasks import tasks_deferred
from sunshine.org import demo as org_demo
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Region

DEFAULT_HOUSEHOLDS = 30_000
DEFAULT_TOWNSHIPS = 20
DEFAULT_VILLAGES = 300
PRODUCTION_SETTINGS = "sunshine.settings.production"


class Command(BaseCommand):
    help = ("生成演示城市（湘乡市，虚构的乡镇、村和人员）、建档立卡户和每个角色的演示账号。"
            "Builds the demo city; the same --seed and --today give the same data.")

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS,
                            help=f"建档立卡户数 (default {DEFAULT_HOUSEHOLDS:,}; up to 1,000,000 for benchmarks)")
        parser.add_argument("--townships", type=int, default=DEFAULT_TOWNSHIPS, help="乡镇（街道）数")
        parser.add_argument("--villages", type=int, default=DEFAULT_VILLAGES, help="村（社区）数")
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="random seed")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="the date the demo is built for (YYYY-MM-DD; default today in Asia/Shanghai)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the city already exists")
        parser.add_argument("--apps", default="",
                            help="comma-separated apps whose demo data to build (org first; default all)")

    def handle(self, *args, **options):
        # No override: the demo accounts' password is published, so a production database never gets them. A
        # training or staging site runs the local settings (DATABASE_URL may still name a PostgreSQL database).
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS:
            raise CommandError("生产环境不生成演示数据：演示账号的密码是公开的（培训或测试站点请用 sunshine.settings.local）。")
        if options["households"] < 0:
            raise CommandError("--households 不能为负数")
        problem = org_demo.size_problem(townships=options["townships"], villages=options["villages"])
        if problem:
            raise CommandError(problem)
        steps = demo_steps()  # each app registers its own step (core.demo.register_demo_step)
        known = [step.app for step in steps]
        apps = [a.strip() for a in options["apps"].split(",") if a.strip()] or known
        unknown = [a for a in apps if a not in known]
        if unknown:
            raise CommandError(f"未知的应用：{', '.join(unknown)}（可选：{', '.join(known)}）")
        if "org" not in apps:
            raise CommandError("演示数据以组织机构（org）为基础，--apps 必须包含 org")
        if Region.objects.filter(level=RegionLevel.CITY).exists():
            if options["if_empty"]:
                if options["verbosity"] > 0:
                    self.stdout.write("数据库中已有城市数据，跳过演示数据生成（--if-empty）。")
                return
            raise CommandError("数据库中已有城市数据。演示数据只能生成在空数据库上（删除 var/ 下的数据库后重试）。")

        seed = options["seed"]
        faker = Faker("zh_CN")
        # -v0 (what `make demo` runs): nothing but errors, so the accounts table stays on the screen.
        write = self.stdout.write if options["verbosity"] > 0 else _silent
        ctx = DemoContext(
            rng=random.Random(seed), faker=faker, today=options["today"] or timezone.localdate(),
            households=options["households"], scale=options["households"] / DEFAULT_HOUSEHOLDS,
            write=write, townships=options["townships"], villages=options["villages"],
        )
        write(f"生成演示城市 {org_demo.CITY_NAME}：种子 {seed}，日期 {ctx.today.isoformat()},{ctx.households:,} 户")
        started = time.perf_counter()
        for step in [s for s in steps if s.app in apps]:
            app = step.app
            # Each app draws from its own stream, so one app's demo changing leaves the others' data alone.
            ctx.rng = random.Random(f"{seed}:{app}")
            faker.seed_instance(f"{seed}:{app}")
            t0 = time.perf_counter()
            # A crash leaves nothing half-seeded for this app. Background work the seed schedules (thousands of
            # demo SMS) is left queued for the server's in-process beat, so `make demo` serves without waiting.
            with tasks_deferred(), transaction.atomic():
                step.seed(ctx)
            write(f"{app:<10} {time.perf_counter() - t0:6.1f} s")
        write(self.style.SUCCESS(f"演示数据生成完毕，共 {time.perf_counter() - started:.1f} s。"
                                 "运行 `sunshine demo_accounts` 查看演示账号。"))


def _silent(*_args, **_kwargs) -> None:
    return None


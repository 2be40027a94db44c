"""`sunshine demo_accounts`: print the demo accounts (one per role), what each sees, and where to log in."""
from __future__ import annotations

import os
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from sunshine.org.demo import demo_account_rows

COLUMNS = [("username", "用户名"), ("password", "密码"), ("role", "角色"), ("person", "姓名"),
           ("unit", "单位 / 职务"), ("sees", "可见范围")]


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


class Command(BaseCommand):
    help = "列出演示账号（每个角色一个）、各自可见范围和登录地址。Prints the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")),
                            help="the port the demo server listens on (default $PORT or 8000)")
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **options):
        rows = demo_account_rows()
        if not rows:
            raise CommandError("还没有演示账号：请先运行 `sunshine seed_demo`。")
        widths = {key: max(display_width(title), *(display_width(r[key]) for r in rows)) for key, title in COLUMNS}
        line = "  ".join(pad(title, widths[key]) for key, title in COLUMNS)
        self.stdout.write(line.rstrip())
        self.stdout.write("  ".join("-" * widths[key] for key, _ in COLUMNS))
        for row in rows:
            self.stdout.write("  ".join(pad(row[key], widths[key]) for key, _ in COLUMNS).rstrip())
        base = f"http://{options['host']}:{options['port']}"
        self.stdout.write("")
        self.stdout.write(f"工作台登录 Staff desk:   {base}/desk/login/")
        self.stdout.write(f"公众门户 Public portal:  {base}/")
        self.stdout.write(f"接口文档 API (OpenAPI):  {base}/api/v1/docs")

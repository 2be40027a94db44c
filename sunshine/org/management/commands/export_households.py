"""`sunshine export_households FILE --user NAME`: the households the account may see, in the national system's
headings (CSV or XLSX by FILE's extension); ID numbers and phones in full for holders of the registry capability,
masked otherwise; recorded as an export in the security audit."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sunshine.core.errors import ApplicationError
from sunshine.org.exports import households_export


class Command(BaseCommand):
    help = "Export the 建档立卡 registry (the households the account may see) to CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件，.csv 或 .xlsx")
        parser.add_argument("--user", required=True, help="以该工作人员账号导出（按其管辖范围和权限决定内容，记入审计）")

    def handle(self, *args, **options):
        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"账号不存在或已停用：{options['user']}")
        try:
            rows = households_export(actor=actor, path=options["file"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"已导出 {rows} 行到 {options['file']}"))

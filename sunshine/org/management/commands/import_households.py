"""sunshine import_households FILE: import 建档立卡 households from XLSX/CSV, all or nothing, with a progress bar."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sunshine.core.errors import ApplicationError
from sunshine.org.importers import households_import
from sunshine.org.models import Account


class Command(BaseCommand):
    help = "Import households of the 建档立卡 registry from an XLSX or CSV (UTF-8/GBK) export."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", help="import as this staff account (its jurisdiction applies)")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")

    def handle(self, *args, file, username=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在: {file}")
        actor = None
        if username:
            actor = Account.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"账号不存在: {username}")
        bar = tqdm(total=100, unit="%", desc="导入", disable=options["verbosity"] == 0)

        def progress(done, total):
            bar.update(max(0, done - bar.n))

        try:
            result = households_import(path=str(path), filename=path.name, actor=actor, dry_run=dry_run,
                                       progress=progress)
        except ApplicationError as exc:
            bar.close()
            raise CommandError(exc.message) from exc
        bar.update(100 - bar.n)
        bar.close()
        if not result.ok:
            for e in result.errors:
                self.stderr.write(f"第 {e['row']} 行 [{e['column']}] {e['reason']}")
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))

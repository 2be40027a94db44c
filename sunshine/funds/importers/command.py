"""The shared body of `sunshine import_payments|import_transactions|import_allocations|import_projects FILE`."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from sunshine.core.errors import ApplicationError
from sunshine.core.models import ImportJob
from sunshine.core.scoping import Scope
from sunshine.core.tabular import file_sha256

from .base import VALIDATE_SHARE, run_import

ERRORS_PRINTED = 50


def scope_for_unit(unit) -> Scope | None:
    """What an import run for `unit` may write into: its territory (None: the whole city)."""
    if unit is None:
        return None
    territory = unit.territory
    if territory is not None and territory.parent_id is None:
        return None
    paths = (territory.path,) if territory is not None else ()
    return Scope(region_paths=paths, unit_ids=frozenset({unit.pk}))


class ImportCommand(BaseCommand):
    importer_class: type
    help = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX/XLS 或 CSV(UTF-8 或 GBK)文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查,不写入")
        parser.add_argument("--unit", help="以该单位(名称或编号)的辖区导入;不填为全市")

    def importer_options(self, options) -> dict:
        return {}

    def handle(self, *args, **options):
        from sunshine.core.importjobs import job_finish, job_progress, job_start
        from sunshine.org.models import Unit

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在:{path}")
        unit = None
        if options.get("unit"):
            wanted = options["unit"]
            query = Q(name=wanted) | Q(short_name=wanted)
            if wanted.isdigit():
                query |= Q(pk=int(wanted))
            unit = Unit.objects.select_related("territory").filter(query).first()
            if unit is None:
                raise CommandError(f"没有单位“{wanted}”")
        kind = self.importer_class.kind
        job = ImportJob.objects.create(kind=kind, filename=path.name, stored_path=str(path.resolve()),
                                       sha256=file_sha256(path), unit_id_scope=unit.pk if unit else None)
        job = job_start(job_id=job.pk)
        importer = self.importer_class(scope=scope_for_unit(unit), unit=unit, job=job,
                                       options=self.importer_options(options))
        bar = self._bar()
        state = {"done": 0}

        def progress(stage: str, done: int, total: int) -> None:
            if bar is not None:
                if bar.total != total:
                    bar.total = total
                bar.update(done - state["done"])
                state["done"] = done
            job_progress(job=job, percent=done * VALIDATE_SHARE // max(total, 1))

        try:
            result = run_import(importer, source=path, filename=path.name, dry_run=options["dry_run"],
                                progress=progress)
        except ApplicationError as exc:
            job_finish(job=job, status=ImportJob.Status.REJECTED, message=exc.message)
            raise CommandError(exc.message) from None
        except Exception:
            job_finish(job=job, status=ImportJob.Status.FAILED, message="导入时发生系统错误,未写入任何数据。")
            raise
        finally:
            if bar is not None:
                bar.close()
        status = ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.REJECTED
        job_finish(job=job, status=status, message=result.message, errors=result.errors,
                   total_rows=result.total_rows, created=result.created, unchanged=result.unchanged)
        if not result.ok:
            for e in result.errors[:ERRORS_PRINTED]:
                self.stderr.write(f"第 {e['row']} 行 [{e['column']}] {e['reason']}")
            if result.error_count > ERRORS_PRINTED:
                self.stderr.write(f"……另有 {result.error_count - ERRORS_PRINTED} 处错误(见导入任务 #{job.pk})")
            raise CommandError(result.message)
        self.stdout.write(result.message + f"(导入任务 #{job.pk})")

    def _bar(self):
        if self.stdout.isatty() or self.stderr.isatty():
            from tqdm import tqdm

            return tqdm(total=0, unit="行", desc="校验", file=self.stderr._out, dynamic_ncols=True)
        return None

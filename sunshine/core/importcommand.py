"""The shared body of every `sunshine import_* FILE --user NAME` command: a recorded, audited import job.

A file imported from the shell leaves the same trace as a desk upload: an ImportJob row (kind, file digest, who,
when, outcome, every bad row) and an audit row naming the acting account. `--user` is required: the account's
jurisdiction is what the import may write into, exactly as when that person uploads the file on the desk.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from . import importjobs
from .errors import ApplicationError
from .models import ImportJob
from .tabular import file_sha256

ERRORS_PRINTED = 50
Progress = Callable[[int, int], None]  # (done, total) rows


class ImportJobCommand(BaseCommand):
    kind: str  # ImportJob.kind

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX/XLS 或 CSV(UTF-8 或 GBK)文件")
        parser.add_argument("--user", required=True,
                            help="以该工作人员账号导入（必填）：按其管辖范围校验，导入任务和审计记录记为其操作")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def check_actor(self, actor) -> None:
        """Raise ApplicationError (a Forbidden) when the account may not run this import."""

    def work(self, job: ImportJob, *, actor, dry_run: bool, progress: Progress, options: dict
             ) -> importjobs.ImportResult:
        raise NotImplementedError

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"账号不存在或已停用：{options['user']}")
        try:
            self.check_actor(actor)
        except ApplicationError as exc:
            raise CommandError(f"{options['user']}:{exc.message}") from None
        bar = self._bar()
        with set_actor(actor):  # the job row's audit entry names the account
            job = importjobs.import_job_create(kind=self.kind, filename=path.name, stored_path=str(path.resolve()),
                                               sha256=file_sha256(path), actor=actor)

            def progress(done: int, total: int) -> None:
                if bar is not None:
                    bar.total = total
                    bar.update(done - bar.n)
                importjobs.job_progress(job=job, percent=done * 100 // max(total, 1))

            try:
                job = importjobs.import_job_run(job_id=job.pk, work=lambda job: self.work(
                    job, actor=actor, dry_run=options["dry_run"], progress=progress, options=options))
            finally:
                if bar is not None:
                    bar.close()
        if job.status != ImportJob.Status.SUCCEEDED:
            for e in job.errors[:ERRORS_PRINTED]:
                self.stderr.write(f"第 {e['row']} 行 [{e['column']}] {e['reason']}")
            if len(job.errors) > ERRORS_PRINTED:
                self.stderr.write(f"……另有 {len(job.errors) - ERRORS_PRINTED} 处错误（见导入任务 #{job.pk}）")
            raise CommandError(job.message)
        self.stdout.write(self.style.SUCCESS(f"{job.message}（导入任务 #{job.pk}）"))

    def _bar(self):
        if self.stdout.isatty() or self.stderr.isatty():
            from tqdm import tqdm

            return tqdm(total=0, unit="行", desc="导入", file=self.stderr._out, dynamic_ncols=True)
        return None

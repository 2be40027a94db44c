"""The life of an ImportJob: stored upload → queued → running (progress) → succeeded / rejected / failed.

Progress lives in the cache while the job runs, because the import's own writes sit in one uncommitted
transaction that other connections cannot see; the job row records the outcome when it ends. Every import (a desk
upload, a Celery task, a `sunshine import_*` command, the demo seeders) runs through `import_job_run`, and
`_job_transition` is the one writer of ImportJob.status.
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .errors import ApplicationError, CoreErrorCode
from .models import ImportJob

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ALLOWED_SUFFIXES = {".xlsx", ".xls", ".xlsm", ".csv", ".txt"}
PROGRESS_TTL = 24 * 60 * 60
CRASH_MESSAGE = "导入时发生系统错误,未写入任何数据。已记录,请联系管理员。"
# The one table of allowed edges of ImportJob.status (_job_transition refuses any other).
JOB_TRANSITIONS = {
    ImportJob.Status.PENDING: {ImportJob.Status.RUNNING},
    ImportJob.Status.RUNNING: {ImportJob.Status.SUCCEEDED, ImportJob.Status.REJECTED, ImportJob.Status.FAILED},
}


@dataclass
class ImportResult:
    """What an import did, or every bad row it found (then it wrote nothing)."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sms_queued: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    message: str = ""
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def _progress_key(job_id: int) -> str:
    return f"importjob:{job_id}:percent"


def import_file_store(*, uploaded, kind: str) -> tuple[str, str]:
    """Save an uploaded file under MEDIA_ROOT/imports/<kind>/ with an unguessable name; return (path, sha256)."""
    name = getattr(uploaded, "name", "") or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ApplicationError(f"不支持的文件类型“{suffix or '无'}”,请上传 .xlsx、.xls 或 .csv 文件", code=CoreErrorCode.FILE_TYPE)
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ApplicationError("文件超过 200 MB,请拆分后导入", code=CoreErrorCode.FILE_TOO_LARGE)
    if uploaded.size == 0:
        raise ApplicationError("文件是空的", code=CoreErrorCode.FILE_EMPTY)
    folder = Path(settings.MEDIA_ROOT) / "imports" / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    return str(path), digest.hexdigest()


def import_job_create(*, kind: str, filename: str, stored_path: str, sha256: str, actor) -> ImportJob:
    """A queued job owned by the actor's unit (its jurisdiction decides who sees the job)."""
    return ImportJob.objects.create(kind=kind, filename=filename, stored_path=stored_path, sha256=sha256,
                                    created_by=actor if getattr(actor, "pk", None) else None,
                                    unit_id_scope=getattr(actor, "unit_id", None))


def import_job_from_upload(*, uploaded, kind: str, actor) -> ImportJob:
    """Store an uploaded file and queue a job for it; raises ApplicationError for a missing or unusable file."""
    if uploaded is None:
        raise ApplicationError("请选择要导入的文件", code=CoreErrorCode.FILE_MISSING)
    path, sha = import_file_store(uploaded=uploaded, kind=kind)
    return import_job_create(kind=kind, filename=uploaded.name, stored_path=path, sha256=sha, actor=actor)


def _job_transition(job: ImportJob, *, to: str, **fields) -> ImportJob:
    """The one writer of ImportJob.status, along an edge of JOB_TRANSITIONS."""
    if to not in JOB_TRANSITIONS.get(job.status, set()):
        if job.finished:
            raise ApplicationError("该导入任务已结束", code=CoreErrorCode.JOB_FINISHED)
        raise ValueError(f"import job status edge {job.status} → {to} is not allowed")
    job.status = to
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "updated_at", *fields])
    return job


def job_start(*, job_id: int) -> ImportJob:
    job = _job_transition(ImportJob.objects.get(pk=job_id), to=ImportJob.Status.RUNNING)
    cache.set(_progress_key(job.pk), 0, PROGRESS_TTL)
    return job


def job_progress(*, job: ImportJob, percent: int) -> None:
    cache.set(_progress_key(job.pk), max(0, min(99, int(percent))), PROGRESS_TTL)


def job_percent(job: ImportJob) -> int:
    if job.finished:
        return 100
    cached = cache.get(_progress_key(job.pk))
    return int(cached) if cached is not None else job.percent


def job_finish(*, job: ImportJob, status: str, message: str = "", errors: list | None = None, total_rows: int = 0,
               created: int = 0, updated: int = 0, unchanged: int = 0) -> ImportJob:
    _job_transition(job, to=status, message=message, errors=errors or [], total_rows=total_rows,
                    processed_rows=total_rows, created_rows=created, updated_rows=updated, unchanged_rows=unchanged,
                    finished_at=timezone.now())
    cache.delete(_progress_key(job.pk))
    return job


def import_job_run(*, job_id: int, work: Callable[[ImportJob], ImportResult]) -> ImportJob:
    """The one runner of an import job: start it, run `work(job)`, record the outcome on the job row.

    A bad file or bad rows end the job `rejected` with the message and every bad row; a crash ends it `failed`,
    is logged and raised again (the import's transaction has rolled back, so nothing is half-written).
    """
    job = job_start(job_id=job_id)
    try:
        result = work(job)
    except ApplicationError as exc:
        return job_finish(job=job, status=ImportJob.Status.REJECTED, message=exc.message)
    except Exception:
        logger.exception("import job %s (%s) crashed", job_id, job.kind)
        job_finish(job=job, status=ImportJob.Status.FAILED, message=CRASH_MESSAGE)
        raise
    status = ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.REJECTED
    return job_finish(job=job, status=status, message=result.message, errors=result.errors,
                      total_rows=result.total_rows, created=result.created, updated=result.updated,
                      unchanged=result.unchanged)

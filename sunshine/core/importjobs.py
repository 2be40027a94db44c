"""The life of an ImportJob: stored upload → queued → running (progress) → succeeded / rejected / failed.

Progress lives in the cache while the job runs, because the import's own writes sit in one uncommitted
transaction that other connections cannot see; the job row records the outcome when it ends.
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from sunshine.core.errors import CoreErrorCode

from .errors import ApplicationError
from .models import ImportJob

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ALLOWED_SUFFIXES = {".xlsx", ".xls", ".xlsm", ".csv", ".txt"}
PROGRESS_TTL = 24 * 60 * 60


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


def job_start(*, job_id: int) -> ImportJob:
    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        raise ApplicationError("该导入任务已结束", code=CoreErrorCode.JOB_FINISHED)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status", "updated_at"])
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
    job.status = status
    job.message = message
    job.errors = errors or []
    job.total_rows = total_rows
    job.processed_rows = total_rows
    job.created_rows, job.updated_rows, job.unchanged_rows = created, updated, unchanged
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_progress_key(job.pk))
    return job

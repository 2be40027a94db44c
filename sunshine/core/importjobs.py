"""The life of an ImportJob: stored upload → queued → running (progress) → succeeded / rejected / failed.

Progress and the heartbeat live in the cache while the job runs, because the import's own writes sit in one
uncommitted transaction that other connections cannot see; the job row records the start and the outcome. Every
import (a desk upload, a Celery task, a `sunshine import_*` command, the demo seeders) runs through
`import_job_run`, and `_job_transition` is the one writer of ImportJob.status. A job whose process goes silent past
its limit (killed, crashed, or never started because the broker was down) is marked failed with the reason by
`import_jobs_reap` (beat, embedded beat, worker start-up, `sunshine import_jobs_reap`), and the officer can run
it again (`import_job_retry`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .errors import ApplicationError, CoreErrorCode
from .models import ImportJob
from .resilience import CacheUnavailable, cache_call, cache_delete, cache_get, cache_set
from .tabular import FileRefused

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ALLOWED_SUFFIXES = {".xlsx", ".xls", ".xlsm", ".csv", ".txt"}
PROGRESS_TTL = 24 * 60 * 60
CRASH_MESSAGE = "导入时发生系统错误，未写入任何数据。已记录，请联系管理员。"
# The one table of allowed edges of ImportJob.status (_job_transition refuses any other).
JOB_TRANSITIONS = {
    # pending → failed: never started (the broker was down, or its worker died first), found by import_jobs_reap
    ImportJob.Status.PENDING: {ImportJob.Status.RUNNING, ImportJob.Status.FAILED},
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


def _beat_key(job_id: int) -> str:
    return f"importjob:{job_id}:beat"


def import_file_store(*, uploaded, kind: str) -> tuple[str, str]:
    """Save an uploaded file under MEDIA_ROOT/imports/<kind>/ with an unguessable name; return (path, sha256)."""
    name = getattr(uploaded, "name", "") or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ApplicationError(f"不支持的文件类型“{suffix or '无'}”，请上传 .xlsx、.xls 或 .csv 文件", code=CoreErrorCode.FILE_TYPE)
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ApplicationError("文件超过 200 MB，请拆分后导入", code=CoreErrorCode.FILE_TOO_LARGE)
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


def import_job_create(*, kind: str, filename: str, stored_path: str, sha256: str, actor,
                      options: dict | None = None, retry_of: ImportJob | None = None) -> ImportJob:
    """A queued job owned by the actor's unit (its jurisdiction decides who sees the job)."""
    return ImportJob.objects.create(kind=kind, filename=filename, stored_path=stored_path, sha256=sha256,
                                    created_by=actor if getattr(actor, "pk", None) else None,
                                    unit_id_scope=getattr(actor, "unit_id", None), options=options or {},
                                    retry_of=retry_of)


def import_job_from_upload(*, uploaded, kind: str, actor, options: dict | None = None) -> ImportJob:
    """Store an uploaded file and queue a job for it; raises ApplicationError for a missing or unusable file."""
    if uploaded is None:
        raise ApplicationError("请选择要导入的文件", code=CoreErrorCode.FILE_MISSING)
    path, sha = import_file_store(uploaded=uploaded, kind=kind)
    return import_job_create(kind=kind, filename=uploaded.name, stored_path=path, sha256=sha, actor=actor,
                             options=options)


def import_job_retry(*, job: ImportJob, actor) -> ImportJob:
    """Queue the same file again as a new job, after a job failed (its process died or the broker was down).

    The caller has fetched `job` through the actor's jurisdiction and checked the capability its kind needs."""
    if job.status != ImportJob.Status.FAILED:
        raise ApplicationError("只有失败的导入任务可以重新导入；有错误行的文件请修改后重新上传", code=CoreErrorCode.JOB_NOT_FAILED)
    if not job.stored_path or not Path(job.stored_path).exists():
        raise ApplicationError("原文件已不在服务器上，请重新上传", code=CoreErrorCode.FILE_GONE)
    return import_job_create(kind=job.kind, filename=job.filename, stored_path=job.stored_path, sha256=job.sha256,
                             actor=actor, options=job.options, retry_of=job)


def job_already_finished(*, job_id: int) -> bool:
    """True for a job that has ended (e.g. failed by the reaper) when its task arrives late, after the broker was
    back or redelivered it: the task then does nothing (the officer runs the file again as a new job)."""
    finished = ImportJob.objects.filter(pk=job_id, status__in=(
        ImportJob.Status.SUCCEEDED, ImportJob.Status.REJECTED, ImportJob.Status.FAILED)).exists()
    if finished:
        logger.info("import job %s already finished; late task ignored", job_id)
    return finished


def _job_transition(job: ImportJob, *, to: str, expect: str | None = None, **fields) -> ImportJob | None:
    """The one writer of ImportJob.status, along an edge of JOB_TRANSITIONS from the status in the database (the
    row locked: the runner and the reaper of a silent job cannot both write it). With `expect`, nothing is written
    (None returned) unless the job is still in that status."""
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().values_list("status", flat=True).get(pk=job.pk)
        if expect is not None and current != expect:
            return None
        if to not in JOB_TRANSITIONS.get(current, set()):
            if current in (ImportJob.Status.SUCCEEDED, ImportJob.Status.REJECTED, ImportJob.Status.FAILED):
                raise ApplicationError("该导入任务已结束", code=CoreErrorCode.JOB_FINISHED)
            raise ValueError(f"import job status edge {current} → {to} is not allowed")
        job.status = to
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(update_fields=["status", "updated_at", *fields])
    return job


def job_start(*, job_id: int) -> ImportJob:
    """Mark the job running and beat once (a job the reaper has failed meanwhile stays failed: JOB_FINISHED)."""
    job = _job_transition(ImportJob.objects.get(pk=job_id), to=ImportJob.Status.RUNNING, heartbeat_at=timezone.now())
    cache_set(_progress_key(job.pk), 0, PROGRESS_TTL)
    job_heartbeat(job=job)
    return job


def job_heartbeat(*, job: ImportJob) -> None:
    """A sign of life from the process running the job (the import itself is one uncommitted transaction)."""
    cache_set(_beat_key(job.pk), time.time(), PROGRESS_TTL)


def job_progress(*, job: ImportJob, percent: int) -> None:
    cache_set(_progress_key(job.pk), max(0, min(99, int(percent))), PROGRESS_TTL)
    job_heartbeat(job=job)


def _last_beat(job: ImportJob) -> dt.datetime | None:
    """When the job last gave a sign of life; raises CacheUnavailable when that cannot be known."""
    from django.core.cache import cache

    beat = cache_call(cache.get, _beat_key(job.pk))
    moments = [m for m in (job.heartbeat_at, job.updated_at) if m is not None]
    if beat is not None:
        moments.append(dt.datetime.fromtimestamp(float(beat), dt.UTC))
    return max(moments) if moments else None


def import_jobs_stale(*, now: dt.datetime | None = None) -> list[tuple[ImportJob, str]]:
    """Jobs silent past their limit, each with the reason it will be failed for. A running job is left alone while
    the cache (where it beats) cannot be read: nothing says it is dead."""
    now = now or timezone.now()
    running_limit = dt.timedelta(seconds=settings.IMPORT_HEARTBEAT_LIMIT_SECONDS)
    pending_limit = dt.timedelta(seconds=settings.IMPORT_PENDING_LIMIT_SECONDS)
    candidates = ImportJob.objects.filter(
        Q(status=ImportJob.Status.RUNNING, updated_at__lt=now - running_limit)
        | Q(status=ImportJob.Status.PENDING, created_at__lt=now - pending_limit)
    ).order_by("pk")
    stale = []
    for job in candidates:
        if job.status == ImportJob.Status.PENDING:
            stale.append((job, f"排队超过 {_minutes(pending_limit)}仍未开始（后台任务服务可能不可用）。"
                               "未写入任何数据，可以重新导入。"))
            continue
        try:
            last = _last_beat(job)
        except CacheUnavailable:
            continue
        if last is None or now - last > running_limit:
            seen = timezone.localtime(last).strftime("%H:%M:%S") if last else "—"
            stale.append((job, f"导入进程自 {seen} 起已停止响应（超过 {_minutes(running_limit)}），"
                               "可能被终止或崩溃。文件要么整份导入、要么一行也没有写入，可以重新导入（已导入的行不会重复）。"))
    return stale


def _minutes(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 60} 分钟" if seconds >= 60 else f"{seconds} 秒"


def import_jobs_reap(*, now: dt.datetime | None = None) -> list[ImportJob]:
    """Mark failed, with the reason, every job silent past its limit; returns them."""
    now = now or timezone.now()
    reaped = []
    for job, reason in import_jobs_stale(now=now):
        # Only in the status seen: a job that has just started or finished is left as it is.
        if _job_transition(job, to=ImportJob.Status.FAILED, expect=job.status, message=reason, finished_at=now):
            logger.warning("import job %s (%s) marked failed: %s", job.pk, job.filename, reason)
            reaped.append(job)
            cache_delete(_progress_key(job.pk))
    return reaped


def job_percent(job: ImportJob) -> int:
    if job.finished:
        return 100
    cached = cache_get(_progress_key(job.pk))
    return int(cached) if cached is not None else job.percent


def job_finish(*, job: ImportJob, status: str, message: str = "", errors: list | None = None, total_rows: int = 0,
               created: int = 0, updated: int = 0, unchanged: int = 0) -> ImportJob:
    try:
        _job_transition(job, to=status, message=message, errors=errors or [], total_rows=total_rows,
                        processed_rows=total_rows, created_rows=created, updated_rows=updated,
                        unchanged_rows=unchanged, finished_at=timezone.now())
    except ApplicationError as exc:
        if exc.code != CoreErrorCode.JOB_FINISHED:
            raise
        # The reaper failed it while this process was silent past the limit; its reason says a rerun is safe.
        logger.warning("import job %s ended %s after it had been marked failed", job.pk, status)
    cache_delete(_progress_key(job.pk))
    return job


def import_job_run(*, job_id: int, work: Callable[[ImportJob], ImportResult]) -> ImportJob:
    """The one runner of an import job: start it, run `work(job)`, record the outcome on the job row.

    A bad file or bad rows end the job `rejected` with the message and every bad row; a crash ends it `failed`,
    is logged and raised again (the import's transaction has rolled back, so nothing is half-written).
    """
    job = job_start(job_id=job_id)
    try:
        result = work(job)
    except FileRefused as exc:  # over a size limit: the job fails with the reason (nothing was read or written)
        return job_finish(job=job, status=ImportJob.Status.FAILED, message=exc.message)
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

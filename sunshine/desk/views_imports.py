"""Import pages: upload a file, then watch the job's percentage (HTMX polling) and read every bad row; run a failed
job again."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.core.errors import ApplicationError
from sunshine.core.importjobs import import_job_from_upload, import_job_retry, job_percent
from sunshine.core.models import ImportJob
from sunshine.core.tasks import enqueue
from sunshine.funds.capabilities import Capability as FundsCapability
from sunshine.funds.importers import BY_JOB_KIND
from sunshine.funds.tasks import import_run_task
from sunshine.org.capabilities import Capability, has_capability, require
from sunshine.org.importers import COLUMNS, KIND
from sunshine.org.jurisdiction import get_visible
from sunshine.org.tasks import households_import_task


@login_required
@require_http_methods(["GET", "POST"])
def household_import(request):
    require(request.user, Capability.IMPORT_HOUSEHOLDS)
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():  # the job and its task (outbox) are one write
                job = import_job_from_upload(uploaded=request.FILES.get("file"), kind=KIND, actor=request.user)
                enqueue(households_import_task, job.pk)
            return redirect("desk:import_job", job_id=job.pk)
        except ApplicationError as exc:
            error = exc.message
    jobs = _visible_jobs(request.user).filter(kind=KIND)[:10]
    return render(request, "desk/imports/households.html", {
        "columns": COLUMNS, "error": error, "jobs": jobs,
    }, status=400 if error else 200)


def _visible_jobs(actor):
    from sunshine.org.jurisdiction import visible

    return visible(ImportJob.objects.select_related("created_by"), actor=actor)


def _runner(job: ImportJob):
    """(the capability that may run a job of this kind, the task that runs it, its arguments)."""
    if job.kind == KIND:
        return Capability.IMPORT_HOUSEHOLDS, households_import_task, (job.pk,)
    if job.kind in BY_JOB_KIND:
        return FundsCapability.IMPORT, import_run_task, (job.pk, job.options or {})
    raise Http404


@login_required
def import_job(request, job_id: int):
    job = get_visible(ImportJob.objects.select_related("created_by"), actor=request.user, pk=job_id)
    template = "desk/imports/partials/job_status.html" if request.htmx else "desk/imports/job.html"
    can_retry = job.status == ImportJob.Status.FAILED and job.kind in (KIND, *BY_JOB_KIND) \
        and has_capability(request.user, _runner(job)[0])
    return render(request, template, {"job": job, "percent": job_percent(job), "can_retry": can_retry})


@login_required
@require_POST
def import_job_retry_view(request, job_id: int):
    """重新导入: the same stored file as a new job (the failed one keeps its reason)."""
    job = get_visible(ImportJob.objects.all(), actor=request.user, pk=job_id)
    capability, task, _ = _runner(job)
    require(request.user, capability)
    try:
        with transaction.atomic():
            again = import_job_retry(job=job, actor=request.user)
            enqueue(task, *_runner(again)[2])
    except ApplicationError as exc:
        return render(request, "desk/imports/job.html", {"job": job, "percent": job_percent(job),
                                                         "error": exc.message}, status=exc.status)
    return redirect("desk:import_job", job_id=again.pk)

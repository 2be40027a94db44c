"""Import pages: upload a file, then watch the job's percentage (HTMX polling) and read every bad row."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sunshine.core.errors import ApplicationError
from sunshine.core.importjobs import import_job_from_upload, job_percent
from sunshine.core.models import ImportJob
from sunshine.core.tasks import enqueue
from sunshine.org.capabilities import Capability, require
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


@login_required
def import_job(request, job_id: int):
    job = get_visible(ImportJob.objects.select_related("created_by"), actor=request.user, pk=job_id)
    template = "desk/imports/partials/job_status.html" if request.htmx else "desk/imports/job.html"
    return render(request, template, {"job": job, "percent": job_percent(job)})

"""Import pages: upload a file, then watch the job's percentage (HTMX polling) and read every bad row; run a failed
job again."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
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

from .exports import Listing, col, desk_list


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
    if job.kind == "regions":
        from sunshine.org.tasks import regions_import_task

        return Capability.IMPORT_REGIONS, regions_import_task, (job.pk,)
    raise Http404


# The reason of a bad row may quote the cell it could not read (an ID number, a phone, a card): masked ("text").
@desk_list("import-job-errors", title=_lazy("导入错误行"), page="desk:household_import", columns=[
    col(_lazy("行号"), lambda e: e.get("row", "")), col(_lazy("列"), lambda e: e.get("column", "")),
    col(_lazy("原因"), lambda e: e.get("reason", ""), kind="text")])
def import_job_errors_query(actor, g) -> Listing:
    """The bad rows of the import job `g["job"]` (the job page's path names it; its export link carries it)."""
    raw = str(g.get("job", ""))
    if not raw.isdigit():
        raise Http404
    job = get_visible(ImportJob.objects.select_related("created_by"), actor=actor, pk=int(raw))
    return Listing([e if isinstance(e, dict) else {"reason": str(e)} for e in job.errors or []],
                   [(_("导入任务"), f"{job.filename} #{job.pk}"), (_("状态"), job.get_status_display())],
                   context={"job": job})


@login_required
def import_job(request, job_id: int):
    listing = import_job_errors_query(request.user, {"job": str(job_id)})
    job = listing.context["job"]
    template = "desk/imports/partials/job_status.html" if request.htmx else "desk/imports/job.html"
    can_retry = job.status == ImportJob.Status.FAILED and job.kind in (KIND, "regions", *BY_JOB_KIND) \
        and has_capability(request.user, _runner(job)[0])
    return render(request, template, {"job": job, "percent": job_percent(job), "can_retry": can_retry,
                                      "errors": listing.rows})


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
        return render(request, "desk/imports/job.html", {
            "job": job, "percent": job_percent(job), "error": exc.message,
            "errors": import_job_errors_query(request.user, {"job": str(job.pk)}).rows}, status=exc.status)
    return redirect("desk:import_job", job_id=again.pk)


# ---- the division list, the templates a clerk can fill in, the registry export --------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def region_import(request):
    """行政区划导入: the statistics bureau's list, small enough to import while the officer waits (a job all the
    same, so it is recorded and listed like every import)."""
    from sunshine.core.importjobs import import_job_from_upload
    from sunshine.org import regions_import as regions

    require(request.user, Capability.IMPORT_REGIONS)
    error = None
    if request.method == "POST":
        try:
            job = import_job_from_upload(uploaded=request.FILES.get("file"), kind=regions.KIND, actor=request.user)
            regions.regions_import_job_run(job_id=job.pk)
            return redirect("desk:import_job", job_id=job.pk)
        except ApplicationError as exc:
            error = exc.message
    return render(request, "desk/imports/regions.html", {
        "columns": regions.COLUMNS, "error": error, "jobs": _visible_jobs(request.user).filter(kind=regions.KIND)[:10],
        "city_code": regions.city_code(),
    }, status=400 if error else 200)


def _template_spec(kind: str):
    """(the capability, the title, the columns, examples, notes) of an import's template."""
    from sunshine.funds.importers import IMPORTERS
    from sunshine.funds.importers.templates import TEMPLATES
    from sunshine.org import importers as households
    from sunshine.org import regions_import as regions

    if kind == "households":
        return (Capability.IMPORT_HOUSEHOLDS, households.TEMPLATE_TITLE, households.COLUMNS,
                households.TEMPLATE_EXAMPLES, households.TEMPLATE_NOTES)
    if kind == "regions":
        return (Capability.IMPORT_REGIONS, regions.TEMPLATE_TITLE, regions.COLUMNS, regions.TEMPLATE_EXAMPLES,
                regions.TEMPLATE_NOTES)
    if kind in TEMPLATES:
        title, examples, notes = TEMPLATES[kind]
        return FundsCapability.IMPORT, title, IMPORTERS[kind].columns, examples, notes
    raise Http404


@login_required
def import_template(request, kind: str):
    """下载模板: the accepted headings, one example row and a notes sheet, as XLSX."""
    from urllib.parse import quote

    from django.http import HttpResponse

    from sunshine.core.xlsx_templates import import_template_xlsx

    capability, title, columns, examples, notes = _template_spec(kind)
    require(request.user, capability)
    body = import_template_xlsx(title=title, columns=columns, examples=examples, notes=notes)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title.split('(')[0] + '.xlsx')}"
    return response


@login_required
def household_export(request):
    """导出建档立卡户: the households the user may see (the list's filters apply), CSV or XLSX."""
    import tempfile
    from urllib.parse import quote

    from django.http import FileResponse

    from sunshine.org.exports import households_export

    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    region = request.GET.get("region") or ""
    handle = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)  # noqa: SIM115 - removed after streaming
    handle.close()
    try:
        households_export(actor=request.user, path=handle.name,
                          region_id=int(region) if region.isdigit() else None,
                          status=request.GET.get("status") or None, q=request.GET.get("q", "").strip())
        stream = open(handle.name, "rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        import os

        os.unlink(handle.name)  # the open handle keeps the data readable until the response is sent
    name = quote(f"建档立卡户.{fmt}")
    response = FileResponse(stream, as_attachment=True, content_type="text/csv; charset=utf-8" if fmt == "csv" else
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response

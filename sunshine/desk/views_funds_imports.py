"""Staff pages of funds disclosure: importing a file of one record type (the job page is views_imports)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sunshine.core.errors import ApplicationError
from sunshine.core.importjobs import import_job_from_upload
from sunshine.core.tasks import enqueue
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.registry import record_kind
from sunshine.funds.tasks import import_run_task
from sunshine.org.capabilities import require

from .views_funds import _record_type

# ---- imports --------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, record_type: str):
    actor = request.user
    record_type = _record_type(record_type)
    require(actor, Capability.IMPORT)
    kind = record_kind(record_type)
    importer = kind.importer
    accounts = selectors.account_list_visible_to(actor=actor) if record_type == "transaction" else []
    error = None
    if request.method == "POST":
        try:
            options = {}
            if record_type == "transaction" and request.POST.get("account"):
                options["account"] = selectors.account_get_for(actor=actor, pk=int(request.POST["account"])
                                                               ).account_number
            with transaction.atomic():  # the job and its task (outbox) are one write
                job = import_job_from_upload(uploaded=request.FILES.get("file"), kind=importer.kind, actor=actor,
                                             options=options)
                enqueue(import_run_task, job.pk, options)
            return redirect("desk:import_job", job_id=job.pk)
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            error = exc.message
    return render(request, "desk/funds/import.html", {
        "title": kind.import_title, "hint": kind.import_help, "columns": importer.columns,
        "error": error, "accounts": accounts, "record_type": record_type,
        "jobs": selectors.import_job_list_visible_to(actor=actor, kind=importer.kind)[:10],
    }, status=400 if error else 200)

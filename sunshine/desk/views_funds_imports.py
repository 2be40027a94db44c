"""Staff pages of funds disclosure: importing a file of one record type (the job page is views_imports)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from sunshine.core.errors import ApplicationError, NotFound
from sunshine.core.importjobs import import_job_from_upload
from sunshine.core.tasks import enqueue
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.importers import IMPORTERS
from sunshine.funds.registry import record_kind
from sunshine.funds.tasks import import_run_task
from sunshine.org.capabilities import require

# Imports that are not a disclosed record type of their own (funds.registry names the four that are).
EXTRA_IMPORTS = {
    "spending": (_("导入项目资金支出"),
                 _("项目资金支付台账(可下载模板)。每笔支出须写明项目编号和资金文号;超出该笔资金余额的整份文件不予导入,"
                   "验收前支付的照常导入并标记。")),
}


def _import_type(value: str) -> str:
    if value not in IMPORTERS:
        raise NotFound()
    return value


def _import_words(record_type: str) -> tuple[str, str]:
    if record_type in EXTRA_IMPORTS:
        return EXTRA_IMPORTS[record_type]
    kind = record_kind(record_type)
    return kind.import_title, kind.import_help


@login_required
@require_GET
def import_template(request, record_type: str):
    """An XLSX with the importer's headings (and, where the importer gives one, an example row)."""
    import importlib
    import io

    import xlsxwriter

    record_type = _import_type(record_type)
    require(request.user, Capability.IMPORT)
    importer = IMPORTERS[record_type]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(str(_import_words(record_type)[0])[2:])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [c.headings[0] for c in importer.columns], bold)
    example = getattr(importlib.import_module(importer.__module__), "TEMPLATE_ROW", None)
    if example:
        sheet.write_row(1, 0, example)
    sheet.set_column(0, len(importer.columns) - 1, 18)
    book.close()
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="template-{record_type}.xlsx"'
    return response

# ---- imports --------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, record_type: str):
    actor = request.user
    record_type = _import_type(record_type)
    require(actor, Capability.IMPORT)
    importer = IMPORTERS[record_type]
    title, hint = _import_words(record_type)
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
        "title": title, "hint": hint, "columns": importer.columns,
        "error": error, "accounts": accounts, "record_type": record_type,
        "jobs": selectors.import_job_list_visible_to(actor=actor, kind=importer.kind)[:10],
    }, status=400 if error else 200)

"""The campaign brief's pages: list, draft, edit, issue, and the DOCX and PDF downloads."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import has_capability

from . import brief as service
from .capabilities import Capability
from .models import BriefKind, BriefStatus

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def brief_list(request):
    actor = request.user
    return render(request, "stats/briefs.html", {
        "briefs": service.brief_list_for(actor=actor)[:100], "kinds": BriefKind.choices,
        "can_write": has_capability(actor, Capability.BRIEF), "today": timezone.localdate(),
    })


@login_required
@require_POST
def brief_new(request):
    try:
        end = dt.date.fromisoformat(request.POST.get("end", ""))
    except ValueError:
        messages.error(request, "请填写截止日期")
        return redirect("stats:briefs")
    try:
        brief = service.brief_draft(actor=request.user, kind=request.POST.get("kind", ""), end=end)
    except ApplicationError as exc:
        if exc.status in (401, 403, 404):
            raise
        messages.error(request, exc.message)
        return redirect("stats:briefs")
    return redirect("stats:brief", pk=brief.pk)


@login_required
@require_http_methods(["GET", "POST"])
def brief_detail(request, pk: int):
    actor = request.user
    brief = service.brief_get_for(actor=actor, pk=pk)
    status = 200
    if request.method == "POST":
        try:
            brief = service.brief_update(actor=actor, brief=brief, title=request.POST.get("title", ""),
                                         text=request.POST.get("text", ""))
            messages.success(request, "已保存")
            return redirect("stats:brief", pk=brief.pk)
        except ApplicationError as exc:
            if exc.status in (401, 403, 404):
                raise
            messages.error(request, exc.message)
            status = exc.status
    return render(request, "stats/brief.html", {
        "brief": brief, "heading": service.heading(brief),
        "can_write": has_capability(actor, Capability.BRIEF) and brief.status == BriefStatus.DRAFT,
    }, status=status)


@login_required
@require_POST
def brief_issue_view(request, pk: int):
    brief = service.brief_get_for(actor=request.user, pk=pk)
    try:
        brief = service.brief_issue(actor=request.user, brief=brief)
        messages.success(request, f"已印发:{service.heading(brief)}")
    except ApplicationError as exc:
        if exc.status in (401, 403, 404):
            raise
        messages.error(request, exc.message)
    return redirect("stats:brief", pk=brief.pk)


def _download(request, pk: int, *, fmt: str) -> HttpResponse:
    brief = service.brief_get_for(actor=request.user, pk=pk)
    data = service.brief_docx(brief) if fmt == "docx" else service.brief_pdf(brief)
    audit_record(event=AuditEvent.EXPORT, actor=request.user, obj=brief, detail={"format": fmt})
    response = HttpResponse(data, content_type=DOCX if fmt == "docx" else "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brief-{brief.pk}.{fmt}"'
    return response


@login_required
@require_GET
def brief_docx(request, pk: int):
    return _download(request, pk, fmt="docx")


@login_required
@require_GET
def brief_pdf(request, pk: int):
    return _download(request, pk, fmt="pdf")

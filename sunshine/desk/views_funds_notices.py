"""Staff pages of funds disclosure: notices (公示), from draft to publication, their PDF, and the ledger check."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.core.errors import ApplicationError, NotFound
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.choices import (
    MIN_NOTICE_DAYS,
    NoticeKind,
    NoticeStatus,
)
from sunshine.funds.services import notices as notice_services
from sunshine.org import selectors as org_selectors
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel

from .exports import Listing, choice_label, col, desk_list, shown
from .forms_funds import DATE_WIDGET
from .forms_funds import region_choices as _region_choices
from .views_funds import _can, _page, _region_of

# ---- notices --------------------------------------------------------------------------------------------------

@desk_list("notices", title=_lazy("公示"), page="desk:funds_notices", columns=[
    col(_lazy("标题"), "title"), col(_lazy("类型"), "get_kind_display"), col(_lazy("范围"), "scope_region.name"),
    col(_lazy("公示开始"), "starts_on"), col(_lazy("公示结束"), "ends_on"), col(_lazy("状态"), "get_status_display"),
    col(_lazy("核验码"), "code")])
def notices_query(actor, g) -> Listing:
    region = _region_of(g, actor)
    kind, status = g.get("kind", ""), g.get("status", "")
    qs = selectors.notice_list_visible_to(actor=actor, region=region, kind=kind, status=status)
    return Listing(qs, shown([(_("范围"), region.full_name if region else ""),
                              (_("类型"), choice_label(NoticeKind.choices, kind)),
                              (_("状态"), choice_label(NoticeStatus.choices, status))]))


@login_required
def notice_list(request):
    actor = request.user
    qs = notices_query(actor, request.GET).rows
    return render(request, "desk/funds/notice_list.html", {
        "page": _page(request, qs), "kinds": NoticeKind.choices, "kind": request.GET.get("kind", ""),
        "statuses": NoticeStatus.choices, "status": request.GET.get("status", ""), **_can(actor)})


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("公示类型"), choices=NoticeKind.choices)
    scope_region = forms.ChoiceField(label=_lazy("公示范围（乡镇或村）"))
    starts_on = forms.DateField(label=_lazy("公示开始日期"), widget=DATE_WIDGET)
    period_days = forms.IntegerField(label=_lazy("公示期（天，不少于10天）"), min_value=1, initial=MIN_NOTICE_DAYS)
    title = forms.CharField(label=_lazy("标题（可留空自动生成）"), max_length=200, required=False)
    intro = forms.CharField(label=_lazy("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact_phone = forms.CharField(label=_lazy("异议受理电话"), max_length=40, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_region"].choices = (_region_choices(actor, RegionLevel.TOWNSHIP)
                                               + _region_choices(actor, RegionLevel.VILLAGE)[1:])


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request):
    """Step 1 of publishing: scope, records and dates; saved as a draft to preview before publishing."""
    actor = request.user
    require(actor, Capability.PUBLISH)
    form = NoticeForm(request.POST or None, actor=actor, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            region = org_selectors.region_get_for(actor=actor, pk=int(d["scope_region"] or 0))
            notice = notice_services.notice_create(
                actor=actor, kind=d["kind"], scope_region=region,
                record_ids=[int(i) for i in request.POST.getlist("records") if i.isdigit()],
                starts_on=d["starts_on"], period_days=d["period_days"], title=d["title"], intro=d["intro"],
                contact_phone=d["contact_phone"])
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("公示草稿已生成，请核对后发布"))
            return redirect("desk:funds_notice", pk=notice.pk)
    return render(request, "desk/funds/notice_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def notice_records(request):
    """HTMX: the records of a kind inside a region that no notice has published yet, as a checklist."""
    actor = request.user
    kind = request.GET.get("kind", "")
    raw = request.GET.get("scope_region", "")
    records = []
    if kind in NoticeKind.values and raw.isdigit():
        region = org_selectors.region_get_for(actor=actor, pk=int(raw))
        records = selectors.publishable_records(actor=actor, kind=kind, region=region)[:2000]
    return render(request, "desk/funds/partials/notice_records.html", {"records": records, "kind": kind})


def _notice_record(notice):
    """What the page writes for one row's record (its link text), by the notice's kind."""
    def text(row) -> str:
        r = row.record
        if notice.kind == NoticeKind.PAYMENT:
            return f"{r.payee_name} · {r.fund_item} · {r.paid_on:%Y-%m-%d}"
        if notice.kind == NoticeKind.TRANSACTION:
            return f"{r.occurred_on:%Y-%m-%d} · {r.get_direction_display()} · {r.purpose}"
        if notice.kind == NoticeKind.ALLOCATION:
            return f"{r.document_number} · {r.fund_type} · {r.recipient_name}"
        return f"{r.name} · {r.get_status_display()}"
    return text


def _notice_correction(row) -> str:
    if not row.correction:
        return ""
    return _("已更正为第%(v)s版：%(reason)s") % {"v": row.correction.version, "reason": row.reason}


@desk_list("notice-rows", title=_lazy("公示明细"), page="desk:funds_notices", columns=[
    col(_lazy("序号"), "position"), col(_lazy("记录"), lambda r: r.text),
    col(_lazy("金额"), lambda r: r.record.budget if r.notice_kind == NoticeKind.PROJECT else r.record.amount),
    col(_lazy("更正"), _notice_correction)])
def notice_rows_query(actor, g) -> Listing:
    """One notice's rows (`g["notice"]`: the detail page's path names it; its export link carries it)."""
    raw = str(g.get("notice", ""))
    if not raw.isdigit():
        raise NotFound()
    notice = selectors.notice_get_for(actor=actor, pk=int(raw))
    rows = selectors.notice_rows(notice=notice)
    text = _notice_record(notice)
    for row in rows:
        row.notice_kind, row.text = notice.kind, text(row)
    return Listing(rows, [(_("公示"), notice.title), (_("状态"), notice.get_status_display())],
                   context={"notice": notice})


@login_required
def notice_detail(request, pk: int):
    actor = request.user
    listing = notice_rows_query(actor, {"notice": str(pk)})
    notice, rows = listing.context["notice"], listing.rows
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    from sunshine.funds.pdf import notice_public_url

    return render(request, "desk/funds/notice_detail.html", {
        "notice": notice, "page": page, "totals": selectors.notice_totals(notice=notice),
        "entries": selectors.ledger_entries_of(notice=notice),
        "public_url": notice_public_url(notice.code) if notice.code else "", **_can(actor)})


@login_required
@require_POST
def notice_publish_view(request, pk: int):
    actor = request.user
    notice = selectors.notice_get_for(actor=actor, pk=pk)
    try:
        notice = notice_services.notice_publish(actor=actor, notice=notice)
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布公示，核验码 %(code)s") % {"code": notice.code})
    return redirect("desk:funds_notice", pk=pk)


@login_required
@require_POST
def notice_delete_view(request, pk: int):
    actor = request.user
    notice = selectors.notice_get_for(actor=actor, pk=pk)
    notice_services.notice_delete_draft(actor=actor, notice=notice)
    messages.success(request, _("草稿已删除"))
    return redirect("desk:funds_notices")


@login_required
def notice_pdf_view(request, pk: int):
    from sunshine.funds.pdf import notice_pdf

    notice = selectors.notice_get_for(actor=request.user, pk=pk)
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    name = f"notice-{notice.code or 'draft-' + str(notice.pk)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ledger_verify_view(request):
    require(request.user, Capability.VERIFY_LEDGER)
    report = selectors.ledger_verify() if request.method == "POST" else None
    return render(request, "desk/funds/ledger_verify.html", {
        "report": report, "recent": selectors.ledger_recent(limit=20)})

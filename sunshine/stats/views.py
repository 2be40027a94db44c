"""Staff statistics pages under /desk/stats/: the index of tables, one page per table (chart, table, drill-down,
export), the households without a working phone, and the campaign briefs."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import has_capability, require
from sunshine.org.jurisdiction import get_visible

from . import export, registry
from .capabilities import Capability
from .figures import figures, readable_tables
from .registry import Params


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def params_from(query) -> Params:
    region = query.get("region", "")
    return Params(dim=query.get("dim", "") or "region", region_id=int(region) if region.isdigit() else None,
                  date_from=_date(query.get("from")), date_to=_date(query.get("to")))


def _table_or_404(slug: str, actor):
    table = registry.table(slug)
    if table is None or not table.allowed(actor):
        raise Http404
    return table


def filters_of(result) -> list[tuple[str, str]]:
    p = result.params
    out = [(_("统计口径"), str(result.dim.label))]
    if result.region is not None:
        out.append((_("范围"), result.region.name))
    if p.date_from or p.date_to:
        out.append((_("期间"), f"{p.date_from or '…'} ~ {p.date_to or '…'}"))
    out.append((_("数据计算时间"), result.computed_at.strftime("%Y-%m-%d %H:%M") if result.computed_at else ""))
    return out


@login_required
@require_GET
def index(request):
    require(request.user, Capability.VIEW)
    groups: dict[str, list] = {}
    for t in readable_tables(request.user):
        groups.setdefault(t.domain, []).append(t)
    return render(request, "stats/index.html", {"groups": groups,
                                                "can_brief": has_capability(request.user, Capability.BRIEF_READ)})


@login_required
@require_http_methods(["GET", "POST"])
def table_page(request, slug: str):
    actor = request.user
    table = _table_or_404(slug, actor)
    params = params_from(request.GET)
    refresh = request.method == "POST" and has_capability(actor, Capability.BRIEF)
    result = figures(table, actor=actor, params=params, refresh=refresh)
    if request.method == "POST":
        return redirect(request.get_full_path())
    query = request.GET.copy()
    return render(request, "stats/table.html", {
        "result": result, "table": table, "chart": result.chart(), "query": query.urlencode(),
        "dims": table.dims, "can_export": has_capability(actor, Capability.EXPORT),
        "can_refresh": has_capability(actor, Capability.BRIEF),
    })


@login_required
@require_GET
def table_export(request, slug: str):
    actor = request.user
    table = _table_or_404(slug, actor)
    result = figures(table, actor=actor, params=params_from(request.GET))
    headers, rows = export.table_export_rows(result)
    return export.xlsx_response(actor=actor, name=f"stats-{slug}", title=str(table.title),
                                filters=filters_of(result), headers=headers, rows=rows)


@login_required
@require_GET
def no_phone(request):
    """The households behind the SMS table's figures: no phone on record, or a payment SMS that failed."""
    from sunshine.notify.capabilities import Capability as NotifyCapability
    from sunshine.org.jurisdiction import visible
    from sunshine.org.models import Region

    from .tables.notify import no_working_phone

    actor = request.user
    require(actor, Capability.VIEW)
    require(actor, NotifyCapability.VIEW_OUTBOX)
    raw = request.GET.get("region", "")
    region = get_visible(Region.objects.all(), actor=actor, pk=int(raw)) if raw.isdigit() else None
    qs, bad_ids = no_working_phone(region_path=region.path if region else "")
    qs = visible(qs, actor=actor)
    rows = ([h.village.parent.name if h.village.parent_id else "", h.village.name, h.code, h.head_name,
             h.phone, _("无手机号") if not h.phone else _("短信发送失败")] for h in qs)
    if request.GET.get("format") == "xlsx":
        try:
            return export.xlsx_response(
                actor=actor, name="households-no-phone", title=_("无可用手机号的农户"),
                filters=[(_("范围"), region.full_name if region else _("全部可见范围"))],
                headers=[_("乡镇"), _("村"), _("户编号"), _("户主"), _("手机号码"), _("原因")], rows=rows,
                sensitive={4: "phone"}, reason=request.GET.get("reason", ""), object_type="org.household")
        except ApplicationError as exc:
            if exc.status not in (400, 422):
                raise
            messages.error(request, exc.message)
            return redirect(request.path + (f"?region={region.pk}" if region else ""))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "stats/no_phone.html", {
        "page": page, "region": region, "bad_ids": bad_ids,
        "can_export": has_capability(actor, Capability.EXPORT),
        "can_unmask": has_capability(actor, Capability.UNMASK),
    })


@login_required
@require_POST
def refresh_all(request):
    require(request.user, Capability.BRIEF)
    from .summary import refresh_all as run

    done = run()
    messages.success(request, _("已重新计算 %(n)d 组统计数据") % {"n": len(done)})
    return redirect("stats:index")

"""Staff pages: thin views over org selectors; jurisdiction is applied inside the selectors."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sunshine.core import panels
from sunshine.org import selectors, services
from sunshine.org.capabilities import Capability, has_capability
from sunshine.org.choices import PovertyStatus, UnitKind
from sunshine.org.jurisdiction import scope_for

from .exports import Listing, choice_label, col, desk_list, shown

PAGE_SIZE = 50


@desk_list("home-overdue", title=_lazy("超期未办的案件"), page="desk:home", columns=[
    col(_lazy("案件编号"), lambda c: c.number or c.pk), col(_lazy("收到日期"), "received_on"),
    col(_lazy("承办单位"), "handling_unit.name"), col(_lazy("状态"), "get_status_display")])
def home_overdue_query(actor, g) -> Listing:
    """The staff home's 超期未办 box in full: the box shows the first few of the same query (stats.desk_panels)."""
    from sunshine.cases import selectors as cases

    return Listing(cases.overdue_open_cases(actor=actor).select_related("handling_unit"))


@login_required
def home(request):
    actor = request.user
    return render(request, "desk/home.html", {
        "roots": selectors.region_roots_for(actor=actor),
        "scope": scope_for(actor),
        "panels": panels.panels_for(actor=actor),
        "can_import": has_capability(actor, Capability.IMPORT_HOUSEHOLDS),
    })


@login_required
def region_detail(request, region_id: int):
    actor = request.user
    region = selectors.region_get_for(actor=actor, pk=region_id)
    children = selectors.region_list_visible_to(actor=actor, parent_id=region.pk)
    households = selectors.household_list_visible_to(actor=actor, region_id=region.pk)
    return render(request, "desk/region.html", {
        "region": region,
        "children": children,
        "household_count": households.count(),
        "breadcrumbs": _ancestors_visible(actor, region),
    })


def _ancestors_visible(actor, region):
    crumbs = []
    node = region.parent
    scope = scope_for(actor)
    while node is not None:
        if scope.covers_region_path(node.path):
            crumbs.append(node)
        node = node.parent
    return list(reversed(crumbs))


@login_required
def household_list(request):
    actor = request.user
    region_id = request.GET.get("region") or None
    status = request.GET.get("status") or None
    q = request.GET.get("q", "").strip()
    qs = selectors.household_list_visible_to(
        actor=actor, region_id=int(region_id) if region_id and region_id.isdigit() else None, status=status, q=q
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "desk/partials/household_rows.html" if request.htmx else "desk/households.html"
    return render(request, template, {
        "page": page, "q": q, "status": status, "region_id": region_id, "statuses": PovertyStatus.choices,
    })


@login_required
def household_detail(request, household_id: int):
    actor = request.user
    household = selectors.household_get_for(actor=actor, pk=household_id)
    history = None
    if has_capability(actor, Capability.VIEW_AUDIT_HISTORY):
        from auditlog.models import LogEntry

        history = LogEntry.objects.get_for_object(household).select_related("actor")[:50]
    return render(request, "desk/household.html", {
        "household": household, "history": history,
        "can_renew_link": has_capability(actor, Capability.EDIT_HOUSEHOLDS),
    })


@login_required
@require_POST
def household_link_renew(request, household_id: int):
    """Revoke the household's personal link (a lost or shared phone) and give it a new one."""
    services.household_link_renew(actor=request.user, household_id=household_id)
    messages.success(request, _("已重新生成该户的个人链接：旧链接已失效，下一条到账短信带新链接。"))
    return redirect("desk:household", household_id=household_id)


@desk_list("units", title=_lazy("单位"), page="desk:units", columns=[
    col(_lazy("序号"), "member_order"), col(_lazy("单位名称"), "name"), col(_lazy("简称"), "short_name"),
    col(_lazy("类别"), "get_kind_display"), col(_lazy("辖区"), "territory.name")])
def units_query(actor, g) -> Listing:
    kind, q = g.get("kind") or None, g.get("q", "").strip()
    return Listing(selectors.unit_list_visible_to(actor=actor, kind=kind, q=q),
                   shown([(_("类别"), choice_label(UnitKind.choices, kind)), (_("关键词"), q)]))


@login_required
def unit_list(request):
    actor = request.user
    kind = request.GET.get("kind") or None
    units = units_query(actor, request.GET).rows
    return render(request, "desk/units.html", {"units": units, "kinds": UnitKind.choices, "kind": kind,
                                               "q": request.GET.get("q", "").strip()})


@login_required
def person_detail(request, person_id: int):
    actor = request.user
    person = selectors.person_get_for(actor=actor, pk=person_id)
    return render(request, "desk/person.html", {"person": person,
                                                "positions": selectors.positions_of(person=person)})

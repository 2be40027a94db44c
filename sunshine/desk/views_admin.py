"""The separated administrators' pages (三权分立): the security administrator assigns roles, the audit
administrator reads the security audit trail and checks its chain. The system administrator has the admin site."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sunshine.core.audit import AuditEvent, audit_verify
from sunshine.org import selectors, services
from sunshine.org.choices import Role

from .exports import Listing, choice_label, col, desk_list, shown, yes


@desk_list("staff-accounts", title=_lazy("账号与角色"), page="desk:accounts", columns=[
    col(_lazy("用户名"), "username"), col(_lazy("超级用户"), lambda a: yes(a.is_superuser)),
    col(_lazy("单位"), "unit.name"), col(_lazy("二次验证"), lambda a: _("已开启") if a.has_second_factor else _("未开启")),
    col(_lazy("角色"), "get_role_display"), col(_lazy("启用"), lambda a: yes(a.is_active))])
def accounts_query(actor, g) -> Listing:
    return Listing(selectors.account_list_for_role_management(actor=actor))


@login_required
def account_list(request):
    accounts = accounts_query(request.user, request.GET).rows
    return render(request, "desk/accounts.html", {"accounts": accounts, "roles": Role.choices})


@login_required
@require_POST
def account_role(request, account_id: int):
    accounts = selectors.account_list_for_role_management(actor=request.user)
    account = accounts.filter(pk=account_id).first()
    if account is None:
        from sunshine.core.errors import NotFound

        raise NotFound()
    services.account_role_set(account=account, role=request.POST.get("role", ""), actor=request.user)
    messages.success(request, _("已修改 %(name)s 的角色。") % {"name": account.username})
    return redirect("desk:accounts")


AUDIT_PAGE_ROWS = 200  # the page shows the newest; the export carries every record of the filter


@desk_list("audit", title=_lazy("安全审计记录"), page="desk:audit", columns=[
    col(_lazy("时间"), "at"), col(_lazy("操作账号"), "actor_name"),
    col(_lazy("角色"), lambda r: choice_label(Role.choices, r.role)), col(_lazy("事件"), "event"),
    col(_lazy("对象"), lambda r: f"{r.object_type} #{r.object_id}" if r.object_id else r.object_type),
    col(_lazy("结果"), "result"), col(_lazy("请求编号"), "request_id")])
def audit_query(actor, g) -> Listing:
    event = g.get("event", "")
    return Listing(selectors.audit_records_for(actor=actor, event=event, limit=None), shown([(_("事件"), event)]))


@login_required
def audit_list(request):
    event = request.GET.get("event", "")
    records = list(audit_query(request.user, request.GET).rows[:AUDIT_PAGE_ROWS])
    roles = dict(Role.choices)
    chain = audit_verify() if request.GET.get("verify") else None
    return render(request, "desk/audit.html", {
        "records": records, "event": event, "events": [e.value for e in AuditEvent], "chain": chain,
        "roles": roles,
    })

"""The separated administrators' pages (三权分立): the security administrator assigns roles, the audit
administrator reads the security audit trail and checks its chain. The system administrator has the admin site."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sunshine.core.audit import AuditEvent, audit_verify
from sunshine.org import selectors, services
from sunshine.org.choices import Role


@login_required
def account_list(request):
    accounts = selectors.account_list_for_role_management(actor=request.user)
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


@login_required
def audit_list(request):
    event = request.GET.get("event", "")
    records = list(selectors.audit_records_for(actor=request.user, event=event))
    roles = dict(Role.choices)
    chain = audit_verify() if request.GET.get("verify") else None
    return render(request, "desk/audit.html", {
        "records": records, "event": event, "events": [e.value for e in AuditEvent], "chain": chain,
        "roles": roles,
    })

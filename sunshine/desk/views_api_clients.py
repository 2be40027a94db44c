"""The special governance office's page of Open311 clients: issue a key (shown once), revoke it, see each client's
reports. The office holds cases.governance; nobody else sees the page (404, as for any record out of reach)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.cases import selectors, services
from sunshine.core.errors import ApplicationError

PAGE_SIZE = 30


@login_required
@require_http_methods(["GET", "POST"])
def api_client_list(request):
    clients = selectors.api_clients_for(actor=request.user)
    context: dict = {"clients": clients, "form": {}}
    if request.method == "POST":
        try:
            client, key = services.api_client_issue(actor=request.user, name=request.POST.get("name", ""),
                                                    note=request.POST.get("note", ""))
        except ApplicationError as exc:
            context.update(error=exc, form=request.POST)
            return render(request, "desk/cases/api_clients.html", context, status=exc.status)
        # The key is in this answer only: never in a redirect, a message cookie or a log.
        context.update(issued=client, key=key, clients=selectors.api_clients_for(actor=request.user))
    return render(request, "desk/cases/api_clients.html", context)


@login_required
@require_POST
def api_client_revoke(request, client_id: int):
    client = services.api_client_revoke(actor=request.user, client_id=client_id)
    messages.success(request, _("已吊销“%(name)s”的密钥,它再提交的举报将被拒绝。") % {"name": client.name})
    return redirect("desk:cases_api_clients")


@login_required
def api_client_cases(request, client_id: int):
    client = selectors.api_clients_for(actor=request.user).filter(pk=client_id).first()
    if client is None:
        from sunshine.core.errors import NotFound

        raise NotFound(_("未找到该接入系统"), code="api_client_unknown")
    cases = selectors.cases_of_api_client(actor=request.user, client_id=client.pk).select_related(
        "report__region", "handling_unit")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/cases/api_client_cases.html", {"client": client, "page": page})

"""The special governance office's page of Open311 clients: issue a key (shown once), revoke it, see each client's
reports. The office holds cases.governance; nobody else sees the page (404, as for any record out of reach)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from sunshine.cases import selectors, services
from sunshine.core.errors import ApplicationError

from .exports import Listing, col, desk_list

PAGE_SIZE = 30


def _client_state(c) -> str:
    return _("有效") if c.is_active else _("已吊销") + (f" {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "")


@desk_list("api-clients", title=_lazy("接入系统"), page="desk:cases_api_clients", columns=[
    col(_lazy("接入系统"), "name"), col(_lazy("说明"), "note"), col(_lazy("密钥前缀"), "key_prefix"),
    col(_lazy("签发人"), "issued_by.display_name"), col(_lazy("签发日期"), "created_at"),
    col(_lazy("状态"), _client_state), col(_lazy("举报数"), "report_count")])
def api_clients_query(actor, g) -> Listing:
    return Listing(selectors.api_clients_for(actor=actor))


@login_required
@require_http_methods(["GET", "POST"])
def api_client_list(request):
    clients = api_clients_query(request.user, request.GET).rows
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
    messages.success(request, _("已吊销“%(name)s”的密钥，它再提交的举报将被拒绝。") % {"name": client.name})
    return redirect("desk:cases_api_clients")


@desk_list("api-client-cases", title=_lazy("接入系统提交的举报"), page="desk:cases_api_clients", columns=[
    col(_lazy("编号"), "number"), col(_lazy("反映内容"), "report.text"), col(_lazy("所在地"), "report.region.name"),
    col(_lazy("承办单位"), "handling_unit.name"), col(_lazy("状态"), "get_status_display"),
    col(_lazy("收到日期"), "received_on")])
def api_client_cases_query(actor, g) -> Listing:
    """The cases of the client `g["client"]` (the page's path names it; its export link carries it)."""
    raw = str(g.get("client", ""))
    client = selectors.api_clients_for(actor=actor).filter(pk=int(raw)).first() if raw.isdigit() else None
    if client is None:
        from sunshine.core.errors import NotFound

        raise NotFound(_("未找到该接入系统"), code="api_client_unknown")
    cases = selectors.cases_of_api_client(actor=actor, client_id=client.pk).select_related(
        "report__region", "handling_unit")
    return Listing(cases, [(_("接入系统"), client.name)], context={"client": client})


@login_required
def api_client_cases(request, client_id: int):
    listing = api_client_cases_query(request.user, {"client": str(client_id)})
    client, cases = listing.context["client"], listing.rows
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/cases/api_client_cases.html", {"client": client, "page": page})

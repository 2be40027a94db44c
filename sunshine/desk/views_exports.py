"""The XLSX export of any desk list (sunshine.desk.exports): the page's own query with the page's GET parameters."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from sunshine.core.errors import ApplicationError
from sunshine.stats import export

from .exports import desk_lists


@login_required
@require_GET
def list_export(request, name: str):
    entry = desk_lists().get(name)
    if entry is None:
        raise Http404
    actor = request.user
    reason = request.GET.get("reason", "")
    try:
        listing = entry.query(actor, request.GET)
        return export.xlsx_response(actor=actor, name=name, title=str(entry.title), filters=listing.filters,
                                    headers=entry.headers(), rows=entry.rows(listing), sensitive=entry.sensitive,
                                    reason=reason, object_type=entry.object_type)
    except ApplicationError as exc:
        if exc.status != 400:
            raise
        messages.error(request, exc.message)
        query = request.GET.copy()
        query.pop("reason", None)
        return redirect(reverse(entry.page) + (f"?{query.urlencode()}" if query else ""))

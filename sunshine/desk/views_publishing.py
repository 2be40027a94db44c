"""What a township still has to publish (三(二)3): household payments no notice carries, per village, with a
one-step draft of the notice for each village (reviewed, then published on the notice's page)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sunshine.core.errors import ApplicationError
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.services.notices import notice_draft_waiting_payments
from sunshine.org import selectors as org_selectors
from sunshine.org.capabilities import has_capability

from .exports import Listing, col, desk_list


@desk_list("payments-waiting", title=_lazy("待公示的到户发放"), page="desk:funds_waiting", columns=[
    col(_lazy("乡镇"), "township_name"), col(_lazy("村"), "village_name"), col(_lazy("待公示笔数"), "count"),
    col(_lazy("金额（元）"), "total"), col(_lazy("最早发放"), "oldest"), col(_lazy("超期笔数"), "overdue")])
def waiting_query(actor, g) -> Listing:
    return Listing(selectors.payments_waiting_by_village(actor=actor))


@login_required
def payments_waiting(request):
    actor = request.user
    villages = waiting_query(actor, request.GET).rows
    return render(request, "desk/funds/waiting.html", {
        "villages": villages, "total": sum(v.count for v in villages), "overdue": sum(v.overdue for v in villages),
        "due_days": settings.SUNSHINE_PUBLICATION_DUE_DAYS,
        "can_publish": has_capability(actor, Capability.PUBLISH),
    })


@login_required
@require_POST
def payments_waiting_draft(request, village_id: int):
    actor = request.user
    village = org_selectors.region_get_for(actor=actor, pk=village_id)
    try:
        notice = notice_draft_waiting_payments(actor=actor, village=village)
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect("desk:funds_waiting")
    messages.success(request, _("已生成%(village)s的公示草稿（%(count)s 笔），请核对后发布") % {"village": village.name, "count": notice.items.count()})
    return redirect("desk:funds_notice", pk=notice.pk)

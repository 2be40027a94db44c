"""What a township still has to publish (三(二)3): household payments no notice carries, per village, with a
one-step draft of the notice for each village (reviewed, then published on the notice's page)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sunshine.core.errors import ApplicationError
from sunshine.funds import selectors
from sunshine.funds.capabilities import Capability
from sunshine.funds.services.notices import notice_draft_waiting_payments
from sunshine.org import selectors as org_selectors
from sunshine.org.capabilities import has_capability


@login_required
def payments_waiting(request):
    actor = request.user
    villages = selectors.payments_waiting_by_village(actor=actor)
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
    messages.success(request, f"已生成{village.name}的公示草稿（{notice.items.count()} 笔），请核对后发布")
    return redirect("desk:funds_notice", pk=notice.pk)

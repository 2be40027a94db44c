"""The report desk's panel on the staff home page: open cases, overdue, alerts; the office's extra links."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunshine.core.panels import Panel, register
from sunshine.org.capabilities import has_capability

from .capabilities import Capability


@register
def cases_panel(actor):
    if not has_capability(actor, Capability.VIEW) and not has_capability(actor, Capability.ENTER):
        return None
    links = []
    figures = []
    if has_capability(actor, Capability.VIEW):
        from . import selectors

        counts = selectors.case_counts_visible_to(actor=actor, today=timezone.localdate())
        figures = [
            (_("办理中"), counts.open),
            (_("超期"), counts.overdue),
            (_("待处理提醒"), selectors.alerts_for(actor=actor).count()),
            (_("督办中"), counts.urged),
        ]
        links.append((_("举报与案件"), reverse("desk:cases")))
        links.append((_("我承办的案件"), reverse("desk:cases") + "?mine=1"))
        links.append((_("超期未办"), reverse("desk:cases_overdue")))
    if has_capability(actor, Capability.ENTER):
        links.append((_("登记举报"), reverse("desk:case_enter")))
    if has_capability(actor, Capability.REVIEW_EXPOSURE):
        from . import selectors

        figures.append((_("待审核通报"), selectors.exposures_awaiting_review(actor=actor).count()))
        links.append((_("通报曝光审核"), reverse("desk:cases_exposure_reviews")))
    if has_capability(actor, Capability.GOVERNANCE):
        links.append((_("抄送本办的线索"), reverse("desk:cases_copies")))
        links.append((_("身份查阅记录"), reverse("desk:cases_identity_log")))
        links.append((_("接入系统（Open311）"), reverse("desk:cases_api_clients")))
    return Panel(title=_("举报与案件"), links=links, figures=figures, order=30)

"""The funds panel on the staff home page."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sunshine.core import kept
from sunshine.core.panels import Panel, register

KEPT_PAYMENTS = "funds.payments"


@kept.register(KEPT_PAYMENTS)
def _payments_by_village():
    """The whole city's current household payments by village and paying unit (ten million rows: kept)."""
    from . import selectors

    return selectors.payment_counts_by_village()


@register
def funds_panel(actor):
    from sunshine.org.capabilities import has_capability
    from sunshine.org.jurisdiction import scope_for

    from . import selectors
    from .capabilities import Capability

    if not has_capability(actor, Capability.VIEW):
        return None
    links = [(_("资金公开"), reverse("desk:funds_home")), (_("公示"), reverse("desk:funds_notices")),
             (_("待公示清单"), reverse("desk:funds_waiting"))]
    if has_capability(actor, Capability.IMPORT):
        links.append((_("导入发放清单"), reverse("desk:funds_import", args=["payment"])))
    if has_capability(actor, Capability.PUBLISH):
        links.append((_("发布公示"), reverse("desk:funds_notice_new")))
    drafts = selectors.notice_list_visible_to(actor=actor, status="draft").count()
    payments = kept.counts_for(KEPT_PAYMENTS, scope=scope_for(actor))
    return Panel(
        title=_("扶贫资金项目公开"),
        links=links,
        figures=[(_("到户发放笔数"), payments.total),
                 (_("扶贫项目"), selectors.project_list_visible_to(actor=actor).count()),
                 # 三(二)3: what is paid and not yet published (the figure that read "待发布公示 0" before).
                 (_("待公示发放"), selectors.payments_waiting_count(actor=actor)),
                 (_("公示草稿"), drafts)],
        order=20,
        computed_at=payments.computed_at,
    )

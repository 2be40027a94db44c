"""The data comparison's panel on the staff home page."""
from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sunshine.core.panels import Panel, register


@register
def redflags_panel(actor):
    from sunshine.org.capabilities import has_capability

    from . import selectors
    from .capabilities import Capability
    from .choices import HitReview

    if not has_capability(actor, Capability.VIEW):
        return None
    links = [(_("比对疑点"), reverse("desk:redflags_hits")), (_("比对规则"), reverse("desk:redflags_rules"))]
    if has_capability(actor, Capability.IMPORT):
        links.append((_("导入比对名册"), reverse("desk:redflags_registries")))
    counts = selectors.hits_visible_to(actor=actor).order_by().aggregate(
        pending=Count("pk", filter=Q(review=HitReview.PENDING)), confirmed=Count("pk", filter=Q(review=HitReview.CONFIRMED)))
    return Panel(title=_("大数据比对"), links=links,
                 figures=[(_("待核实疑点"), counts["pending"]), (_("已核实属实"), counts["confirmed"])],
                 order=45)

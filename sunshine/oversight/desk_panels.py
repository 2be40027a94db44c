"""The oversight panels on the staff home page."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sunshine.core.panels import Panel, register


@register
def campaign_registers_panel(actor):
    """i13b: the registers of less burden, training, inspection, lasting mechanisms and assessment."""
    from sunshine.org.capabilities import has_capability

    from .capabilities import Capability

    if not has_capability(actor, Capability.VIEW_REGISTERS):
        return None
    return Panel(
        title=_("专项治理台账"),
        links=[(_("概览"), reverse("desk:campaign_home")), (_("填表报数"), reverse("desk:campaign_data_requests")),
               (_("培训"), reverse("desk:campaign_trainings")), (_("巡察审计"), reverse("desk:campaign_inspections")),
               (_("小微权力"), reverse("desk:campaign_micro_powers")),
               (_("年度考核"), reverse("desk:campaign_assessments"))],
        order=40,
    )

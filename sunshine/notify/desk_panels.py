"""The SMS panel on the staff home page: delivery at a glance for the actor's jurisdiction."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sunshine.core.panels import Panel, register
from sunshine.org.capabilities import has_capability

from .capabilities import Capability
from .choices import SmsStatus


@register
def sms_panel(actor):
    from .selectors import sms_status_counts

    if not has_capability(actor, Capability.VIEW_OUTBOX):
        return None
    counts = sms_status_counts(actor=actor)
    links = [(_("短信发件箱"), reverse("desk:notify_outbox"))]
    if has_capability(actor, Capability.EDIT_TEMPLATES):
        links.append((_("短信模板"), reverse("desk:notify_templates")))
    return Panel(
        title=_("短信通知"),
        links=links,
        figures=[
            (_("待发送"), counts[SmsStatus.QUEUED] + counts[SmsStatus.SENDING] + counts[SmsStatus.UNKNOWN]),
            (_("已发送"), counts[SmsStatus.SENT] + counts[SmsStatus.DELIVERED]),
            (_("失败"), counts[SmsStatus.FAILED]),
        ],
        order=60,
    )

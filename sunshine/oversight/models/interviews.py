"""三(三)2: 约谈 — member units with zero problems, clues and cases are talked to; each talk and its outcome."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy


class Interview(TimeStampedModel):
    unit = models.ForeignKey("org.Unit", verbose_name=_("被约谈单位"), on_delete=models.PROTECT,
                             related_name="oversight_interviews")
    year = models.PositiveSmallIntegerField(_("所涉年度"))
    held_on = models.DateField(_("约谈日期"))
    interviewer = models.CharField(_("约谈人"), max_length=120)
    attendees = models.CharField(_("被约谈人"), max_length=200)
    outcome = models.TextField(_("约谈情况及整改要求"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(unit="unit_id")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("约谈")
        verbose_name_plural = verbose_name

"""三(三)2: 在岗抽查 of village work teams and pairing cadres, so a team on paper only (挂名, 走读) shows."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from ..choices import PresenceResult


class PresenceCheck(TimeStampedModel):
    position = models.ForeignKey("org.Position", verbose_name=_("被抽查人员任职"), on_delete=models.PROTECT,
                                 related_name="presence_checks")
    # Where the check was made (the work team's village, or a village of the cadre's paired households).
    village = models.ForeignKey("org.Region", verbose_name=_("抽查地点"), on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField(_("抽查日期"))
    result = models.CharField(_("结果"), max_length=12, choices=PresenceResult.choices)
    note = models.CharField(_("情况说明"), max_length=500, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # 召回 citing this check (cases.Recall), set when a recall is made from the presence page.
    recall = models.ForeignKey("cases.Recall", verbose_name=_("召回"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    jurisdiction = ScopedBy(region_path="village__path", unit="position__unit_id")

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("在岗抽查")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["position", "checked_on"], name="oversight_presence_pos_date")]

"""三(二)1: 调研督查 — who went where, when, how, with whom, and what they found."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from ..choices import VisitMethod


class Visit(TimeStampedModel):
    visitor = models.ForeignKey("org.Person", verbose_name=_("调研人"), on_delete=models.PROTECT,
                                related_name="oversight_visits")
    # The visitor's unit when the visit was made (a department sees its own people's visits).
    visitor_unit = models.ForeignKey("org.Unit", verbose_name=_("调研人单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("调研日期"))
    village = models.ForeignKey("org.Region", verbose_name=_("村(社区)"), on_delete=models.PROTECT,
                                related_name="oversight_visits")
    household = models.ForeignKey("org.Household", verbose_name=_("走访农户"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="oversight_visits")
    method = models.CharField(_("方式"), max_length=16, choices=VisitMethod.choices)
    companions = models.CharField(_("同行人员"), max_length=200, blank=True)
    findings = models.TextField(_("发现问题"), blank=True)
    report = models.ForeignKey("cases.Report", verbose_name=_("登记的问题线索"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="village__path", unit="visitor_unit_id")

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("调研督查")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["visitor", "visited_on"], name="oversight_visit_who_when")]

    def __str__(self) -> str:
        return f"{self.visitor} {self.visited_on} {self.village}"

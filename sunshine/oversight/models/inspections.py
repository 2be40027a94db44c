"""Inspections (巡察) and audits (审计) with their targets and findings (三(三)2)."""
from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from ..choices_i13b import FindingStatus, InspectionKind


class Inspection(TimeStampedModel):
    """One inspection or audit: who conducts it, when, whether it is special (专项), and its targets."""

    kind = models.CharField(_("类别"), max_length=12, choices=InspectionKind.choices)
    title = models.CharField(_("名称"), max_length=160)
    conducted_by = models.ForeignKey("org.Unit", verbose_name=_("实施单位"), on_delete=models.PROTECT,
                                     related_name="+")
    # The area it covers (a township, or the city for city units); it places the record for scoping.
    region = models.ForeignKey("org.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_special = models.BooleanField(_("专项巡察/审计"), default=False)
    reason = models.CharField(_("立项理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="region__path", unit="conducted_by_id")

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("巡察审计")
        verbose_name_plural = _("巡察审计")
        constraints = [models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                              name="ov_inspection_end_after_start")]

    def __str__(self) -> str:
        return self.title


class InspectionTarget(models.Model):
    """One target: a unit, a project or a fund allocation (exactly one)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("funds.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    allocation = models.ForeignKey("funds.FundAllocation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    jurisdiction = ScopedBy(region_path="inspection__region__path", unit="inspection__conducted_by_id")

    class Meta:
        ordering = ["inspection", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, project__isnull=True, allocation__isnull=True)
                           | Q(unit__isnull=True, project__isnull=False, allocation__isnull=True)
                           | Q(unit__isnull=True, project__isnull=True, allocation__isnull=False)),
                name="ov_target_exactly_one"),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.project or self.allocation)


class InspectionFinding(TimeStampedModel):
    """A problem found; sent on as a rectification item (整改) of the responsible unit."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("发现的问题"))
    amount = models.DecimalField(_("涉及金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN,
                              editable=False)
    # The rectification item it became (i13a's register); an id, so this app's migrations stay apart.
    rectification_id = models.BigIntegerField(_("整改事项"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="inspection__region__path", unit="unit_id")

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("巡察审计发现问题")
        verbose_name_plural = _("巡察审计发现问题")


for _model in (Inspection, InspectionTarget, InspectionFinding):
    auditlog.register(_model)

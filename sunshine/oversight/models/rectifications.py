"""三(三)2: rectification items (整改) from any source, their 回头看 follow-ups and their overdue escalations."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from ..choices import FollowUpOutcome, RectificationStatus, SourceKind

_SCOPE = ScopedBy(region_path="region__path", unit="owner_unit_id")


class RectificationItem(TimeStampedModel):
    source_kind = models.CharField(_("来源"), max_length=16, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("来源记录编号"), null=True, blank=True)
    title = models.CharField(_("整改事项"), max_length=120)
    description = models.TextField(_("问题描述"), blank=True)
    region = models.ForeignKey("org.Region", verbose_name=_("所在地"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    owner_unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT,
                                   related_name="rectification_items")
    owner_person = models.ForeignKey("org.Person", verbose_name=_("责任人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("整改期限"))
    # One writer: services.rectifications (open → done → confirmed, or back to open at a 回头看).
    status = models.CharField(_("状态"), max_length=12, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    evidence = models.TextField(_("整改情况及佐证"), blank=True)
    done_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("销号日期"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("重新整改次数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = _SCOPE

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("整改事项")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["status", "deadline"], name="oversight_rect_status_due"),
                   models.Index(fields=["source_kind", "source_id"], name="oversight_rect_source")]
        constraints = [
            models.CheckConstraint(condition=Q(status=RectificationStatus.OPEN) | Q(done_on__isnull=False),
                                   name="oversight_rect_done_has_date"),
        ]

    def __str__(self) -> str:
        return self.title


class RectificationFollowUp(TimeStampedModel):
    """回头看: a check after the owner reported the item done; confirms it (销号) or reopens it."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="follow_ups")
    checked_on = models.DateField(_("回头看日期"))
    outcome = models.CharField(_("结论"), max_length=12, choices=FollowUpOutcome.choices)
    note = models.TextField(_("情况"))
    new_deadline = models.DateField(_("新的整改期限"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="item__region__path", unit="item__owner_unit_id")

    class Meta:
        ordering = ["checked_on", "pk"]
        verbose_name = _("回头看")
        verbose_name_plural = verbose_name


class RectificationAlert(TimeStampedModel):
    """An overdue item escalated to the owner's superior and the office: once per item and deadline."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="alerts")
    due_on = models.DateField(_("到期日"))
    message = models.CharField(_("内容"), max_length=300)
    units = models.ManyToManyField("org.Unit", related_name="+")

    jurisdiction = ScopedBy(region_path="item__region__path", unit="item__owner_unit_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("整改超期督办")
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["item", "due_on"], name="oversight_rect_alert_once")]

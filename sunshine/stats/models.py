"""The issued campaign briefs. (The statistics tables' precomputed base rows are kept in core.Kept: sunshine.stats.summary.)"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BriefKind(models.TextChoices):
    WEEKLY = "weekly", _("周报")
    MONTHLY = "monthly", _("月报")


class BriefStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class Brief(models.Model):
    """信息综合 (三(一)3): the office's weekly or monthly brief to the leading group. The figures are generated
    for the period and frozen into `figures` when the draft is made; the office edits the text and issues it; an
    issued brief is kept as issued (its DOCX and PDF are rendered from the kept text and figures)."""

    kind = models.CharField(_("类型"), max_length=8, choices=BriefKind.choices)
    number = models.PositiveIntegerField(_("期号"))
    year = models.PositiveSmallIntegerField(_("年度"))
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("正文"))
    figures = models.JSONField(_("数据"), default=dict)
    status = models.CharField(_("状态"), max_length=8, choices=BriefStatus.choices, default=BriefStatus.DRAFT,
                              editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", editable=False)
    issued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("工作简报")
        verbose_name_plural = _("工作简报")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], condition=Q(status="issued"),
                                    name="stats_brief_issued_number_unique"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="stats_brief_period_order"),
            models.CheckConstraint(condition=Q(status="draft") | Q(issued_at__isnull=False),
                                   name="stats_brief_issued_has_time"),
        ]

    def __str__(self) -> str:
        return self.title

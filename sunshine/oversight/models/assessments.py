"""Annual assessment (三(四)1): the 四责四诺 commitments of each unit and their year-end check.

The indicators themselves are computed from the records (selectors.assessments); nothing here holds a score."""
from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from ..choices_i13b import CommitmentKind


class Commitment(TimeStampedModel):
    """One of a unit's 四责四诺 for a year, with special governance written in; checked at year end."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=16, choices=CommitmentKind.choices)
    text = models.CharField(_("内容"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField(_("年终检查日期"), null=True, blank=True, editable=False)
    kept = models.BooleanField(_("已兑现"), null=True, blank=True, editable=False)
    check_note = models.CharField(_("检查情况"), max_length=300, blank=True, editable=False)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)

    jurisdiction = ScopedBy(region_path="unit__territory__path", unit="unit_id")

    class Meta:
        ordering = ["-year", "unit", "kind", "id"]
        verbose_name = _("四责四诺")
        verbose_name_plural = _("四责四诺")

    def __str__(self) -> str:
        return self.text


auditlog.register(Commitment)

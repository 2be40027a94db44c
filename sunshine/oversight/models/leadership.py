"""三(一)3: the special-governance leading group (组长, 副组长, member units, the office), membership over time."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel

from ..choices import LeadingGroupRole


class LeadingGroupMember(TimeStampedModel):
    """One seat of the leading group held from a date to a date (end empty while current)."""

    role = models.CharField(_("职务"), max_length=20, choices=LeadingGroupRole.choices)
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    title = models.CharField(_("职务名称"), max_length=120, blank=True)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["end_date", "role", "start_date"]
        verbose_name = _("专项治理领导小组成员")
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="oversight_lgm_end_after_start"),
            # A member unit is a unit; every other seat is a person.
            models.CheckConstraint(condition=(Q(role=LeadingGroupRole.MEMBER_UNIT, unit__isnull=False)
                                              | (~Q(role=LeadingGroupRole.MEMBER_UNIT) & Q(person__isnull=False))),
                                   name="oversight_lgm_person_or_unit"),
            models.UniqueConstraint(fields=["role"], condition=Q(end_date__isnull=True, role="leader"),
                                    name="oversight_lgm_one_leader"),
            models.UniqueConstraint(fields=["unit"], condition=Q(end_date__isnull=True, role="member_unit"),
                                    name="oversight_lgm_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person or self.unit}"

"""Lasting mechanisms (三(四)): village micro-power lists, grids, weak village party organisations, sector
departments' annual poverty tasks."""
from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from ..choices_i13b import TaskStatus


class MicroPower(TimeStampedModel):
    """One item of a village's micro-power list (小微权力清单): what power, on what basis, who is responsible."""

    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT,
                                related_name="micro_powers")
    order = models.PositiveSmallIntegerField(_("序号"))
    category = models.CharField(_("类别"), max_length=40)
    title = models.CharField(_("事项"), max_length=120)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    responsible_post = models.CharField(_("责任岗位"), max_length=40)
    is_published = models.BooleanField(_("已公开"), default=True)

    jurisdiction = ScopedBy(region_path="village__path")

    class Meta:
        ordering = ["village", "order", "id"]
        verbose_name = _("小微权力事项")
        verbose_name_plural = _("小微权力清单")
        constraints = [models.UniqueConstraint(fields=["village", "order"], name="ov_micropower_order_unique",
                                               violation_error_message=_("该村已有这个序号的事项"))]

    def __str__(self) -> str:
        return self.title


class MicroPowerStep(models.Model):
    """A procedure step of a micro-power item and the post responsible for it."""

    item = models.ForeignKey(MicroPower, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("步骤"))
    name = models.CharField(_("环节"), max_length=120)
    responsible_post = models.CharField(_("责任岗位"), max_length=40)

    jurisdiction = ScopedBy(region_path="item__village__path")

    class Meta:
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="ov_micropower_step_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Grid(TimeStampedModel):
    """A grid (网格) within a village: its villager groups and its grid workers."""

    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT, related_name="grids")
    name = models.CharField(_("网格名称"), max_length=60)
    groups = models.ManyToManyField("org.Region", verbose_name=_("所含村民小组"), blank=True, related_name="grids_in")
    workers = models.ManyToManyField("org.Person", verbose_name=_("网格员"), blank=True, related_name="grids")

    jurisdiction = ScopedBy(region_path="village__path")

    class Meta:
        ordering = ["village", "name"]
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="ov_grid_name_unique",
                                               violation_error_message=_("该村已有同名网格"))]

    def __str__(self) -> str:
        return self.name


class WeakOrganisation(TimeStampedModel):
    """A village party organisation designated weak (软弱涣散), and when it was lifted (摘帽)."""

    village = models.ForeignKey("org.Region", verbose_name=_("村"), on_delete=models.PROTECT,
                                related_name="weak_designations")
    year = models.PositiveSmallIntegerField(_("认定年度"))
    reasons = models.TextField(_("主要问题"))
    designated_on = models.DateField(_("认定日期"))
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_on = models.DateField(_("销号日期"), null=True, blank=True, editable=False)
    lift_note = models.CharField(_("销号情况"), max_length=300, blank=True, editable=False)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", editable=False)

    jurisdiction = ScopedBy(region_path="village__path")

    class Meta:
        ordering = ["-designated_on", "-id"]
        verbose_name = _("软弱涣散村党组织")
        verbose_name_plural = _("软弱涣散村党组织")
        constraints = [
            models.UniqueConstraint(fields=["village"], condition=Q(lifted_on__isnull=True),
                                    name="ov_weakorg_one_active", violation_error_message=_("该村已被认定且尚未销号")),
            models.CheckConstraint(condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("designated_on")),
                                   name="ov_weakorg_lifted_after"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"


class DeptTask(TimeStampedModel):
    """A sector department's annual poverty task (行业扶贫年度任务) with its target and what is done."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("任务"), max_length=200)
    measure = models.CharField(_("计量单位"), max_length=20, default="项")
    target = models.DecimalField(_("目标"), max_digits=14, decimal_places=2)
    completed = models.DecimalField(_("已完成"), max_digits=14, decimal_places=2, default=0)
    due_on = models.DateField(_("完成时限"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN,
                              editable=False)
    note = models.CharField(_("进展说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="unit__territory__path", unit="unit_id")

    class Meta:
        ordering = ["-year", "unit", "id"]
        verbose_name = _("行业扶贫年度任务")
        verbose_name_plural = _("行业扶贫年度任务")
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="ov_task_target_positive"),
            models.CheckConstraint(condition=Q(completed__gte=0), name="ov_task_completed_nonnegative"),
            models.CheckConstraint(condition=Q(status=TaskStatus.OPEN) | Q(completed_on__isnull=False),
                                   name="ov_task_done_has_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ratio(self) -> float:
        return float(self.completed / self.target) if self.target else 0.0


for _model in (MicroPower, MicroPowerStep, Grid, WeakOrganisation, DeptTask):
    auditlog.register(_model)

"""Training (三(二)5): the city's training plan, its sessions and who attended."""
from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy


class TrainingPlan(TimeStampedModel):
    """The year's city training plan for poverty-alleviation cadres (市委组织部、市扶贫办联合制定)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=120)
    content = models.TextField(_("培训内容"), blank=True)
    organiser = models.ForeignKey("org.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # A city-wide plan: the selector shows it to every staff member who may read the registers.
    jurisdiction = ScopedBy(region_path="organiser__territory__path", unit="organiser_id")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("培训计划")
        verbose_name_plural = _("培训计划")

    def __str__(self) -> str:
        return self.title


class TrainingSession(TimeStampedModel):
    """One training session (班次) of a plan."""

    plan = models.ForeignKey(TrainingPlan, verbose_name=_("培训计划"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="sessions")
    organiser = models.ForeignKey("org.Unit", verbose_name=_("举办单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("班次名称"), max_length=120)
    held_on = models.DateField(_("培训日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    topics = models.CharField(_("内容"), max_length=300, blank=True)
    covers_governance = models.BooleanField(_("含作风问题专项治理内容"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="organiser__territory__path", unit="organiser_id")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("培训班次")
        verbose_name_plural = _("培训班次")

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    """A cadre who attended a session (entered by hand or from a sign-in sheet)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("org.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(_("来源"), max_length=120, blank=True, help_text=_("签到表文件名;手工录入为空"))

    jurisdiction = ScopedBy(region_path="session__organiser__territory__path", unit="session__organiser_id")

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="ov_attendance_once",
                                               violation_error_message=_("此人已签到"))]

    def __str__(self) -> str:
        return f"{self.session_id} {self.person_id}"


for _model in (TrainingPlan, TrainingSession, TrainingAttendance):
    auditlog.register(_model)

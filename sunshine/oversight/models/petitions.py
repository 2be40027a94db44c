"""三(二)2: leader-led petitions (领办) — the assignment, the leader's instructions (批示), the reporter meeting."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

_CASE_SCOPE = ScopedBy(region_path="case__handling_unit__territory__path", unit="case__handling_unit_id")


class LeaderAssignment(TimeStampedModel):
    """A case handed by the office to a city leader to lead personally (one leader per case)."""

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="leader_assignment")
    leader = models.ForeignKey("org.Person", verbose_name=_("领办市领导"), on_delete=models.PROTECT,
                               related_name="led_cases")
    year = models.PositiveSmallIntegerField(_("年度"))
    assigned_on = models.DateField(_("交办日期"))
    note = models.CharField(_("交办说明"), max_length=500, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = _CASE_SCOPE

    class Meta:
        ordering = ["-assigned_on", "-pk"]
        verbose_name = _("市领导领办信访件")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["leader", "year"], name="oversight_lead_leader_year")]


class LeaderInstruction(TimeStampedModel):
    """批示: what the leader instructs the handler to do on the led case."""

    assignment = models.ForeignKey(LeaderAssignment, on_delete=models.CASCADE, related_name="instructions")
    text = models.TextField(_("批示内容"))
    given_on = models.DateField(_("批示日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="assignment__case__handling_unit__territory__path",
                            unit="assignment__case__handling_unit_id")

    class Meta:
        ordering = ["given_on", "pk"]
        verbose_name = _("领导批示")
        verbose_name_plural = verbose_name


class ReporterMeeting(TimeStampedModel):
    """The leader's in-person meeting with the real-name reporter (上门见面): when, where, who, what was said."""

    assignment = models.ForeignKey(LeaderAssignment, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField(_("见面日期"))
    place = models.CharField(_("地点"), max_length=120)
    attendees = models.CharField(_("参加人员"), max_length=300)
    summary = models.TextField(_("见面情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="assignment__case__handling_unit__territory__path",
                            unit="assignment__case__handling_unit_id")

    class Meta:
        ordering = ["met_on", "pk"]
        verbose_name = _("与举报人见面")
        verbose_name_plural = verbose_name

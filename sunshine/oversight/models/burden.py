"""Less burden on villages (三(二)4): data requests addressed to villages, documents issued, assessments of villages."""
from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from ..choices_i13b import AssessmentStatus, BasisLevel, DataRequestKind, DataRequestStatus


class DataRequest(TimeStampedModel):
    """A request for data addressed to villages: who asks, which fields, why, by when; registered or refused."""

    requester_unit = models.ForeignKey("org.Unit", verbose_name=_("要求单位"), on_delete=models.PROTECT,
                                       related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                     related_name="+")
    # The villages asked: one village, the villages of a township, or every village of the city.
    region = models.ForeignKey("org.Region", verbose_name=_("填报范围"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=16, choices=DataRequestKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    fields = models.JSONField(_("要求填报的项目"), default=list)
    purpose = models.CharField(_("用途"), max_length=300)
    deadline = models.DateField(_("报送期限"))
    status = models.CharField(_("状态"), max_length=12, choices=DataRequestStatus.choices, editable=False)
    refusal_reason = models.CharField(_("拒绝理由"), max_length=300, blank=True, editable=False)
    # What the platform already holds instead: [{"label": ..., "url": ...}, ...]
    alternatives = models.JSONField(_("平台已有数据"), default=list, blank=True, editable=False)

    jurisdiction = ScopedBy(region_path="region__path", unit="requester_unit_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("村级填表报数要求")
        verbose_name_plural = _("村级填表报数要求")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DataRequestStatus.values), name="ov_datareq_status_valid"),
            models.CheckConstraint(condition=~Q(status=DataRequestStatus.REFUSED) | ~Q(refusal_reason=""),
                                   name="ov_datareq_refusal_has_reason"),
            # 三(二)4: one annual 建档立卡 filing per year for the whole city.
            models.UniqueConstraint(fields=["year"], condition=Q(kind=DataRequestKind.ANNUAL_FILING,
                                                                 status=DataRequestStatus.REGISTERED),
                                    name="ov_datareq_one_annual_filing"),
        ]

    def __str__(self) -> str:
        return self.title


class IssuedDocument(TimeStampedModel):
    """A document issued by a unit; one that forwards a higher document without measures of its own is 层层转发."""

    issuer = models.ForeignKey("org.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    issued_on = models.DateField(_("发文日期"))
    # The higher document it forwards: one in this register, or only its number when it came from outside.
    forwards = models.ForeignKey("self", verbose_name=_("转发的文件"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="forwarded_by")
    forwards_number = models.CharField(_("转发的上级文号"), max_length=60, blank=True)
    has_measures = models.BooleanField(_("出台具体措施"), default=False,
                                       help_text=_("转发文件时是否结合本地实际出台了具体措施"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="issuer__territory__path", unit="issuer_id")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("发文登记")
        verbose_name_plural = _("发文登记")
        constraints = [models.UniqueConstraint(fields=["issuer", "number"], name="ov_document_number_unique",
                                               violation_error_message=_("该单位已登记这个文号"))]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_forward(self) -> bool:
        return bool(self.forwards_id or self.forwards_number)

    @property
    def is_relay(self) -> bool:
        """三(二)4: a forward with no measures of its own (层层抄文)."""
        return self.is_forward and not self.has_measures


class VillageAssessment(TimeStampedModel):
    """An assessment (考核评估) of villages; only those set from above are registered (三(二)4)."""

    organiser = models.ForeignKey("org.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey("org.Region", verbose_name=_("考核范围"), on_delete=models.PROTECT, related_name="+")
    basis_level = models.CharField(_("部署层级"), max_length=12, choices=BasisLevel.choices)
    basis_document = models.CharField(_("部署文件文号"), max_length=80, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=AssessmentStatus.choices, editable=False)
    refusal_reason = models.CharField(_("不予登记理由"), max_length=300, blank=True, editable=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    jurisdiction = ScopedBy(region_path="region__path", unit="organiser_id")

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("村级考核评估登记")
        verbose_name_plural = _("村级考核评估登记")

    def __str__(self) -> str:
        return self.title


for _model in (DataRequest, IssuedDocument, VillageAssessment):
    auditlog.register(_model)

"""Choices of the registers of i13b's subjects: data requests, documents, trainings, inspections, lasting mechanisms,
assessments."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataRequestKind(models.TextChoices):
    # 三(二)4: the one data filing villages may be asked for each year, by unified deployment.
    ANNUAL_FILING = "annual_filing", _("建档立卡年度数据填报")
    OTHER = "other", _("其他填表报数")


class DataRequestStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    REFUSED = "refused", _("已拒绝")


class AssessmentStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    REFUSED = "refused", _("不予登记")


class BasisLevel(models.TextChoices):
    """Who set an assessment of villages: only levels above the city's own departments may (三(二)4)."""

    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("湘潭市")
    CITY_PARTY_GOV = "city", _("市委、市政府统一部署")
    NONE = "none", _("本单位自行组织")


ABOVE_LEVELS = {BasisLevel.CENTRAL, BasisLevel.PROVINCE, BasisLevel.PREFECTURE, BasisLevel.CITY_PARTY_GOV}


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("巡察")
    AUDIT = "audit", _("审计")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    SENT = "sent", _("已转整改")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    DONE = "done", _("已完成")


class CommitmentKind(models.TextChoices):
    # 三(四)1: 四责四诺 — the four responsibilities and four promises of each unit.
    RESPONSIBILITY = "responsibility", _("责")
    PROMISE = "promise", _("诺")


class AssessedKind(models.TextChoices):
    TOWNSHIP = "township", _("乡镇(街道)")
    CITY_UNIT = "city_unit", _("市直单位")

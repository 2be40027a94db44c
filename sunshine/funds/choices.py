"""Choices of the funds-disclosure domain (work plan 三(二)3 and 三(二)4)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class FundLevel(models.TextChoices):
    """三(二)3: allocation results of poverty funds from every level are made public."""

    NATIONAL = "national", _("中央")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")  # 湘潭市 (the prefecture above the county-level city)
    COUNTY = "county", _("县级")  # 湘乡市本级


class RecipientKind(models.TextChoices):
    TOWNSHIP = "township", _("乡镇(街道)")
    VILLAGE = "village", _("村")
    PROJECT = "project", _("项目")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("申报")
    APPROVED = "approved", _("已审批")
    FILED = "filed", _("已登记备案")
    TENDERED = "tendered", _("已招标")
    IN_PROGRESS = "in_progress", _("实施中")
    ACCEPTED = "accepted", _("已验收")
    MAINTAINED = "maintained", _("管护中")
    CANCELLED = "cancelled", _("已撤销")


# The one table of allowed project edges (project_transition refuses any other). 三(二)4: an approved project is
# registered and filed (审批登记备案) before it is tendered or started; village self-built projects skip tendering.
PROJECT_TRANSITIONS: dict[str, set[str]] = {
    ProjectStatus.PLANNED: {ProjectStatus.APPROVED, ProjectStatus.CANCELLED},
    ProjectStatus.APPROVED: {ProjectStatus.FILED, ProjectStatus.CANCELLED},
    ProjectStatus.FILED: {ProjectStatus.TENDERED, ProjectStatus.IN_PROGRESS, ProjectStatus.CANCELLED},
    ProjectStatus.TENDERED: {ProjectStatus.IN_PROGRESS, ProjectStatus.CANCELLED},
    ProjectStatus.IN_PROGRESS: {ProjectStatus.ACCEPTED},
    ProjectStatus.ACCEPTED: {ProjectStatus.MAINTAINED},
    ProjectStatus.MAINTAINED: set(),
    ProjectStatus.CANCELLED: set(),
}

# The order a project passes through, for the progress display and for imports that state only dates.
PROJECT_STAGE_ORDER = [
    ProjectStatus.PLANNED, ProjectStatus.APPROVED, ProjectStatus.FILED, ProjectStatus.TENDERED,
    ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED, ProjectStatus.MAINTAINED,
]


class Direction(models.TextChoices):
    RECEIPT = "in", _("收入")
    PAYMENT = "out", _("支出")


class NoticeKind(models.TextChoices):
    ALLOCATION = "allocation", _("资金分配结果公示")
    PROJECT = "project", _("扶贫项目公示")
    PAYMENT = "payment", _("到户资金发放公示")
    TRANSACTION = "transaction", _("村级账户收支公示")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公示")


class LedgerKind(models.TextChoices):
    PUBLISH = "publish", _("发布公示")
    CORRECT = "correct", _("更正")


class RecordType(models.TextChoices):
    """The four kinds of record a notice can carry; also the `kind` of their ImportJob rows."""

    ALLOCATION = "allocation", _("资金分配")
    PROJECT = "project", _("扶贫项目")
    PAYMENT = "payment", _("到户资金发放")
    TRANSACTION = "transaction", _("村级账户收支")


# 三(二)3: project and fund notices stay up at least this many days (the 公示期).
MIN_NOTICE_DAYS = 10

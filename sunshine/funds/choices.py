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
    TOWNSHIP = "township", _("乡镇（街道）")
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


# For each stage: the facts a project records on reaching it (key → (label, required)); the desk's transition
# form and the projects importer both check them.
STAGE_FACTS: dict[str, dict[str, tuple[str, bool]]] = {
    ProjectStatus.APPROVED: {"approval_document": ("审批文号", True), "approver": ("审批单位", False)},
    ProjectStatus.FILED: {},
    ProjectStatus.TENDERED: {"tender_method": ("招标方式", True), "contractor": ("中标单位", True),
                             "contract_amount": ("合同金额", False)},
    ProjectStatus.IN_PROGRESS: {"contractor": ("施工单位", False)},
    ProjectStatus.ACCEPTED: {"acceptance_note": ("验收结论", True)},
    ProjectStatus.MAINTAINED: {"maintainer": ("管护主体", True), "maintenance_note": ("管护措施", False)},
    ProjectStatus.CANCELLED: {},
}


# The field that holds the date a project reached the stage (the other stages have no date of their own).
STAGE_DATE: dict[str, str] = {
    ProjectStatus.APPROVED: "approved_on", ProjectStatus.FILED: "filed_on", ProjectStatus.IN_PROGRESS: "started_on",
    ProjectStatus.ACCEPTED: "accepted_on",
}


def project_stage_path(furthest: str, *, skip: frozenset = frozenset()) -> list[str]:
    """The stages a project passes from PLANNED to `furthest` along PROJECT_TRANSITIONS, without the `skip`ped
    ones (an untendered project goes from filed straight to work); ValueError when the table has no such path."""
    path = [ProjectStatus.PLANNED]
    for stage in PROJECT_STAGE_ORDER[1:PROJECT_STAGE_ORDER.index(furthest) + 1]:
        if stage in skip:
            continue
        if stage not in PROJECT_TRANSITIONS[path[-1]]:
            raise ValueError(f"no project stage edge {path[-1]} → {stage}")
        path.append(stage)
    return path


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

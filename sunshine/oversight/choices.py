"""Choices of oversight's field work (i13a: visits, 领办, 整改, 在岗抽查, 约谈, leading group)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitMethod(models.TextChoices):
    # 三(二)1: 调研督查要……采取“四不两直”和“点穴式”方式进行
    FOUR_NOT_TWO_DIRECT = "four_not_two", _("四不两直")
    PINPOINT = "pinpoint", _("点穴式")
    OTHER = "other", _("其他")


class FindingAction(models.TextChoices):
    NONE = "none", _("仅记录")
    REPORT = "report", _("作为问题线索登记")
    RECTIFICATION = "rectification", _("列入整改事项")


class LeadingGroupRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER_UNIT = "member_unit", _("成员单位")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")
    OFFICE_DEPUTY = "office_deputy", _("办公室副主任")


class SourceKind(models.TextChoices):
    CASE = "case", _("案件")
    VISIT = "visit", _("调研督查")
    INSPECTION = "inspection", _("巡察")
    AUDIT = "audit", _("审计")
    PRESENCE = "presence", _("在岗抽查")
    OTHER = "other", _("其他")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("已整改待回头看")
    CONFIRMED = "confirmed", _("回头看已销号")


class FollowUpOutcome(models.TextChoices):
    CONFIRM = "confirm", _("整改到位,销号")
    REOPEN = "reopen", _("整改不到位,重新整改")


class PresenceResult(models.TextChoices):
    PRESENT = "present", _("在岗")
    ON_LEAVE = "on_leave", _("请假(有审批)")
    COMMUTING = "commuting", _("走读")
    ABSENT = "absent", _("不在岗")


# Results that count against the cadre: away without leave, or living elsewhere and only passing by.
ABSENT_RESULTS = frozenset({PresenceResult.ABSENT, PresenceResult.COMMUTING})

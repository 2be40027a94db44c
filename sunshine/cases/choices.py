"""Choices of the report desk (work plan 三(三))."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a report came in (三(三)1: online reporting, hotline, report box, supervision card, grid, ...)."""

    ONLINE = "online", _("网上举报")
    HOTLINE = "hotline", _("举报电话")
    REPORT_BOX = "report_box", _("举报箱")
    SUPERVISION_CARD = "supervision_card", _("监督卡")
    GRID_WORKER = "grid_worker", _("网格员")
    VISIT = "visit", _("调研督查")
    AUDIT = "audit", _("审计")
    INSPECTION = "inspection", _("巡察")
    TRANSFER_FROM_ABOVE = "transfer_from_above", _("上级转办")
    REDFLAG = "redflag", _("大数据比对")


# Channels a reporter uses on their own; the others are entered by staff at the desk (who is recorded).
PUBLIC_CHANNELS = {Channel.ONLINE}


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    SCREENING = "screening", _("甄别中")
    TRANSFERRED = "transferred", _("已转办")
    PRELIMINARY = "preliminary", _("初步核实")
    INVESTIGATION = "investigation", _("立案审查")
    CONCLUDED = "concluded", _("已作出结论")
    ACCOUNTABILITY = "accountability", _("问责整改")
    REPLY = "reply", _("已答复举报人")
    CLOSED = "closed", _("已办结")


# Statuses in which the case has been accepted (受理): the reporter has been told it is being handled.
ACCEPTED_STATUSES = {
    CaseStatus.TRANSFERRED, CaseStatus.PRELIMINARY, CaseStatus.INVESTIGATION, CaseStatus.CONCLUDED,
    CaseStatus.ACCOUNTABILITY, CaseStatus.REPLY, CaseStatus.CLOSED,
}
CONCLUDED_STATUSES = {CaseStatus.CONCLUDED, CaseStatus.ACCOUNTABILITY, CaseStatus.REPLY, CaseStatus.CLOSED}


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY = "partly", _("部分属实")
    NOT_SUBSTANTIATED = "not_substantiated", _("不属实")


class Priority(models.IntegerChoices):
    """Lower sorts first: 三(三)2 poverty clues are handled first."""

    POVERTY = 1, _("扶贫领域优先")
    NORMAL = 2, _("一般")


class MessageSide(models.TextChoices):
    HANDLER = "handler", _("承办人")
    REPORTER = "reporter", _("举报人")


class MessageKind(models.TextChoices):
    QUESTION = "question", _("询问")
    ANSWER = "answer", _("补充/回复")
    RESULT = "result", _("办理结果答复")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("收到举报")
    TRANSITION = "transition", _("状态变更")
    ROUTED = "routed", _("分办")
    PRIORITY = "priority", _("调整优先级")
    TRANSFER = "transfer", _("移送")
    COPY = "copy", _("抄送")
    ESCALATE = "escalate", _("提级办理")
    TYPE_CONFIRMED = "type_confirmed", _("确认问题类型")
    SUSPECTED = "suspected", _("标记涉嫌违纪")
    QUESTION = "question", _("向举报人询问")
    ANSWER = "answer", _("举报人补充")
    DUPLICATE = "duplicate", _("标记重复举报")
    ACCOUNTABILITY = "accountability", _("问责")
    RECOVERY = "recovery", _("追缴资金")
    FUNDS_RETURNED = "funds_returned", _("资金返还")
    RECALL = "recall", _("召回")
    DUAL = "dual", _("一案双查")
    EXPOSURE = "exposure", _("通报曝光")
    DEADLINE = "deadline", _("时限提醒")
    HANDLER = "handler", _("指定承办人")
    URGE = "urge", _("督办")
    EXPOSURE_REVIEW = "exposure_review", _("通报审核")


class TransferKind(models.TextChoices):
    """Every change of handling unit is one CaseTransfer row of one of these kinds (services.transfers)."""

    ROUTED = "routed", _("分办")  # at intake, by the routing rule table (routing.RULES)
    HANDOVER = "handover", _("转办")  # the 转办 step: the competent unit handles it from now on
    REFERRAL = "referral", _("移送")  # 三(三)1 by procedure, e.g. a suspected violation to the discipline office
    ESCALATE = "escalate", _("提级办理")  # 三(三)2 a discipline room takes the clue up
    DUAL = "dual", _("一案双查")  # the supervisors' case stays with the discipline office that opened it


class DeadlineKind(models.TextChoices):
    TRANSFER = "transfer", _("甄别移送")  # 5 working days from receipt to a decision (转办/受理)
    ACCEPT_NOTICE = "accept_notice", _("告知受理")  # 15 working days: tell a real-name reporter it was accepted
    REPLY = "reply", _("答复举报人")  # 15 working days from conclusion: reply to the reporter


class AlertLevel(models.TextChoices):
    REMINDER = "reminder", _("即将到期提醒")
    ESCALATION = "escalation", _("超期督办")


class AccountabilityMeasure(models.TextChoices):
    CRITICISM = "criticism", _("批评教育")
    ADMONITION = "admonition", _("诫勉谈话")
    CIRCULATED = "circulated", _("通报批评")
    DISCIPLINARY = "disciplinary", _("党纪政务处分")
    ORGANISATIONAL = "organisational", _("组织处理")
    JUDICIAL = "judicial", _("移送司法机关")


class Sanction(models.TextChoices):
    """The sanction of an accountability measure, as the regulations name it.

    党纪处分: 《中国共产党纪律处分条例》第八条; 政务处分: 《公职人员政务处分法》第七条;
    组织处理: 《中国共产党组织处理规定(试行)》第七条.
    """

    PARTY_WARNING = "party_warning", _("党纪处分：警告")
    PARTY_SERIOUS_WARNING = "party_serious_warning", _("党纪处分：严重警告")
    PARTY_POST_REMOVAL = "party_post_removal", _("党纪处分：撤销党内职务")
    PARTY_PROBATION = "party_probation", _("党纪处分：留党察看")
    PARTY_EXPULSION = "party_expulsion", _("党纪处分：开除党籍")
    GOV_WARNING = "gov_warning", _("政务处分：警告")
    GOV_DEMERIT = "gov_demerit", _("政务处分：记过")
    GOV_MAJOR_DEMERIT = "gov_major_demerit", _("政务处分：记大过")
    GOV_DEMOTION = "gov_demotion", _("政务处分：降级")
    GOV_DISMISSAL = "gov_dismissal", _("政务处分：撤职")
    GOV_EXPULSION = "gov_expulsion", _("政务处分：开除")
    ORG_SUSPENSION = "org_suspension", _("组织处理：停职检查")
    ORG_REASSIGNMENT = "org_reassignment", _("组织处理：调整职务")
    ORG_RESIGNATION = "org_resignation", _("组织处理：责令辞职")
    ORG_REMOVAL = "org_removal", _("组织处理：免职")
    ORG_DEMOTION = "org_demotion", _("组织处理：降职")


# Which sanctions each measure takes; the other measures take none.
SANCTIONS_BY_MEASURE: dict[str, tuple[str, ...]] = {
    AccountabilityMeasure.DISCIPLINARY: tuple(v for v in Sanction.values if v.startswith(("party_", "gov_"))),
    AccountabilityMeasure.ORGANISATIONAL: tuple(v for v in Sanction.values if v.startswith("org_")),
}


class ExposureStatus(models.TextChoices):
    """通报曝光 is proposed by the handling office and approved by the special governance office before it is public."""

    PENDING = "pending", _("待审核")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("已发布")


class RecallKind(models.TextChoices):
    WORK_TEAM = "work_team", _("驻村工作队员")
    PAIRING_CADRE = "pairing_cadre", _("结对帮扶责任人")


class ExampleSource(models.TextChoices):
    STAFF_CONFIRMED = "staff_confirmed", _("工作人员确认")
    STAFF_CORRECTED = "staff_corrected", _("工作人员更正")
    SEED = "seed", _("标注样本")

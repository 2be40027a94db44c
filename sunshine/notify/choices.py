"""Choices of the SMS outbox (三(二)3)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    # The gateway may or may not have taken it (timeout, crash): settled by asking the gateway before any resend.
    UNKNOWN = "unknown", _("待核实")
    SENT = "sent", _("已提交运营商")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("失败")


# Statuses a dispatcher still has work for.
OPEN_STATUSES = (SmsStatus.QUEUED, SmsStatus.SENDING, SmsStatus.UNKNOWN)
FINAL_STATUSES = (SmsStatus.DELIVERED, SmsStatus.FAILED)

# The one table of allowed edges (sms_transition refuses any other).
TRANSITIONS: dict[str, set[str]] = {
    SmsStatus.QUEUED: {SmsStatus.SENDING, SmsStatus.FAILED},
    SmsStatus.SENDING: {SmsStatus.SENDING, SmsStatus.QUEUED, SmsStatus.UNKNOWN, SmsStatus.SENT,
                        SmsStatus.DELIVERED, SmsStatus.FAILED},
    SmsStatus.UNKNOWN: {SmsStatus.SENDING, SmsStatus.SENT, SmsStatus.DELIVERED, SmsStatus.FAILED},
    SmsStatus.SENT: {SmsStatus.DELIVERED, SmsStatus.FAILED},
    SmsStatus.DELIVERED: set(),
    SmsStatus.FAILED: set(),
}


class AttemptOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("运营商已受理")
    RETRY = "retry", _("限流或暂时错误，稍后重试")
    FAILED = "failed", _("发送失败")
    UNKNOWN = "unknown", _("结果不明（超时）")
    QUERIED_FOUND = "queried_found", _("查询确认已发送")
    QUERIED_MISSING = "queried_missing", _("查询确认未发送")
    QUERIED_UNKNOWN = "queried_unknown", _("查询无结果")
    RECEIPT = "receipt", _("回执")

"""SMS templates and the SMS outbox: one row per message, written in the transaction of the fact it announces."""
from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from .choices import AttemptOutcome, SmsStatus

PROTECTED_LABEL = _("受保护（举报人）")
PROTECTED_TEXT = _("【举报办理告知短信，内容已加密保存】")


class SmsTemplate(TimeStampedModel):
    """A Chinese message text with {placeholders}; staff may edit the text, not the set of placeholders callers fill."""

    code = models.CharField(_("模板代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    body = models.TextField(_("短信内容"), help_text=_("用 {参数名} 引用参数，例如 {amount}"))
    # The parameters callers supply (fixed by the code that queues the message): the text may use any of them.
    params = models.JSONField(_("可用参数"), default=list, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("短信模板")
        verbose_name_plural = _("短信模板")

    def __str__(self) -> str:
        return f"{self.name}({self.code})"


class SmsBody(models.Model):
    """What a message says: the text rendered at queue time and its template parameters (what is recorded is what
    was sent). Messages with the same text share one body: a million-row payment import (三(二)3: every household
    told of every payment by SMS) says a few hundred different things, and keeping each text once makes its outbox
    rows a fifth of the size."""

    # SHA-256 of the template code, parameters and text; a protected (whistleblower) body gets a random digest and
    # is never shared, its text and parameters being encrypted.
    digest = models.CharField(max_length=64, unique=True)
    template_code = models.CharField(_("模板"), max_length=40)
    # [[name, value], ...] in the order the template text uses them (Tencent's TemplateParamSet is positional);
    # {"enc": <ciphertext>} when protected.
    params = models.JSONField(_("参数"), default=list)
    text = models.TextField(_("短信内容"))
    # Billed segments of each message saying this (notify.services.links.sms_segments: signature and personal
    # link included), counted once per body at queue time; a message's count is its body's.
    segments = models.PositiveSmallIntegerField(_("计费条数"), default=1, db_default=1)
    protected = models.BooleanField(_("受保护"), default=False)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("短信内容")
        verbose_name_plural = _("短信内容")

    def __str__(self) -> str:
        return str(PROTECTED_TEXT) if self.protected else self.text[:40]


class SmsMessage(models.Model):
    """One SMS in the outbox: who gets it, which body, and where its delivery stands."""

    # Unique through Meta.constraints (one index serving both the key lookups and the staff page's prefix search).
    idempotency_key = models.CharField(_("幂等键"), max_length=128)
    # A protected message (to a whistleblower) keeps its phone encrypted here: ciphertext needs the room.
    phone = models.CharField(_("手机号码"), max_length=255)
    template_code = models.CharField(_("模板"), max_length=40)
    # Bodies are written before the messages that use them and never deleted (no code deletes one and the admin
    # does not offer it), so the database keeps no per-row foreign-key check: on PostgreSQL that check is a query
    # and a lock on the shared body row for every one of an import's million messages.
    body = models.ForeignKey(SmsBody, verbose_name=_("短信内容"), on_delete=models.PROTECT, related_name="+",
                             db_index=False, db_constraint=False)
    purpose = models.CharField(_("用途"), max_length=40, blank=True)
    # The record the message announces (a payment, a case). Its idempotency key names the record too, and that is
    # what lookups use, so these columns need no index of their own.
    related_type = models.CharField(_("关联对象类型"), max_length=40, blank=True)
    related_id = models.BigIntegerField(_("关联对象"), null=True, blank=True)
    # The region (usually the village) the message concerns, for jurisdiction scoping of the staff outbox page.
    region_path = models.CharField(max_length=80, blank=True)
    # Reporter SMS: the number and text identify a whistleblower, so they are encrypted at rest like the identity
    # record (the number here, the text and parameters in the message's own body) and decrypted only by the
    # dispatcher at send time; staff pages show neither.
    protected = models.BooleanField(_("受保护"), default=False, db_default=False)

    status = models.CharField(_("状态"), max_length=12, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_attempt_at = models.DateTimeField(_("最近发送时间"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("下次处理时间"))
    # A claim by one dispatcher: nobody else touches a 'sending' row until its lease expires.
    lease_token = models.CharField(max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(_("短信通道"), max_length=16, blank=True)
    provider_message_id = models.CharField(_("通道消息编号"), max_length=80, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    # Not indexed: lists order by id, which follows the queueing order.
    created_at = models.DateTimeField(_("入队时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    sent_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("失败时间"), null=True, blank=True)

    jurisdiction = ScopedBy(region_path="region_path")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        indexes = [
            # The dispatcher's two scans, each an ordered walk of a small partial index even with a million
            # rows queued: rows waiting for their time, and rows whose claim (lease) has run out.
            models.Index(fields=["next_attempt_at", "id"], name="notify_sms_waiting",
                         condition=Q(status__in=["queued", "unknown"])),
            models.Index(fields=["lease_expires_at"], name="notify_sms_leased", condition=Q(status="sending")),
            models.Index(fields=["region_path"], name="notify_sms_region_like", opclasses=["varchar_pattern_ops"]),
            # Receipts look messages up by the gateway's id, which a row gets only once sent: rows are queued
            # without one, so the index leaves them out and costs a bulk import nothing.
            models.Index(fields=["provider", "provider_message_id"], name="notify_sms_provider_id",
                         condition=~Q(provider_message_id="")),
        ]
        constraints = [
            # One message per key. Pattern opclass: the same unique index also serves the outbox page's
            # "key starts with" search (on PostgreSQL unique=True would add a second, pattern index on the column,
            # a fifth of the index work of every bulk insert). ON CONFLICT (idempotency_key) infers it.
            models.UniqueConstraint(fields=["idempotency_key"], name="notify_sms_key_unique",
                                    opclasses=["varchar_pattern_ops"]),
            models.CheckConstraint(condition=Q(status__in=SmsStatus.values), name="notify_sms_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_expires_at__isnull=False), name="notify_sms_sending_leased"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} → {PROTECTED_LABEL if self.protected else self.phone} ({self.status})"

    def plain_phone(self) -> str:
        from sunshine.core.crypto import decrypt

        return decrypt(self.phone) if self.protected else self.phone

    @property
    def text(self) -> str:
        """The text as stored: ciphertext for a protected message (see plain_text)."""
        return self.body.text

    @property
    def params(self):
        return self.body.params

    @property
    def segments(self) -> int:
        """Billed segments of this message (its body's count)."""
        return self.body.segments

    def plain_text(self) -> str:
        from sunshine.core.crypto import decrypt

        return decrypt(self.body.text) if self.protected else self.body.text

    def plain_params(self) -> list:
        import json

        from sunshine.core.crypto import decrypt

        return json.loads(decrypt(self.body.params["enc"])) if self.protected else self.body.params

    @property
    def shown_text(self) -> str:
        """What staff pages may show of the text."""
        return str(PROTECTED_TEXT) if self.protected else self.body.text


class SmsAttempt(models.Model):
    """One conversation with the gateway about a message (a send, a status query or a receipt): its history."""

    message = models.ForeignKey(SmsMessage, on_delete=models.CASCADE, related_name="attempt_log")
    outcome = models.CharField(_("结果"), max_length=16, choices=AttemptOutcome.choices)
    provider = models.CharField(_("短信通道"), max_length=16)
    provider_message_id = models.CharField(max_length=80, blank=True)
    error = models.TextField(_("错误"), blank=True)
    status_after = models.CharField(max_length=12, choices=SmsStatus.choices)
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("短信发送记录")
        verbose_name_plural = _("短信发送记录")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} → {self.get_status_after_display()}"


auditlog.register(SmsTemplate)

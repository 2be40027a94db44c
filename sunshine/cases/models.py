"""The report desk (三(三)): reports, cases and their one state machine, deadlines, protection, outcomes."""
from __future__ import annotations

import os
import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from .choices import (
    SANCTIONS_BY_MEASURE,
    AccountabilityMeasure,
    AlertLevel,
    CaseStatus,
    Channel,
    DeadlineKind,
    EventKind,
    ExampleSource,
    ExposureStatus,
    Finding,
    MessageKind,
    MessageSide,
    Priority,
    RecallKind,
    Sanction,
    TransferKind,
)

# A case is seen by its handling unit and, for a territorial handling unit, by everyone whose territory covers it
# (and by supervising discipline rooms, whose scope holds the units they supervise). A case routed to a discipline
# office is therefore NOT visible to the township it concerns: the people reported on must not read the report.
_CASE_SCOPE = ScopedBy(region_path="handling_unit__territory__path", unit="handling_unit_id")


class ApiClient(TimeStampedModel):
    """A system allowed to file reports through Open311 (it cannot answer the form's question): issued, revoked and
    watched by the special governance office. Only a hash of its key is kept; the key is shown once at issue."""

    name = models.CharField(_("接入系统名称"), max_length=80)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT,
                                  related_name="+")
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("吊销人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")
        constraints = [
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                                   name="cases_apiclient_revoked_by_someone"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random directory and name under MEDIA_ROOT: the path of one attachment tells nothing about another."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"cases/{timezone.now():%Y}/{uuid.uuid4().hex}/{uuid.uuid4().hex}{ext}"


class Report(TimeStampedModel):
    """One report (举报) as it came in: what, where, about whom, through which channel. Anonymous by default."""

    channel = models.CharField(_("来源渠道"), max_length=24, choices=Channel.choices)
    text = models.TextField(_("反映内容"))
    region = models.ForeignKey(
        "org.Region", verbose_name=_("所在地"), null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    about_person_name = models.CharField(_("被反映人"), max_length=60, blank=True)
    about_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("被反映单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An objection about a published record (e.g. "funds.payment", 123): the record the villager disputes.
    about_type = models.CharField(_("异议对象类型"), max_length=40, blank=True)
    about_id = models.BigIntegerField(_("异议对象编号"), null=True, blank=True)
    # Only a hash of the receipt code is kept; the code is shown to the reporter once.
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    receipt_hint = models.CharField(_("查询码尾号"), max_length=4, blank=True, editable=False)
    is_real_name = models.BooleanField(_("实名举报"), default=False)
    suggested_problem_type = models.ForeignKey(
        "org.ProblemType", verbose_name=_("建议问题类型"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    suggestion_score = models.FloatField(_("建议置信度"), null=True, blank=True)
    suggestions = models.JSONField(_("分类建议"), default=list, blank=True)  # [[number, score], ...]
    problem_type = models.ForeignKey(
        "org.ProblemType", verbose_name=_("问题类型"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reports",
    )
    problem_type_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("重复于"), null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    likely_duplicates = models.ManyToManyField(
        "self", through="ReportSimilarity", symmetrical=False, blank=True, related_name="+"
    )
    is_repeat = models.BooleanField(_("重复举报"), default=False)
    # 越级: a township or village matter that came in above the township (city desk, transfer from above).
    skipped_level = models.BooleanField(_("越级举报"), default=False)
    received_by = models.ForeignKey(
        "org.Unit", verbose_name=_("受理单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # The Open311 client (the city's 12388 system, a WeChat account…) that filed it; empty for the form and the desk.
    api_client = models.ForeignKey(
        "cases.ApiClient", verbose_name=_("接入系统"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reports",
    )

    jurisdiction = ScopedBy(region_path="cases__handling_unit__territory__path", unit="cases__handling_unit_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="cases_report_channel_valid"),
            models.CheckConstraint(
                condition=Q(about_id__isnull=True) | ~Q(about_type=""), name="cases_report_about_type_with_id"
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=F("id")), name="cases_report_not_own_duplicate"
            ),
        ]
        indexes = [models.Index(fields=["about_type", "about_id"], name="cases_report_about")]

    def __str__(self) -> str:
        return f"举报 {self.pk}"


class ReportSimilarity(models.Model):
    """A likely duplicate found at intake (score from sunshine.cases.similarity)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="similar_links")
    similar_to = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["report", "similar_to"], name="cases_similarity_unique_pair"),
            models.CheckConstraint(condition=~Q(report=F("similar_to")), name="cases_similarity_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} ≈ {self.similar_to_id} ({self.score:.2f})"


class ReporterIdentity(TimeStampedModel):
    """Who reported, kept apart from the report and encrypted at rest (sunshine.core.crypto).

    Read only through services.identity_read, which checks the capability and the case's handling unit and logs
    the read. The admin, the API, logs and auditlog never show these fields.
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    name_encrypted = models.TextField(editable=False)
    phone_encrypted = models.TextField(editable=False, blank=True)
    id_number_encrypted = models.TextField(editable=False, blank=True)
    # HMAC of the ID number (or phone) under SECRET_KEY: finds repeat reports by one person without decrypting.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("举报人身份")
        verbose_name_plural = _("举报人身份")

    def __repr__(self) -> str:  # never leak ciphertext or plaintext into tracebacks or logs
        return f"<ReporterIdentity report={self.report_id}>"

    __str__ = __repr__


class Case(TimeStampedModel):
    """The handling of one report: one state machine from receipt to closure (see transitions.STEPS)."""

    number = models.CharField(_("案件编号"), max_length=24, unique=True, null=True, blank=True)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    finding = models.CharField(_("核查结论"), max_length=20, choices=Finding.choices, blank=True)
    conclusion = models.TextField(_("办理情况"), blank=True)
    result_for_reporter = models.TextField(_("答复举报人内容"), blank=True)
    priority = models.PositiveSmallIntegerField(_("优先级"), choices=Priority.choices, default=Priority.NORMAL)
    handling_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="handled_cases"
    )
    # 承办人: named by the handling unit's head (services.case_assign_handler); cleared when the case changes unit.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    suspected_violation = models.BooleanField(_("涉嫌违纪"), default=False)
    escalated = models.BooleanField(_("提级办理"), default=False)
    # 一案双查: the case on those who should have supervised the matter of `dual_of`.
    dual_of = models.ForeignKey(
        "self", verbose_name=_("一案双查原案"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="dual_cases",
    )
    received_on = models.DateField(_("收到日期"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    jurisdiction = _CASE_SCOPE

    class Meta:
        ordering = ["priority", "-created_at"]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        constraints = [
            # One active case per report: a reopened case goes back through the same row.
            models.UniqueConstraint(
                fields=["report"], condition=~Q(status=CaseStatus.CLOSED), name="cases_case_one_active_per_report",
                violation_error_message=_("该举报已有正在办理的案件"),
            ),
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="cases_case_status_valid"),
            models.CheckConstraint(
                condition=Q(finding="") | Q(finding__in=Finding.values), name="cases_case_finding_valid"
            ),
            models.CheckConstraint(
                condition=Q(dual_of__isnull=True) | ~Q(dual_of=F("id")), name="cases_case_not_own_dual"
            ),
        ]
        indexes = [models.Index(fields=["status", "priority"], name="cases_case_status_priority")]

    def __str__(self) -> str:
        return self.number or f"案件 {self.pk}"


class CaseUrge(models.Model):
    """督办: the special governance office or a city leader urges a case, with a note and a date to act by.

    Open until the case is closed (办结); the handler sees urged cases at the top of the queue, and
    selectors.urge_counts counts them for the statistics desk.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="urges")
    note = models.TextField(_("督办意见"))
    due_on = models.DateField(_("办理期限"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("督办人"), on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    jurisdiction = ScopedBy(region_path="case__handling_unit__territory__path", unit="case__handling_unit_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="cases_urge_note_required")]
        indexes = [models.Index(fields=["case", "resolved_at"], name="cases_urge_open")]

    def __str__(self) -> str:
        return f"督办 {self.case_id} {self.due_on}"


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when, why. `public` lines show on the reporter's page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.to_status}"


class CaseTransfer(models.Model):
    """Every change of a case's handling unit, of one TransferKind (分办, 转办, 移送, 提级办理, 一案双查).

    Written only by services.transfers.transfer_record, the one writer of Case.handling_unit after intake.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("方式"), max_length=12, choices=TransferKind.choices)
    from_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("移送理由"))
    rule = models.CharField(_("依据规则"), max_length=40, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("移送记录")
        verbose_name_plural = _("移送记录")
        constraints = [models.CheckConstraint(condition=Q(kind__in=TransferKind.values),
                                              name="cases_transfer_kind_valid")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_unit_id}"


class CaseCopy(models.Model):
    """A copy of a clue to the special governance office (三(三)2: 抄送市专项治理办)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="copies")
    to_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="case_copies")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    jurisdiction = ScopedBy(unit="to_unit_id")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["case", "to_unit"], name="cases_copy_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.case_id} 抄送 {self.to_unit_id}"


class Message(models.Model):
    """A message between the handler and the reporter; the reporter reads and writes with the receipt code."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    side = models.CharField(max_length=10, choices=MessageSide.choices)
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_by_reporter_at = models.DateTimeField(null=True, blank=True)
    read_by_handler_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # A reporter's message never names a staff author; a handler's always does.
            models.CheckConstraint(
                condition=Q(side=MessageSide.REPORTER, author__isnull=True)
                | Q(side=MessageSide.HANDLER, author__isnull=False),
                name="cases_message_author_matches_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.created_at:%Y-%m-%d}"


class Attachment(models.Model):
    """A file sent with a report or a message, stored under MEDIA_ROOT at a random path."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or f"附件 {self.pk}"


class ClassifierExample(TimeStampedModel):
    """A labelled text for the problem-type classifier: staff confirmations and corrections are training data."""

    text = models.TextField()
    problem_type = models.ForeignKey("org.ProblemType", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, choices=ExampleSource.choices)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=Q(report__isnull=False),
                                    name="cases_example_one_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.problem_type_id}: {self.text[:20]}"


class IdentityAccessLog(models.Model):
    """Every read of a reporter's identity: who, when, why, which case. Shown to the special governance office."""

    identity = models.ForeignKey(ReporterIdentity, on_delete=models.PROTECT, related_name="access_log")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="identity_reads")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("查阅理由"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="cases_identity_log_reason_required")]

    def __str__(self) -> str:
        return f"{self.actor_id} 查阅 {self.case_id}"


class CaseDeadline(models.Model):
    """A deadline in working days (sunshine.core.workdays); met when the step is done, alerted before and after."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=16, choices=DeadlineKind.choices)
    starts_on = models.DateField()
    due_on = models.DateField(db_index=True)
    working_days = models.PositiveSmallIntegerField()
    # Due date counted on Monday–Friday because the holiday calendar has no data yet for that year.
    estimated = models.BooleanField(default=False)
    met_at = models.DateTimeField(null=True, blank=True)

    jurisdiction = ScopedBy(region_path="case__handling_unit__territory__path", unit="case__handling_unit_id")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # One open deadline of a kind per case; a reopened case starts a new one after the old was met.
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(met_at__isnull=True),
                                    name="cases_deadline_one_open_per_kind"),
            models.CheckConstraint(condition=Q(due_on__gte=F("starts_on")), name="cases_deadline_due_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.due_on}"


class DeadlineAlert(models.Model):
    """A reminder before, or an escalation after, a deadline: at most one of each level per deadline."""

    deadline = models.ForeignKey(CaseDeadline, on_delete=models.CASCADE, related_name="alerts")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    level = models.CharField(max_length=12, choices=AlertLevel.choices)
    # Units told: the handling unit for a reminder; its superior and the governance office for an escalation.
    units = models.ManyToManyField("org.Unit", related_name="case_alerts")
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    jurisdiction = ScopedBy(region_path="case__handling_unit__territory__path", unit="units")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["deadline", "level"], name="cases_alert_once_per_level")]

    def __str__(self) -> str:
        return self.message


class Accountability(TimeStampedModel):
    """A measure taken against a named person or unit (批评教育 … 党纪政务处分, 移送司法机关)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accountabilities")
    measure = models.CharField(_("问责方式"), max_length=16, choices=AccountabilityMeasure.choices)
    # The sanction by name for 党纪政务处分 and 组织处理 (SANCTIONS_BY_MEASURE); empty for the other measures.
    sanction = models.CharField(_("处分/处理种类"), max_length=24, choices=Sanction.choices, blank=True)
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("被问责人"), max_length=60, blank=True)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"))
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(person_name="") | Q(unit__isnull=False),
                                   name="cases_accountability_names_someone"),
            models.CheckConstraint(condition=Q(measure__in=AccountabilityMeasure.values),
                                   name="cases_accountability_measure_valid"),
            # A sanction belongs to its measure. Empty is accepted for rows recorded before sub-types existed;
            # services.accountability_record requires one for 党纪政务处分 and 组织处理.
            models.CheckConstraint(
                condition=Q(sanction="")
                | Q(measure=AccountabilityMeasure.DISCIPLINARY,
                    sanction__in=SANCTIONS_BY_MEASURE[AccountabilityMeasure.DISCIPLINARY])
                | Q(measure=AccountabilityMeasure.ORGANISATIONAL,
                    sanction__in=SANCTIONS_BY_MEASURE[AccountabilityMeasure.ORGANISATIONAL]),
                name="cases_accountability_sanction_matches_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name or self.unit_id} {self.get_measure_display()}"


class FundRecovery(TimeStampedModel):
    """Money recovered in a case (三(四)1: returned to the people it was taken from at once)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recoveries")
    amount = models.DecimalField(_("追缴金额"), max_digits=14, decimal_places=2)
    recovered_on = models.DateField(_("追缴日期"))
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["recovered_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="cases_recovery_amount_positive")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount}"


class FundReturn(TimeStampedModel):
    """Part of a recovery returned to one household, and when."""

    recovery = models.ForeignKey(FundRecovery, on_delete=models.CASCADE, related_name="returns")
    household = models.ForeignKey("org.Household", on_delete=models.PROTECT, related_name="fund_returns")
    amount = models.DecimalField(_("返还金额"), max_digits=14, decimal_places=2)
    returned_on = models.DateField(_("返还日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["returned_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cases_return_amount_positive"),
            models.UniqueConstraint(fields=["recovery", "household"], name="cases_return_once_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.amount}"


class Recall(TimeStampedModel):
    """召回 of a village work-team member or pairing cadre (三(三)2); ends their position."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recalls")
    position = models.OneToOneField("org.Position", on_delete=models.PROTECT, related_name="recall")
    kind = models.CharField(max_length=16, choices=RecallKind.choices)
    recalled_on = models.DateField(_("召回日期"))
    reason = models.TextField(_("召回原因"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"召回 {self.position_id}"


class Exposure(TimeStampedModel):
    """通报曝光 of a concluded case: public text with personal data minimised (names masked unless officials).

    Proposed by the handling office (pending), approved by a second person of the special governance office
    (published) or sent back with a comment (returned, then edited and proposed again). Only published ones are
    public; services.exposures.exposure_review / exposure_propose are the writers of `status`.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="exposure")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("通报内容"))  # stored already minimised: what the public sees
    status = models.CharField(_("状态"), max_length=12, choices=ExposureStatus.choices,
                              default=ExposureStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The approver (a second person); empty until published.
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExposureStatus.values), name="cases_exposure_status_valid"),
            # Public exactly when approved, and never approved by the person who proposed it.
            models.CheckConstraint(
                condition=Q(status=ExposureStatus.PUBLISHED, published_at__isnull=False, published_by__isnull=False)
                | (~Q(status=ExposureStatus.PUBLISHED) & Q(published_at__isnull=True)),
                name="cases_exposure_public_once_approved",
            ),
            models.CheckConstraint(
                condition=Q(proposed_by__isnull=True) | Q(published_by__isnull=True)
                | ~Q(proposed_by=F("published_by")),
                name="cases_exposure_second_person",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ExposurePerson(models.Model):
    """A person named in an exposure; the name is stored as shown (masked unless `is_named_official`)."""

    exposure = models.ForeignKey(Exposure, on_delete=models.CASCADE, related_name="people")
    shown_name = models.CharField(max_length=60)
    title = models.CharField(max_length=80, blank=True)
    is_named_official = models.BooleanField(default=False)
    measure = models.CharField(max_length=16, choices=AccountabilityMeasure.choices, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.shown_name


auditlog.register(Report, exclude_fields=["receipt_hash", "text"])
auditlog.register(Case)
auditlog.register(CaseTransfer)
auditlog.register(Accountability)
auditlog.register(FundRecovery)
auditlog.register(FundReturn)
auditlog.register(Recall)
auditlog.register(Exposure)
auditlog.register(CaseUrge)
# The identity's encrypted fields are excluded: auditlog keeps only that an identity row exists.
auditlog.register(ReporterIdentity,
                  exclude_fields=["name_encrypted", "phone_encrypted", "id_number_encrypted", "fingerprint"])

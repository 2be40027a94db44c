"""Shared kernel models: the abstract base and the import job every bulk import records itself in."""
from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedBy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ImportJob(TimeStampedModel):
    """One file import: its progress, its outcome and, when it failed, every bad row with its reason.

    Bulk writes bypass django-auditlog, so this row is the audit record of an import batch.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("导入中")
        SUCCEEDED = "succeeded", _("已完成")
        REJECTED = "rejected", _("有错误，未导入")
        FAILED = "failed", _("系统错误，未导入")

    kind = models.CharField(_("导入类型"), max_length=40)
    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_rows = models.PositiveIntegerField(_("新增"), default=0)
    updated_rows = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("未变化"), default=0)
    errors = models.JSONField(_("错误行"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The unit whose jurisdiction the import wrote into (for scoping the job list).
    unit_id_scope = models.BigIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life of the process running the job (set when it starts; while it runs the beat is in the
    # cache, since the import's own transaction is not visible). A job silent past its limit is marked failed.
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    # What the job was queued with besides the file (e.g. the bank account of a statement), to run it again.
    options = models.JSONField(default=dict, blank=True)
    # The job this one runs again (an officer's "重新导入" after a failure).
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    jurisdiction = ScopedBy(unit="unit_id_scope")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.SUCCEEDED, self.Status.REJECTED, self.Status.FAILED):
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.processed_rows * 100 / self.total_rows))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.REJECTED, self.Status.FAILED)


class ApiToken(TimeStampedModel):
    """A bearer token for the JSON API; only its hash is stored."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.account} · {self.name}"


# An import's rows are written in bulk (no audit-log rows of their own): the job's creation, start and outcome
# are, with the acting account (the request's user, or `--user` of a `sunshine import_*` command). The bad rows
# stay on the job only (a reason may quote a personal number).
auditlog.register(ImportJob, exclude_fields=["errors", "stored_path"])


class AuditQuerySet(models.QuerySet):
    """Append-only in Python too (the PostgreSQL trigger is the real guard): no bulk update or delete."""

    def update(self, **kwargs):
        raise ValueError("audit records are append-only")

    def delete(self):
        raise ValueError("audit records are append-only; sunshine.core.audit.audit_prune removes expired ones")


class AuditRecord(models.Model):
    """One security event (sunshine.core.audit): append-only, hash-chained, no personal data.

    No foreign keys: a record must outlive the account it names, and a cascade would have to UPDATE or DELETE it
    (the PostgreSQL trigger of core migration 0004 refuses both).
    """

    at = models.DateTimeField(_("时间"), db_index=True)  # UTC (USE_TZ)
    actor_id = models.BigIntegerField(_("操作人编号"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("操作账号"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=24, blank=True)
    event = models.CharField(_("事件"), max_length=40, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    result = models.CharField(_("结果"), max_length=12)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    detail = models.JSONField(_("说明"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("安全审计记录")
        verbose_name_plural = _("安全审计记录")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event} {self.result}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit records are append-only; sunshine.core.audit.audit_prune removes expired ones")


class RateCounter(models.Model):
    """A rate-limit window or a one-use token counted in the database while the cache (Redis) is down.

    `key` is a keyed hash (sunshine.core.ratelimit.keyed_digest): the secret rotates daily and is never stored,
    so no row holds or reveals an address."""

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count}"


class TaskOutbox(models.Model):
    """A background task recorded in the same transaction as the write that needs it, and handed to the broker
    after commit; left here while the broker is down, then sent by the drain (worker and beat start-up, a beat
    tick, `sunshine tasks_drain`). The row is deleted once the broker has the task."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("待发送的后台任务")
        verbose_name_plural = _("待发送的后台任务")

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class PlanValue(models.Model):
    """The office's value of one of the plan's numbers for one year (core/plan.py); absent means the plan's default."""

    year = models.PositiveSmallIntegerField(_("年度"))
    key = models.CharField(_("参数"), max_length=80)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("设定人"))
    set_at = models.DateTimeField(_("设定时间"))

    class Meta:
        verbose_name = _("工作方案参数")
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="core_planvalue_year_key")]

    def __str__(self):
        return f"{self.year} {self.key}={self.value}"


class CalendarYear(TimeStampedModel):
    """A year whose official holiday arrangement is known (sunshine.core.workdays): seeded from chinesecalendar for
    the years the package knows, completed by the special governance office for a year it does not know yet."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar 包")
        OFFICE = "office", _("市专项治理办录入")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    document = models.CharField(_("依据"), max_length=80, blank=True, help_text=_("如国务院办公厅关于部分节假日安排的通知"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["year"]
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule in a known year: a holiday on a weekday (not a working day), or a
    weekend day made a working day (调休上班)."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"))
    name = models.CharField(_("名称"), max_length=20, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


for _calendar_model in (CalendarYear, CalendarDay):
    auditlog.register(_calendar_model)


class Kept(models.Model):
    """Figures computed once for the whole city and kept with the time they were computed (sunshine.core.kept):
    the staff home page's counts over the big tables (name "funds.payments", no key) and the statistics tables'
    base rows (name "stats.<table>", keyed by dimension and period). Every reader filters the same rows by its
    jurisdiction instead of counting a million households or ten million payments on each request."""

    name = models.CharField(max_length=60)
    key = models.CharField(max_length=120, blank=True, default="")
    rows = models.JSONField(default=list)
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)  # how long the computation took

    class Meta:
        verbose_name = _("统计汇总")
        verbose_name_plural = _("统计汇总")
        constraints = [models.UniqueConstraint(fields=["name", "key"], name="core_kept_name_key")]

    def __str__(self) -> str:
        return f"{self.name} {self.key}".strip()

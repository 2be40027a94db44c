"""Registries obtained from other departments, the beneficiaries' keys, and the data comparison's runs and hits.

No registry stores an ID number: each keeps `id_key` (a keyed hash, `redflags.idkeys.id_key`) to join on and
`id_masked` to show. Every registry row belongs to the batch that imported it (where the data came from, its
date). Each registry has a unique key, so the same record imported twice stops at the import.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from .choices import (
    BusinessRoleKind,
    DeathKind,
    HitReview,
    OfficialKind,
    RegistryKind,
    RunEngine,
    RunStatus,
    StandardBasis,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2}
KEY_LENGTH = 32


class RegistryBatch(TimeStampedModel):
    """One import of one registry: where the data came from and the date it describes."""

    kind = models.CharField(_("名册"), max_length=20, choices=RegistryKind.choices)
    source = models.CharField(_("数据来源"), max_length=120)
    data_date = models.DateField(_("数据日期"))
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    import_job = models.ForeignKey("core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("比对名册批次")
        verbose_name_plural = _("比对名册批次")
        constraints = [models.CheckConstraint(condition=Q(kind__in=RegistryKind.values),
                                              name="redflags_batch_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source} {self.data_date}"


class RegistryRow(models.Model):
    batch = models.ForeignKey(RegistryBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class PersonKey(models.Model):
    """A beneficiary's keyed hash (every household member and head): the beneficiary side of every join.

    Kept by `person_keys_refresh` before each run (only people not keyed yet), in bulk: the keyed hash is computed
    in the application (idkeys) and, on PostgreSQL, copied in (COPY) with the numbers, so the HMAC's key never
    reaches the database server or its logs.
    """

    id_number = models.CharField(max_length=18, unique=True)
    id_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    household = models.ForeignKey("org.Household", on_delete=models.CASCADE, related_name="+")
    # Another person key has the same id_key (one number spelt two ways: case, spaces), set by the refresh that
    # makes the second one. Rule R09 groups payments by key but finds its candidates by ID number first; these
    # few are the numbers it must take whole. Never cleared by a deletion: an extra candidate changes no result.
    shared = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("对象比对键")
        verbose_name_plural = _("对象比对键")
        indexes = [models.Index(fields=["id_number"], condition=Q(shared=True), name="redflags_personkey_shared")]

    def __str__(self) -> str:
        return self.id_key


class HouseholdSlotClash(models.Model):
    """A household paid one fund item for one period by two current payments or more, when it was seen (R08 reads
    these instead of grouping every payment: issue 15, "stop duplicates with a unique key at import"; the rule
    serves 二(四) 资金管理不规范 through 三(二)4's big-data platform 完善扶贫大数据平台).

    Kept by `services.payment_slots_refresh` from the payments added since it last looked (payments are never
    edited in place: a correction is a new row, so every payment is seen once, by id). A slot stays listed after a
    correction leaves it paid once: R08 counts the current payments of each listed slot again, so a stale row
    changes no result; a missing one would, and none can be: the later of two current payments of one slot was new
    at some refresh, and the other was current then too.
    """

    household = models.ForeignKey("org.Household", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    fund_item = models.CharField(max_length=60)
    period = models.CharField(max_length=30)

    class Meta:
        verbose_name = _("同户同期多笔发放")
        verbose_name_plural = _("同户同期多笔发放")
        constraints = [models.UniqueConstraint(fields=["household", "fund_item", "period"],
                                               name="redflags_household_slot_unique")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.fund_item} {self.period}"


class PayeeSlotClash(models.Model):
    """A payee (by ID number as written) paid one fund item for one period in two villages or more, when it was seen
    (R09's candidates; kept and argued as HouseholdSlotClash). `village` is one of them (the export's city)."""

    payee_id_number = models.CharField(max_length=18)
    fund_item = models.CharField(max_length=60)
    period = models.CharField(max_length=30)
    village = models.ForeignKey("org.Region", on_delete=models.CASCADE, related_name="+", db_constraint=False)

    class Meta:
        verbose_name = _("同人同期多村发放")
        verbose_name_plural = _("同人同期多村发放")
        constraints = [models.UniqueConstraint(fields=["payee_id_number", "fund_item", "period"],
                                               name="redflags_payee_slot_unique")]

    def __str__(self) -> str:
        return f"{self.fund_item} {self.period}"


class RegistryKey(models.Model):
    """A beneficiary's key (household, id_key) that some registry lists: a person key whose id_key is an official's,
    a relative's, a death's, a vehicle owner's, a business role's, a property buyer's or a pension enrolment's
    (the registry rules R01-R06 and R17: 三(二)4 完善扶贫大数据平台, comparing the beneficiaries with other departments'
    data; incremental runs start here, issue 15's "run incrementally").

    An incremental run's registry rules (R01–R06, R17) reach the registries from the new payments' households
    through these few rows (an index probe per household, almost all finding nothing) instead of from every person
    key of those households (issue 15, speed). Kept by `services.registry_keys_refresh` as person keys and registry
    batches arrive (the new person keys probe the registries, the new registry rows probe the person keys), rebuilt
    whole after a full refresh of the person keys (which may re-key or move them). A stale row (a registry row or a
    person gone) changes no result: the rules join the registry and the person keys again; a missing one would.
    """

    household = models.ForeignKey("org.Household", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    id_key = models.CharField(max_length=KEY_LENGTH)

    class Meta:
        verbose_name = _("名册比中对象")
        verbose_name_plural = _("名册比中对象")
        constraints = [models.UniqueConstraint(fields=["household", "id_key"], name="redflags_registry_key_unique")]

    def __str__(self) -> str:
        return self.id_key


class Official(RegistryRow):
    """A public employee (公职人员) or village cadre (村干部)."""

    id_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=40)
    kind = models.CharField(_("类别"), max_length=16, choices=OfficialKind.choices)
    unit_name = models.CharField(_("工作单位"), max_length=120)
    post = models.CharField(_("职务"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("公职人员和村干部")
        verbose_name_plural = _("公职人员和村干部")

    def __str__(self) -> str:
        return self.name


class OfficialRelative(RegistryRow):
    """A close relative (近亲属) of an official, with the relation stated."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="relatives")
    id_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=40)
    relation = models.CharField(_("关系"), max_length=10)

    class Meta:
        verbose_name = _("公职人员近亲属")
        verbose_name_plural = _("公职人员近亲属")
        constraints = [models.UniqueConstraint(fields=["official", "id_key"], name="redflags_relative_unique")]

    def __str__(self) -> str:
        return f"{self.name}({self.relation})"


class DeathRecord(RegistryRow):
    id_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=40)
    died_on = models.DateField(_("死亡（火化）日期"))
    kind = models.CharField(_("类别"), max_length=10, choices=DeathKind.choices)

    class Meta:
        verbose_name = _("死亡火化记录")
        verbose_name_plural = _("死亡火化记录")

    def __str__(self) -> str:
        return self.name


class Vehicle(RegistryRow):
    plate = models.CharField(_("号牌号码"), max_length=12, unique=True)
    owner_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    owner_masked = models.CharField(_("所有人身份证号"), max_length=18)
    owner_name = models.CharField(_("所有人"), max_length=40)
    vehicle_type = models.CharField(_("车辆类型"), max_length=30)
    registered_on = models.DateField(_("登记日期"))

    class Meta:
        verbose_name = _("车辆登记")
        verbose_name_plural = _("车辆登记")

    def __str__(self) -> str:
        return self.plate


class BusinessRole(RegistryRow):
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    company_name = models.CharField(_("企业名称"), max_length=120)
    id_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    person_name = models.CharField(_("姓名"), max_length=40)
    role = models.CharField(_("身份"), max_length=16, choices=BusinessRoleKind.choices)
    registered_on = models.DateField(_("成立日期"))

    class Meta:
        verbose_name = _("工商登记")
        verbose_name_plural = _("工商登记")
        constraints = [models.UniqueConstraint(fields=["credit_code", "id_key", "role"],
                                               name="redflags_business_role_unique")]

    def __str__(self) -> str:
        return f"{self.company_name} {self.person_name}"


class PropertyPurchase(RegistryRow):
    certificate = models.CharField(_("不动产权证号"), max_length=40, unique=True)
    buyer_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    buyer_masked = models.CharField(_("买受人身份证号"), max_length=18)
    buyer_name = models.CharField(_("买受人"), max_length=40)
    location = models.CharField(_("坐落"), max_length=120)
    amount = models.DecimalField(_("成交金额（元）"), **AMOUNT)
    bought_on = models.DateField(_("登记日期"))

    class Meta:
        verbose_name = _("不动产购置")
        verbose_name_plural = _("不动产购置")

    def __str__(self) -> str:
        return self.certificate


class PensionEnrolment(RegistryRow):
    id_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=40)
    employer = models.CharField(_("参保单位"), max_length=120)
    enrolled_on = models.DateField(_("参保日期"))

    class Meta:
        verbose_name = _("企业职工养老保险参保")
        verbose_name_plural = _("企业职工养老保险参保")

    def __str__(self) -> str:
        return self.name


class DisabilityRecord(RegistryRow):
    id_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=40)
    certificate = models.CharField(_("残疾证号"), max_length=30)
    grade = models.CharField(_("残疾等级"), max_length=10)

    class Meta:
        verbose_name = _("残疾人登记")
        verbose_name_plural = _("残疾人登记")

    def __str__(self) -> str:
        return self.name


class FundStandard(RegistryRow):
    """A fund item's standard: the amount per person or per household per period, valid between two dates."""

    fund_item = models.CharField(_("资金项目"), max_length=60)
    basis = models.CharField(_("标准单位"), max_length=10, choices=StandardBasis.choices)
    amount = models.DecimalField(_("每期标准（元）"), **AMOUNT)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"))

    class Meta:
        verbose_name = _("资金项目标准")
        verbose_name_plural = _("资金项目标准")
        constraints = [
            models.UniqueConstraint(fields=["fund_item", "valid_from"], name="redflags_standard_unique"),
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="redflags_standard_dates"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="redflags_standard_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_item} {self.amount}"


class RuleSetting(models.Model):
    """Whether a rule runs (switched off by the office; its thresholds live in core.plan)."""

    code = models.CharField(max_length=8, unique=True)
    enabled = models.BooleanField(default=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code


class Run(TimeStampedModel):
    """One run of the rule set: its inputs, the registries' dates, the counts, and the watermarks it reached."""

    engine = models.CharField(_("引擎"), max_length=10, choices=RunEngine.choices, default=RunEngine.DB)
    full = models.BooleanField(_("全量"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    since_payment = models.BigIntegerField(default=0)
    since_batch = models.BigIntegerField(default=0)
    upto_payment = models.BigIntegerField(default=0)
    upto_batch = models.BigIntegerField(default=0)
    inputs = models.JSONField(default=dict)  # parameters, rules run, registries with their dates
    counts = models.JSONField(default=dict)  # per rule: hits found, new clues
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("比对运行")
        verbose_name_plural = _("比对运行")

    def __str__(self) -> str:
        return f"run {self.pk}"


class Hit(TimeStampedModel):
    """One finding of one rule, unique by its subject key: a later run finding it again adds nothing."""

    rule_code = models.CharField(_("规则"), max_length=8)
    subject_key = models.CharField(max_length=200, unique=True)
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="hits")
    village = models.ForeignKey("org.Region", verbose_name=_("行政村"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    household_id = models.BigIntegerField(null=True, blank=True)
    ref_table = models.CharField(max_length=30, blank=True)
    ref_id = models.BigIntegerField(null=True, blank=True)
    amount = models.DecimalField(null=True, blank=True, **AMOUNT)
    event_date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    evidence = models.JSONField(default=list)  # [{"label", "value"}], masked
    report = models.OneToOneField("cases.Report", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    review = models.CharField(_("核实结果"), max_length=12, choices=HitReview.choices, default=HitReview.PENDING)
    review_reason = models.CharField(_("理由"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    jurisdiction = ScopedBy(region_path="village__path")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("比对疑点")
        verbose_name_plural = _("比对疑点")
        indexes = [models.Index(fields=["rule_code", "review"], name="redflags_hit_rule_review")]
        constraints = [
            models.CheckConstraint(condition=Q(review__in=HitReview.values), name="redflags_hit_review_valid"),
            models.CheckConstraint(condition=Q(review="pending") | ~Q(review_reason=""),
                                   name="redflags_hit_review_has_reason"),
        ]

    def __str__(self) -> str:
        return self.subject_key

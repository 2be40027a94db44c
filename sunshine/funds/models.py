"""Funds disclosure (三(二)3): allocations from every level, projects, household payments through the 扶贫明白卡,
village bank-account transactions, the notices (公示) that publish them and the hash-chained ledger behind them.

Records are immutable once published: a correction is a new version row pointing at the old one with a reason,
and the database keeps exactly one current version per record (a conditional unique constraint on `lineage`).
"""
from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.masking import mask_bank_card
from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy

from .choices import (
    MIN_NOTICE_DAYS,
    Direction,
    FundLevel,
    LedgerKind,
    NoticeKind,
    NoticeStatus,
    ProjectStatus,
    RecipientKind,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class VersionedRecord(models.Model):
    """Identity, versioning and provenance shared by the four published record types.

    `natural_key` identifies the fact a row states (a UUID made from the SHA-256 of its natural-key fields), so the
    same file imported twice conflicts instead of duplicating. `lineage` is the natural key of version 1 and is
    shared by every version of the record.
    """

    natural_key = models.UUIDField(_("自然键"), unique=True, editable=False)
    # The columns of the unique index that says "this fact is recorded already": hand entry's duplicate check and
    # the imports' ON CONFLICT both use them.
    natural_key_fields: tuple[str, ...] = ("natural_key",)
    lineage = models.UUIDField(_("记录标识"), editable=False)
    version = models.PositiveSmallIntegerField(_("版本"), default=1, editable=False)
    is_current = models.BooleanField(_("现行版本"), default=True, editable=False)
    # Reverse lookups go through `lineage`, so no index on this column (one index fewer on every COPY).
    supersedes = models.ForeignKey(
        "self", verbose_name=_("更正的版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False, editable=False,
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    # First publication of this version; NULL while a draft may still be edited in place.
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True, editable=False)
    # An audit pointer, not an invariant: no database constraint, so a million-row COPY queues no FK check per row.
    import_job = models.ForeignKey(
        "core.ImportJob", verbose_name=_("导入批次"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False, db_constraint=False, editable=False,
    )
    created_at = models.DateTimeField(_("录入时间"), editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["lineage"], condition=Q(is_current=True), name="%(app_label)s_%(class)s_one_current_version",
                violation_error_message=_("该记录已有现行版本"),
            ),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True) | Q(version__gt=1, supersedes__isnull=False),
                name="%(app_label)s_%(class)s_version_chain",
            ),
        ]
        indexes = [
            # Only corrections point back, so the index holds only them (imports of version 1 never touch it);
            # without it, deleting a row would scan the whole table for rows that supersede it.
            models.Index(fields=["supersedes"], condition=Q(supersedes__isnull=False),
                         name="%(class)s_supersedes"),
        ]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class FundAllocation(VersionedRecord):
    """An allocation of poverty funds by one level of government to a township, a village or a project."""

    level = models.CharField(_("资金层级"), max_length=12, choices=FundLevel.choices)
    document_number = models.CharField(_("文号"), max_length=80)
    fund_type = models.CharField(_("资金类别"), max_length=60)
    amount = models.DecimalField(_("金额(元)"), **AMOUNT)
    recipient_kind = models.CharField(_("分配对象类型"), max_length=12, choices=RecipientKind.choices)
    recipient_name = models.CharField(_("分配对象"), max_length=120)
    # The township or village the money goes to (for a project: the project's village); it places the record.
    region = models.ForeignKey(
        "org.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="fund_allocations"
    )
    project = models.ForeignKey(
        "funds.Project", verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="allocations",
    )
    allocated_on = models.DateField(_("下达日期"))
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    # The unit that entered it (a department sees the allocations it entered).
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("录入单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    jurisdiction = ScopedBy(region_path="region__path", unit="owner_unit_id")

    class Meta(VersionedRecord.Meta):
        ordering = ["-allocated_on", "-id"]
        verbose_name = _("资金分配")
        verbose_name_plural = _("资金分配")
        constraints = [
            *VersionedRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_allocation_amount_positive"),
            models.CheckConstraint(condition=Q(level__in=FundLevel.values), name="funds_allocation_level_valid"),
            models.CheckConstraint(
                condition=~Q(recipient_kind=RecipientKind.PROJECT) | Q(project__isnull=False),
                name="funds_allocation_project_recipient_has_project",
            ),
        ]
        # Public lists read newest first by (date, id); the id in the index makes a page of ten read ten entries,
        # not every row of the newest date (the same holds for payments and account movements below).
        indexes = [*VersionedRecord.Meta.indexes,
                   models.Index(fields=["region", "allocated_on", "id"], name="funds_alloc_region_date_id")]

    def __str__(self) -> str:
        return f"{self.document_number} {self.recipient_name} {self.amount}"


class Project(VersionedRecord):
    """A poverty-alleviation project in a village, from application to follow-up maintenance (管护).

    The arrangement (code, name, village, type, budget, content) is what corrections version; the lifecycle moves
    only through `project_transition`, which writes a ProjectEvent per step with its facts (approval document,
    filing number, tender, contractor, dates, acceptance, maintenance) and copies them onto the row for lists.
    """

    code = models.CharField(_("项目编号"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=200)
    village = models.ForeignKey(
        "org.Region", verbose_name=_("实施村"), on_delete=models.PROTECT, related_name="fund_projects"
    )
    project_type = models.CharField(_("项目类型"), max_length=40)
    budget = models.DecimalField(_("计划投资(元)"), **AMOUNT)
    content = models.TextField(_("建设内容"), blank=True)
    # Approval and its registration filing (三(二)4: 扶贫项目审批登记备案制).
    approval_document = models.CharField(_("审批文号"), max_length=80, blank=True)
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    filing_number = models.CharField(_("备案号"), max_length=40, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    # Tendering and contractor.
    tender_method = models.CharField(_("招标方式"), max_length=40, blank=True)
    contractor = models.CharField(_("中标(施工)单位"), max_length=120, blank=True)
    contract_amount = models.DecimalField(_("合同金额(元)"), null=True, blank=True, **AMOUNT)
    # Lifecycle: written only by project_transition.
    status = models.CharField(_("状态"), max_length=16, choices=ProjectStatus.choices,
                              default=ProjectStatus.PLANNED, editable=False)
    started_on = models.DateField(_("开工日期"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True, editable=False)
    acceptance_note = models.CharField(_("验收结论"), max_length=200, blank=True, editable=False)
    maintainer = models.CharField(_("管护主体"), max_length=120, blank=True, editable=False)
    maintenance_note = models.CharField(_("管护措施"), max_length=200, blank=True, editable=False)
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("录入单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    jurisdiction = ScopedBy(region_path="village__path", unit="owner_unit_id")

    class Meta(VersionedRecord.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("扶贫项目")
        verbose_name_plural = _("扶贫项目")
        constraints = [
            *VersionedRecord.Meta.constraints,
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True) & ~Q(code=""),
                                    name="funds_project_code_current",
                                    violation_error_message=_("项目编号已存在")),
            models.UniqueConstraint(fields=["filing_number"], condition=~Q(filing_number=""),
                                    name="funds_project_filing_number_unique"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="funds_project_budget_positive"),
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="funds_project_status_valid"),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(started_on__isnull=False, accepted_on__gte=F("started_on")),
                name="funds_project_accepted_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectEvent(models.Model):
    """One step of a project's lifecycle (history is data): who moved it, from what to what, with which facts."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")
    lineage = models.UUIDField(db_index=True)  # events follow the record across correction versions
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ProjectStatus.choices)
    on_date = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    facts = models.JSONField(_("登记事项"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    jurisdiction = ScopedBy(region_path="project__village__path", unit="project__owner_unit_id")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")

    def __str__(self) -> str:
        return f"{self.on_date} {self.get_to_status_display()}"


class HouseholdPayment(VersionedRecord):
    """A payment to a household through its 扶贫明白卡 (三(二)3); the card is stored whole and shown masked.

    Imports write these a million at a time, so the table carries only the indexes its readers need, each keyed by
    household first: a payment list is read household by household (the self-check) and arrives sorted that way
    (bank lists go village by village), so every index insert lands beside the last one instead of on a random
    page. The natural key is unique per household, which is the same thing as unique (it hashes the household id).
    """

    # Unique with the household (Meta.constraints), not alone: see the class docstring.
    natural_key = models.UUIDField(_("自然键"), editable=False)
    natural_key_fields = ("household_id", "natural_key")
    # The database keeps no per-row foreign-key check on the household (at a million rows, a query and a row lock
    # on the household for every payment: the largest cost of an import). Instead a household that has payments
    # cannot be deleted: a trigger refuses it (migration funds 0006), and imports lock this table before they read
    # the registry, so a household deleted meanwhile is never paid. The ORM's PROTECT says the same to Django.
    household = models.ForeignKey("org.Household", verbose_name=_("农户"), on_delete=models.PROTECT,
                                  related_name="fund_payments", db_index=False, db_constraint=False)
    # The household's village at payment time: scoping and the village bulletin board need no join through households.
    # A copy of the household's village (which the household FK guards), so no second FK check per imported row.
    village = models.ForeignKey("org.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+",
                                db_index=False, db_constraint=False)
    payee_name = models.CharField(_("领取人"), max_length=40)
    payee_id_number = models.CharField(_("领取人证件号码"), max_length=18)
    fund_item = models.CharField(_("资金项目"), max_length=60)
    amount = models.DecimalField(_("发放金额(元)"), **AMOUNT)
    period = models.CharField(_("所属期"), max_length=30)
    paid_on = models.DateField(_("发放日期"))
    bank_card = models.CharField(_("银行卡号"), max_length=32)
    allocation = models.ForeignKey(FundAllocation, verbose_name=_("资金来源"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="payments", db_index=False)
    # The sector department that paid it (a department pays households anywhere in the city for the items it
    # funds, and sees those payments through this unit); empty for a township's own payment list.
    owner_unit = models.ForeignKey("org.Unit", verbose_name=_("发放部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)

    jurisdiction = ScopedBy(region_path="village__path", unit="owner_unit_id")

    class Meta(VersionedRecord.Meta):
        ordering = ["-paid_on", "-id"]
        verbose_name = _("到户资金发放")
        verbose_name_plural = _("到户资金发放")
        constraints = [
            # The same fact stated twice is one payment: the import's ON CONFLICT target. Its household prefix
            # also serves every "payments of this household" read.
            models.UniqueConstraint(fields=["household", "natural_key"], name="funds_payment_household_key"),
            # VersionedRecord's one-current-version rule, keyed by household first like the index above (every
            # version of a payment belongs to the same household: corrections never move a payment).
            models.UniqueConstraint(
                fields=["household", "lineage"], condition=Q(is_current=True),
                name="funds_payment_one_current_version", violation_error_message=_("该记录已有现行版本"),
            ),
            *(c for c in VersionedRecord.Meta.constraints if not isinstance(c, models.UniqueConstraint)),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_payment_amount_positive"),
        ]
        indexes = [*VersionedRecord.Meta.indexes,
                   models.Index(fields=["village", "paid_on", "id"], name="funds_payment_village_date_id"),
                   # A department's own payments; partial, so a township's million-row list adds nothing to it.
                   models.Index(fields=["owner_unit", "paid_on", "id"], condition=Q(owner_unit__isnull=False),
                                name="funds_payment_owner_unit"),
                   # What was paid out of an allocation (idle money, the spending check): only payments that name
                   # their allocation are in it, so bank lists without one never touch it.
                   models.Index(fields=["allocation"], condition=Q(allocation__isnull=False),
                                name="funds_payment_allocation")]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.fund_item} {self.amount}"

    @property
    def bank_card_masked(self) -> str:
        return mask_bank_card(self.bank_card)


class DepartmentFundItem(TimeStampedModel):
    """A fund item (补贴项目, as payment lists name it) and the sector department that funds it: that department
    may import payments of this item for households anywhere in the city, and no other department may."""

    name = models.CharField(_("资金项目"), max_length=60, unique=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("归口部门"), on_delete=models.PROTECT,
                             related_name="fund_items")

    jurisdiction = ScopedBy(unit="unit_id")

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("部门资金项目")
        verbose_name_plural = _("部门资金项目")

    def __str__(self) -> str:
        return f"{self.name}({self.unit})"


class VillageAccount(TimeStampedModel):
    """A village collective's bank account (村级银行账户); every movement on it is sent to the village supervisors."""

    village = models.ForeignKey("org.Region", verbose_name=_("行政村"), on_delete=models.PROTECT,
                                related_name="bank_accounts")
    account_name = models.CharField(_("户名"), max_length=120)
    bank = models.CharField(_("开户行"), max_length=120, blank=True)
    account_number = models.CharField(_("账号"), max_length=40, unique=True)

    jurisdiction = ScopedBy(region_path="village__path")

    class Meta:
        ordering = ["village", "account_number"]
        verbose_name = _("村级银行账户")
        verbose_name_plural = _("村级银行账户")

    def __str__(self) -> str:
        return f"{self.account_name}({mask_bank_card(self.account_number)})"


class AccountTransaction(VersionedRecord):
    """One receipt or payment on a village bank account, as the village accounting export states it."""

    account = models.ForeignKey(VillageAccount, verbose_name=_("账户"), on_delete=models.PROTECT,
                                related_name="transactions")
    # A copy of the account's village (which the account FK guards).
    village = models.ForeignKey("org.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+",
                                db_index=False, db_constraint=False)
    occurred_on = models.DateField(_("日期"))
    voucher_number = models.CharField(_("凭证号"), max_length=40, blank=True)
    direction = models.CharField(_("收支"), max_length=4, choices=Direction.choices)
    amount = models.DecimalField(_("金额(元)"), **AMOUNT)
    balance = models.DecimalField(_("余额(元)"), null=True, blank=True, **AMOUNT)
    counterparty = models.CharField(_("对方户名"), max_length=120, blank=True)
    purpose = models.CharField(_("摘要/用途"), max_length=200)

    jurisdiction = ScopedBy(region_path="village__path")

    class Meta(VersionedRecord.Meta):
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("村级账户收支")
        verbose_name_plural = _("村级账户收支")
        constraints = [
            *VersionedRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_transaction_amount_positive"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="funds_transaction_direction"),
        ]
        indexes = [*VersionedRecord.Meta.indexes,
                   models.Index(fields=["village", "occurred_on", "id"], name="funds_txn_village_date_id")]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_direction_display()} {self.amount}"


class ProjectSpending(VersionedRecord):
    """One payment out of a project's money (三(二)3 项目安排和资金使用情况): to a contractor or supplier, under a
    contract and an invoice, drawn on one allocation. Written only by services.spending (hand entry, the import,
    or a village-account movement linked to the project), which refuses spending above what the allocation has left.

    `paid_before_acceptance` is set when the payment date is before the project's acceptance (or the project is
    not accepted yet): the spending is recorded, and the data comparison turns the flag into a clue.
    """

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="spendings")
    allocation = models.ForeignKey(FundAllocation, verbose_name=_("资金来源"), on_delete=models.PROTECT,
                                   related_name="spendings")
    # A copy of the project's village (scoping and the public village page need no join through projects).
    village = models.ForeignKey("org.Region", verbose_name=_("实施村"), on_delete=models.PROTECT, related_name="+")
    contract_number = models.CharField(_("合同编号"), max_length=60, blank=True)
    payee = models.CharField(_("收款单位(人)"), max_length=120)
    invoice_number = models.CharField(_("发票号码"), max_length=60, blank=True)
    paid_on = models.DateField(_("支付日期"))
    amount = models.DecimalField(_("支付金额(元)"), **AMOUNT)
    purpose = models.CharField(_("支付内容"), max_length=200, blank=True)
    # The village-account movement that paid it, when the money left through the village account.
    transaction = models.ForeignKey(AccountTransaction, verbose_name=_("村级账户支出"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="project_spendings")
    paid_before_acceptance = models.BooleanField(_("验收前支付"), default=False, editable=False)
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("录入单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    jurisdiction = ScopedBy(region_path="village__path", unit="owner_unit_id")

    class Meta(VersionedRecord.Meta):
        ordering = ["-paid_on", "-id"]
        verbose_name = _("项目资金支出")
        verbose_name_plural = _("项目资金支出")
        constraints = [
            *VersionedRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_spending_amount_positive"),
            # One movement on a village account pays one spending (a second link would count the money twice).
            models.UniqueConstraint(fields=["transaction"], condition=Q(transaction__isnull=False, is_current=True),
                                    name="funds_spending_one_per_transaction",
                                    violation_error_message=_("该笔村级账户支出已关联项目")),
        ]
        indexes = [*VersionedRecord.Meta.indexes,
                   models.Index(fields=["project", "paid_on"], name="funds_spending_project_date"),
                   models.Index(fields=["allocation"], name="funds_spending_allocation"),
                   models.Index(fields=["paid_before_acceptance"], condition=Q(paid_before_acceptance=True),
                                name="funds_spending_before_accept")]

    def __str__(self) -> str:
        return f"{self.payee} {self.amount}"


class Notice(TimeStampedModel):
    """A 公示 of records of one kind in one township or village, posted online and on the bulletin board."""

    kind = models.CharField(_("公示类型"), max_length=12, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    scope_region = models.ForeignKey("org.Region", verbose_name=_("公示范围"), on_delete=models.PROTECT,
                                     related_name="fund_notices")
    intro = models.TextField(_("说明"), blank=True)
    starts_on = models.DateField(_("公示开始日期"))
    period_days = models.PositiveSmallIntegerField(_("公示期(天)"), default=MIN_NOTICE_DAYS)
    status = models.CharField(_("状态"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT,
                              editable=False)
    issuer = models.CharField(_("公示单位"), max_length=120)
    contact_phone = models.CharField(_("监督电话"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)
    # The short code of the publication's ledger entry, printed on the bulletin board (copied for lookups).
    code = models.CharField(_("核验码"), max_length=16, blank=True, editable=False)

    jurisdiction = ScopedBy(region_path="scope_region__path")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            # 三(二)3: project and fund notices stay posted at least MIN_NOTICE_DAYS days.
            models.CheckConstraint(condition=Q(period_days__gte=MIN_NOTICE_DAYS), name="funds_notice_min_period"),
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="funds_notice_kind_valid"),
            models.CheckConstraint(
                condition=Q(status=NoticeStatus.DRAFT) | Q(published_at__isnull=False) & ~Q(code=""),
                name="funds_notice_published_has_code",
            ),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="funds_notice_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_on(self):
        import datetime as dt

        return self.starts_on + dt.timedelta(days=self.period_days - 1)

    @property
    def is_published(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED


class NoticeItem(models.Model):
    """One record in a notice (exactly one of the four record links is set)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("序号"))
    allocation = models.ForeignKey(FundAllocation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(HouseholdPayment, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="notice_items")
    transaction = models.ForeignKey(AccountTransaction, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    jurisdiction = ScopedBy(region_path="notice__scope_region__path")

    class Meta:
        ordering = ["notice", "position"]
        verbose_name = _("公示条目")
        verbose_name_plural = _("公示条目")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(allocation__isnull=False, project__isnull=True, payment__isnull=True, transaction__isnull=True)
                    | Q(allocation__isnull=True, project__isnull=False, payment__isnull=True, transaction__isnull=True)
                    | Q(allocation__isnull=True, project__isnull=True, payment__isnull=False, transaction__isnull=True)
                    | Q(allocation__isnull=True, project__isnull=True, payment__isnull=True, transaction__isnull=False)
                ),
                name="funds_noticeitem_exactly_one_record",
            ),
            models.UniqueConstraint(fields=["notice", "position"], name="funds_noticeitem_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}#{self.position}"

    @property
    def record(self):
        return self.allocation or self.project or self.payment or self.transaction


class LedgerHead(models.Model):
    """The single row that holds the chain's head: appends lock it, so two publishes cannot fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("公示账本链头")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="funds_ledgerhead_single_row")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.head_hash[:12]}"


class LedgerEntry(models.Model):
    """One append to the tamper-evident ledger (SHA-256 chain). Each entry commits to the canonical JSON of what was
    published (`payload`, which lists every record with the hash of its content) and to the previous entry's hash.
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=LedgerKind.choices)
    notice = models.ForeignKey(Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="ledger_entries")
    payload = models.TextField(_("公示内容(规范JSON)"))
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    prev_hash = models.CharField(_("上一条摘要"), max_length=64)
    entry_hash = models.CharField(_("本条摘要"), max_length=64, unique=True)
    code = models.CharField(_("核验码"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    jurisdiction = ScopedBy(region_path="notice__scope_region__path")

    class Meta:
        ordering = ["seq"]
        verbose_name = _("公示账本")
        verbose_name_plural = _("公示账本")
        constraints = [models.CheckConstraint(condition=Q(kind__in=LedgerKind.values), name="funds_ledger_kind")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.code}"


for _model in (FundAllocation, Project, HouseholdPayment, VillageAccount, AccountTransaction, ProjectSpending,
               Notice, DepartmentFundItem):
    # The field-change history never holds personal data (sunshine.core.audit): no ID or bank card numbers.
    auditlog.register(_model, exclude_fields=["payee_id_number", "bank_card"] if _model is HouseholdPayment else None)


class HouseholdAccessCode(models.Model):
    """A one-time code sent by SMS to the phone on a household's record, to open the household's own page
    (funds.household_codes). Only a keyed hash of the code is kept; it expires, serves once, and only in the browser
    session that asked for it (so nobody else's wrong guesses can spoil it)."""

    household = models.ForeignKey("org.Household", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    session_hash = models.CharField(max_length=64)  # SHA-256 of the requesting session's key
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("查询验证码")
        verbose_name_plural = _("查询验证码")
        indexes = [models.Index(fields=["session_hash", "created_at"], name="funds_hhcode_session")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.created_at:%Y-%m-%d %H:%M}"

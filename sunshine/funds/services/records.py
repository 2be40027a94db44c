"""Hand entry, draft edits and corrections of the four record types.

A record that is published is never edited in place: `record_correct` writes a new version pointing at the old
one with a reason, and appends a correction entry to the ledger; both versions stay visible. Payments and account
transactions announce themselves by SMS when recorded, so they are never edited in place even before publication.
"""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sunshine.core.errors import ApplicationError, CoreErrorCode, ErrorCode
from sunshine.funds.errors import FundsErrorCode
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel, UnitKind
from sunshine.org.jurisdiction import get_visible, scope_for
from sunshine.org.models import Household, HouseholdMember, Region

from .. import canonical, rules
from ..capabilities import Capability
from ..choices import Direction, LedgerKind, NoticeStatus, RecipientKind
from ..models import AccountTransaction, FundAllocation, HouseholdPayment, Notice, Project, VillageAccount
from ..pageversions import public_content_changed, record_region_id
from ..registry import RECORD_KINDS, record_kind_of
from .ledger import ledger_append
from .sms import payment_sms_queue, transaction_sms_queue

# Fields a correction may change, per record type (identity, placement and lifecycle are not among them).
# (each type's RecordKind.correctable in funds.registry, by model, for the correction form and record_correct)
CORRECTABLE: dict[type, tuple[str, ...]] = {k.model: k.correctable for k in RECORD_KINDS.values()}
DEPARTMENT_KINDS = {UnitKind.DEPARTMENT, UnitKind.MEMBER_UNIT}


def _invalid(message: str, code: ErrorCode = CoreErrorCode.INVALID) -> ApplicationError:
    return ApplicationError(message, code=code)


def _rule(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        raise _invalid(str(exc)) from None


def _decimal(value, *, label: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise _invalid(f"{label}“{value}”不是数字") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise _invalid(f"{label}最多保留2位小数")
    return _rule(rules.check_amount, amount.quantize(Decimal("0.01")), label=label)


def _date(value, *, label: str, allow_future: bool = False) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise _invalid(f"{label}“{value}”格式不正确") from None
    if not isinstance(value, dt.date):
        raise _invalid(f"{label}为空")
    return _rule(rules.check_date, value, label=label, allow_future=allow_future)


def _text(value, *, label: str, max_length: int, required: bool = True) -> str:
    return _rule(rules.clean_text, str(value or ""), label=label, max_length=max_length, required=required)


def _new_identity(key_hex: str) -> dict:
    key = uuid.UUID(hex=key_hex)
    return {"natural_key": key, "lineage": key, "version": 1, "is_current": True, "created_at": timezone.now()}


def _save_new(record, *, duplicate_message: str):
    """Insert a version-1 record; a natural key seen before is the same fact recorded twice."""
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        same = {field: getattr(record, field) for field in type(record).natural_key_fields}
        if type(record).objects.filter(**same).exists():
            raise _invalid(duplicate_message, FundsErrorCode.DUPLICATE) from None
        raise
    return record


def _check_region_in_scope(actor, region: Region) -> None:
    scope = scope_for(actor)
    if scope.covers_region_path(region.path):
        return
    unit = getattr(actor, "unit", None)
    if unit is not None and unit.kind in DEPARTMENT_KINDS:
        return  # a department allocates to any township; the record stays visible to it through owner_unit
    raise ApplicationError("所选区划不在您的管辖范围内", code=CoreErrorCode.NOT_FOUND)


# ---- household payments ------------------------------------------------------------------------------------

def payments_lock_for_write() -> None:
    """Before a payment's household is read: payments keep no per-row database check on their household
    (HouseholdPayment.household), and the household delete guard (funds migration 0006) waits for every holder of
    this lock, so the household read next cannot be deleted before the payment is written. SQLite has a single
    writer already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {HouseholdPayment._meta.db_table} IN ROW EXCLUSIVE MODE")


def _clean_payment(values: dict, household: Household) -> dict:
    out = dict(values)
    out["fund_item"] = _text(values.get("fund_item"), label="资金项目", max_length=60)
    out["amount"] = _decimal(values.get("amount"), label="发放金额")
    out["paid_on"] = _date(values.get("paid_on"), label="发放日期")
    out["period"] = _text(values.get("period") or f"{out['paid_on'].year}年{out['paid_on'].month}月",
                          label="所属期", max_length=30)
    out["bank_card"] = _rule(rules.clean_bank_card, str(values.get("bank_card") or ""))
    id_number = (values.get("payee_id_number") or "").strip().upper()
    if id_number:
        member = HouseholdMember.objects.filter(household=household, id_number=id_number).first()
        if member is None and id_number != household.head_id_number:
            raise _invalid("领取人证件号码不是该户成员的证件号码")
        out["payee_id_number"] = id_number
        out["payee_name"] = _text(values.get("payee_name") or (member.name if member else household.head_name),
                                  label="领取人", max_length=40)
    else:
        out["payee_id_number"] = household.head_id_number
        out["payee_name"] = _text(values.get("payee_name") or household.head_name, label="领取人", max_length=40)
    return out


def _payment_key(household_id: int, v: dict) -> str:
    return canonical.payment_natural_key_hex(
        household_id=household_id, fund_item=v["fund_item"], period=v["period"], amount=canonical.money(v["amount"]),
        paid_on=v["paid_on"].isoformat(), bank_card=v["bank_card"])


@transaction.atomic
def payment_create(*, actor, household: Household, fund_item: str, amount, paid_on, bank_card: str,
                   period: str = "", payee_name: str = "", payee_id_number: str = "",
                   allocation: FundAllocation | None = None) -> HouseholdPayment:
    """Record one 扶贫明白卡 payment and queue the household's SMS in the same transaction (三(二)3)."""
    require(actor, Capability.EDIT)
    payments_lock_for_write()
    household = get_visible(Household.objects.select_related("village"), actor=actor, pk=household.pk)
    v = _clean_payment({"fund_item": fund_item, "amount": amount, "paid_on": paid_on, "bank_card": bank_card,
                        "period": period, "payee_name": payee_name, "payee_id_number": payee_id_number}, household)
    payment = HouseholdPayment(household=household, village=household.village, allocation=allocation,
                               **_new_identity(_payment_key(household.pk, v)), **v)
    _save_new(payment, duplicate_message="该笔发放已登记(同一户、项目、所属期、金额、日期和卡号)")
    payment_sms_queue(payment)
    return payment


# ---- village accounts and their transactions ------------------------------------------------------------------

@transaction.atomic
def village_account_create(*, actor, village: Region, account_name: str, account_number: str,
                           bank: str = "") -> VillageAccount:
    require(actor, Capability.EDIT)
    village = get_visible(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor, pk=village.pk)
    number = _rule(rules.clean_bank_card, account_number)
    if VillageAccount.objects.filter(account_number=number).exists():
        raise _invalid("该账号已登记", FundsErrorCode.DUPLICATE)
    return VillageAccount.objects.create(
        village=village, account_number=number, bank=_text(bank, label="开户行", max_length=120, required=False),
        account_name=_text(account_name or f"{village.name}股份经济合作社", label="户名", max_length=120))


def _clean_transaction(values: dict) -> dict:
    out = dict(values)
    out["occurred_on"] = _date(values.get("occurred_on"), label="日期")
    direction = values.get("direction")
    if direction not in Direction.values:
        raise _invalid("请选择收入或支出")
    out["amount"] = _decimal(values.get("amount"), label="金额")
    balance = values.get("balance")
    if balance in (None, ""):
        out["balance"] = None
    else:
        try:
            out["balance"] = Decimal(str(balance).replace(",", "")).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise _invalid(f"余额“{balance}”不是数字") from None
    out["purpose"] = _text(values.get("purpose"), label="摘要/用途", max_length=200)
    out["counterparty"] = _text(values.get("counterparty"), label="对方户名", max_length=120, required=False)
    out["voucher_number"] = _text(values.get("voucher_number"), label="凭证号", max_length=40, required=False)
    return out


def _transaction_key(account_id: int, v: dict) -> str:
    return canonical.transaction_natural_key_hex(
        account_id=account_id, occurred_on=v["occurred_on"].isoformat(), voucher_number=v["voucher_number"],
        direction=v["direction"], amount=canonical.money(v["amount"]), balance=canonical.money(v["balance"]),
        counterparty=v["counterparty"], purpose=v["purpose"])


@transaction.atomic
def transaction_create(*, actor, account: VillageAccount, occurred_on, direction: str, amount, purpose: str,
                       voucher_number: str = "", counterparty: str = "", balance=None) -> AccountTransaction:
    """Record one movement on a village account and text every current village supervisor (三(二)3)."""
    require(actor, Capability.EDIT)
    account = get_visible(VillageAccount.objects.select_related("village"), actor=actor, pk=account.pk)
    v = _clean_transaction({"occurred_on": occurred_on, "direction": direction, "amount": amount,
                            "purpose": purpose, "voucher_number": voucher_number, "counterparty": counterparty,
                            "balance": balance})
    txn = AccountTransaction(account=account, village=account.village,
                             **_new_identity(_transaction_key(account.pk, v)), **v)
    _save_new(txn, duplicate_message="该笔收支已登记")
    transaction_sms_queue(txn)
    return txn


# ---- allocations ---------------------------------------------------------------------------------------------

def _clean_allocation(values: dict) -> dict:
    out = dict(values)
    out["level"] = _rule(rules.parse_level, values.get("level") or "")
    out["document_number"] = _text(values.get("document_number"), label="文号", max_length=80)
    out["fund_type"] = _text(values.get("fund_type"), label="资金类别", max_length=60)
    out["amount"] = _decimal(values.get("amount"), label="金额")
    out["allocated_on"] = _date(values.get("allocated_on"), label="下达日期")
    out["purpose"] = _text(values.get("purpose"), label="用途", max_length=200, required=False)
    out["recipient_name"] = _text(values.get("recipient_name"), label="分配对象", max_length=120)
    return out


def _allocation_key(v: dict, region_id: int, project_id: int | None, recipient_kind: str) -> str:
    return canonical.allocation_natural_key_hex(
        level=v["level"], document_number=v["document_number"], fund_type=v["fund_type"],
        recipient_kind=recipient_kind, region_id=region_id, project_id=project_id,
        amount=canonical.money(v["amount"]), allocated_on=v["allocated_on"].isoformat())


@transaction.atomic
def allocation_create(*, actor, level: str, document_number: str, fund_type: str, amount, allocated_on,
                      recipient_kind: str, region: Region | None = None, project: Project | None = None,
                      recipient_name: str = "", purpose: str = "") -> FundAllocation:
    """Record one allocation result (三(二)3: every level's allocation results are made public)."""
    require(actor, Capability.EDIT)
    if recipient_kind == RecipientKind.PROJECT:
        if project is None:
            raise _invalid("请选择项目")
        project = Project.objects.select_related("village").get(pk=project.pk)
        if not project.is_current:
            raise _invalid("该项目已被更正,请选择现行版本")
        region = project.village
        recipient_name = recipient_name or project.name
    else:
        wanted = {RecipientKind.TOWNSHIP: RegionLevel.TOWNSHIP, RecipientKind.VILLAGE: RegionLevel.VILLAGE}
        if recipient_kind not in wanted:
            raise _invalid("分配对象类型不正确")
        if region is None or region.level != wanted[recipient_kind]:
            raise _invalid("请选择与分配对象类型相符的乡镇或村")
        project = None
        recipient_name = recipient_name or region.full_name
    _check_region_in_scope(actor, region)
    v = _clean_allocation({"level": level, "document_number": document_number, "fund_type": fund_type,
                           "amount": amount, "allocated_on": allocated_on, "purpose": purpose,
                           "recipient_name": recipient_name})
    allocation = FundAllocation(
        recipient_kind=recipient_kind, region=region, project=project, owner_unit_id=getattr(actor, "unit_id", None),
        **_new_identity(_allocation_key(v, region.pk, project.pk if project else None, recipient_kind)), **v)
    return _save_new(allocation, duplicate_message="该笔资金分配已登记(同一层级、文号、类别、对象、金额和日期)")


# ---- projects ------------------------------------------------------------------------------------------------

def _clean_project(values: dict) -> dict:
    out = dict(values)
    out["name"] = _text(values.get("name"), label="项目名称", max_length=200)
    out["code"] = _text(values.get("code"), label="项目编号", max_length=40, required=False)
    out["project_type"] = _text(values.get("project_type"), label="项目类型", max_length=40)
    out["budget"] = _decimal(values.get("budget"), label="计划投资")
    out["content"] = _text(values.get("content"), label="建设内容", max_length=2000, required=False)
    return out


def _project_key(v: dict, village_id: int) -> str:
    return canonical.project_natural_key_hex(code=v["code"], village_id=village_id, name=v["name"],
                                             budget=canonical.money(v["budget"]))


@transaction.atomic
def project_create(*, actor, village: Region, name: str, project_type: str, budget, code: str = "",
                   content: str = "", on_date: dt.date | None = None) -> Project:
    """Register a project at application stage (申报); it moves on only through project_transition."""
    from .projects import project_event_write

    require(actor, Capability.EDIT)
    village = get_visible(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor, pk=village.pk)
    v = _clean_project({"name": name, "code": code, "project_type": project_type, "budget": budget,
                        "content": content})
    if v["code"] and Project.objects.filter(code=v["code"], is_current=True).exists():
        raise _invalid(f"项目编号“{v['code']}”已存在", FundsErrorCode.DUPLICATE)
    project = Project(village=village, owner_unit_id=getattr(actor, "unit_id", None),
                      **_new_identity(_project_key(v, village.pk)), **v)
    _save_new(project, duplicate_message="该项目已登记(同一村、名称和投资额)")
    project_event_write(project=project, from_status="", to_status=project.status,
                        on_date=on_date or timezone.localdate(), note="项目申报登记", facts={}, actor=actor)
    return project


# ---- edits of drafts -----------------------------------------------------------------------------------------

@transaction.atomic
def record_update_draft(*, actor, record, changes: dict):
    """Edit an allocation or a project in place while no notice has published it; afterwards only corrections."""
    require(actor, Capability.EDIT)
    model = type(record)
    if model not in (FundAllocation, Project):
        raise _invalid("到户资金和村级账户收支已短信告知,只能更正,不能直接修改", FundsErrorCode.NOT_EDITABLE)
    current = get_visible(model.objects.select_for_update(of=("self",)), actor=actor, pk=record.pk)
    if current.published_at is not None or not current.is_current:
        raise _invalid("已公示的记录不能修改,请使用“更正”", FundsErrorCode.PUBLISHED)
    _apply_changes(current, changes)
    if model is FundAllocation:
        v = _clean_allocation({f: getattr(current, f) for f in CORRECTABLE[model]})
        key = _allocation_key(v, current.region_id, current.project_id, current.recipient_kind)
    else:
        v = _clean_project({f: getattr(current, f) for f in CORRECTABLE[model]})
        key = _project_key(v, current.village_id)
        if v["code"] and Project.objects.filter(code=v["code"], is_current=True).exclude(pk=current.pk).exists():
            raise _invalid(f"项目编号“{v['code']}”已存在", FundsErrorCode.DUPLICATE)
    for f, value in v.items():
        setattr(current, f, value)
    # A draft keeps its identity (lineage) across edits; only the natural key follows the content.
    current.natural_key = uuid.UUID(hex=key)
    if current.version == 1:
        current.lineage = current.natural_key
        if model is Project:
            current.events.update(lineage=current.lineage)
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise _invalid("修改后与已有记录重复", FundsErrorCode.DUPLICATE) from None
    return current


def _apply_changes(record, changes: dict) -> None:
    allowed = CORRECTABLE[type(record)]
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise _invalid(f"这些字段不能修改:{'、'.join(unknown)}", FundsErrorCode.NOT_EDITABLE)
    for field, value in changes.items():
        setattr(record, field, value)


# ---- corrections ---------------------------------------------------------------------------------------------

def _clean_for(record) -> dict:
    model = type(record)
    values = {f: getattr(record, f) for f in CORRECTABLE[model]}
    if model is HouseholdPayment:
        return _clean_payment(values, Household.objects.get(pk=record.household_id))
    if model is AccountTransaction:
        return _clean_transaction(values)
    if model is FundAllocation:
        return _clean_allocation(values)
    return _clean_project(values)


def _publishing_notice(record) -> Notice | None:
    """The latest published notice that carries any version of the record."""
    rel = record_kind_of(record).item_field
    return (Notice.objects.filter(status=NoticeStatus.PUBLISHED, **{f"items__{rel}__lineage": record.lineage})
            .order_by("-published_at", "-id").first())


@transaction.atomic
def record_correct(*, actor, record, reason: str, changes: dict):
    """Write a corrected version of a record; the old version stays, marked superseded, and a published record's
    correction is appended to the ledger of the notice that published it (both versions stay visible)."""
    from .notices import ledger_item

    require(actor, Capability.EDIT)
    model = type(record)
    if model is HouseholdPayment:
        payments_lock_for_write()
    reason = _text(reason, label="更正原因", max_length=500)
    old = get_visible(model.objects.select_for_update(of=("self",)), actor=actor, pk=record.pk)
    if not old.is_current:
        raise _invalid("只能更正现行版本", FundsErrorCode.NOT_CURRENT)
    new = model.objects.get(pk=old.pk)
    _apply_changes(new, changes)
    cleaned = _clean_for(new)
    for field, value in cleaned.items():
        if field in CORRECTABLE[model]:
            setattr(new, field, value)
    if all(getattr(new, f) == getattr(old, f) for f in CORRECTABLE[model]):
        raise _invalid("更正后的内容与原记录相同", FundsErrorCode.UNCHANGED)
    if model is Project and new.code and new.code != old.code and Project.objects.filter(
            code=new.code, is_current=True).exclude(pk=old.pk).exists():
        raise _invalid(f"项目编号“{new.code}”已存在", FundsErrorCode.DUPLICATE)
    now = timezone.now()
    new.pk = None
    new._state.adding = True
    new.version = old.version + 1
    new.supersedes = old
    new.natural_key = canonical.version_key(old.lineage, new.version)
    new.correction_reason = reason
    new.is_current = True
    new.published_at = None
    new.import_job = None
    new.created_at = now
    # The old version steps down first: the database allows one current version per record.
    old.is_current = False
    old.save(update_fields=["is_current"])
    new.save(force_insert=True)
    notice = _publishing_notice(old) if old.published_at else None
    if notice is not None:
        record_type = record_kind_of(model).value
        ledger_append(kind=LedgerKind.CORRECT, notice=notice, payload={
            "v": 1, "kind": LedgerKind.CORRECT.value, "notice_id": notice.pk, "reason": reason,
            "corrected_at": now.isoformat(), "old": ledger_item(record_type, old),
            "new": ledger_item(record_type, new),
        })
        new.published_at = now
        new.save(update_fields=["published_at"])
    if old.published_at:  # the public pages showed the old version
        public_content_changed(region_ids=[record_region_id(old)])
    if model is HouseholdPayment:
        payment_sms_queue(HouseholdPayment.objects.select_related("household", "village").get(pk=new.pk))
    elif model is AccountTransaction:
        transaction_sms_queue(AccountTransaction.objects.select_related("village").get(pk=new.pk))
    return new


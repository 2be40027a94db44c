"""The four funds record types (allocation, project, payment, transaction) in one table.

Each `RecordKind` names what every caller used to map by hand: the model, the NoticeItem column that carries it,
where its region lives, what a page shows with it (select_related), the fields a correction may change, its
canonical content (what the ledger hashes), its importer and the import page's words, and its public read model.
A record type, a notice kind (`NoticeKind` has the same values) and an objection's `funds.<type>` all resolve here.
Importers and public read models sit above this module, so they are named by path and resolved on first use.
"""
from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from . import canonical
from .choices import NoticeKind, RecordType
from .models import AccountTransaction, FundAllocation, HouseholdPayment, Project

ABOUT_PREFIX = "funds."  # an objection's about_type, e.g. "funds.payment"


def _resolve(path: str):
    module, _sep, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class RecordKind:
    type: RecordType
    model: type[Model]
    region_field: str  # "region" (an allocation goes to a township or village) or "village"
    related: tuple[str, ...]  # what a staff list, a notice and the printed board show with a record
    public_related: tuple[str, ...]  # what the public read model shows with it
    correctable: tuple[str, ...]  # fields a correction may change (identity, placement, lifecycle are not)
    amount_field: str  # the money a notice totals
    importer_path: str  # "module:Class", resolved on first use (importers sit above this module)
    public_path: str  # "module:function" mapping a model row to its masked public dataclass
    import_title: str
    import_help: str

    @property
    def value(self) -> str:
        return self.type.value

    @property
    def label(self) -> str:
        return self.type.label

    @property
    def notice_kind(self) -> NoticeKind:
        return NoticeKind(self.type.value)

    @property
    def item_field(self) -> str:
        """The NoticeItem foreign key that carries this type (its column is `<item_field>_id`)."""
        return self.type.value

    @property
    def region_path(self) -> str:
        return f"{self.region_field}__path"

    @property
    def about_type(self) -> str:
        return f"{ABOUT_PREFIX}{self.type.value}"

    @property
    def importer(self) -> type:
        return _resolved(self.importer_path)

    def to_public(self, record, **kwargs):
        return _resolved(self.public_path)(record, **kwargs)

    def content(self, record, events: list | None = None) -> dict:
        """The canonical content the ledger hashes (a project's includes its stage events)."""
        if self.type == RecordType.PROJECT:
            return canonical.project_content(record, events or [])
        return _CONTENT[self.type](record)


@functools.cache
def _resolved(path: str):
    return _resolve(path)


_CONTENT: dict[str, Callable[[object], dict]] = {
    RecordType.ALLOCATION: canonical.allocation_content,
    RecordType.PAYMENT: canonical.payment_content,
    RecordType.TRANSACTION: canonical.transaction_content,
}

RECORD_KINDS: dict[str, RecordKind] = {k.value: k for k in (
    RecordKind(
        type=RecordType.ALLOCATION, model=FundAllocation, region_field="region",
        related=("region", "project"), public_related=("region",),
        correctable=("level", "document_number", "fund_type", "amount", "recipient_name", "allocated_on",
                     "purpose"),
        amount_field="amount",
        importer_path="sunshine.funds.importers.allocations:AllocationImporter",
        public_path="sunshine.funds.public.records:public_allocation",
        import_title=_("导入资金分配结果"),
        import_help=_("各级(中央、省、市、县)资金分配结果表。分配对象可为乡镇、村或项目(按项目编号)。"),
    ),
    RecordKind(
        type=RecordType.PROJECT, model=Project, region_field="village",
        related=("village",), public_related=("village",),
        correctable=("code", "name", "project_type", "budget", "content"),
        amount_field="budget",
        importer_path="sunshine.funds.importers.projects:ProjectImporter",
        public_path="sunshine.funds.public.records:public_project",
        import_title=_("导入扶贫项目"),
        import_help=_("项目库导出表。有审批文号的项目在导入时登记备案并取得备案号。"),
    ),
    RecordKind(
        type=RecordType.PAYMENT, model=HouseholdPayment, region_field="village",
        related=("village", "household"), public_related=(),
        correctable=("payee_name", "payee_id_number", "fund_item", "amount", "period", "paid_on", "bank_card",
                     "allocation"),
        amount_field="amount",
        importer_path="sunshine.funds.importers.payments:PaymentImporter",
        public_path="sunshine.funds.public.records:public_payment",
        import_title=_("导入到户资金发放清单"),
        import_help=_("银行或一卡通系统导出的发放清单。每笔发放会生成一条到账短信发给该户(重复导入不会重复发送)。"),
    ),
    RecordKind(
        type=RecordType.TRANSACTION, model=AccountTransaction, region_field="village",
        related=("village", "account"), public_related=(),
        correctable=("occurred_on", "voucher_number", "direction", "amount", "balance", "counterparty",
                     "purpose"),
        amount_field="amount",
        importer_path="sunshine.funds.importers.transactions:TransactionImporter",
        public_path="sunshine.funds.public.records:public_transaction",
        import_title=_("导入村级账户收支明细"),
        import_help=_("村级财务软件或银行导出的账户明细。每笔收支会短信告知本村村级监督员。"),
    ),
)}
_BY_MODEL: dict[type[Model], RecordKind] = {k.model: k for k in RECORD_KINDS.values()}
_BY_ABOUT: dict[str, RecordKind] = {k.about_type: k for k in RECORD_KINDS.values()}


def record_kind(value: str) -> RecordKind:
    """The record type of a RecordType or NoticeKind value; KeyError for anything else."""
    return RECORD_KINDS[str(value)]


def record_kind_or_none(value: str) -> RecordKind | None:
    return RECORD_KINDS.get(str(value))


def record_kind_of(record_or_model) -> RecordKind:
    """The record type of a model class or one of its rows."""
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    return _BY_MODEL[model]


def record_kind_for_about(about_type: str) -> RecordKind | None:
    """An objection's subject ("funds.payment") → its record type, or None."""
    return _BY_ABOUT.get(about_type)


__all__ = ["ABOUT_PREFIX", "RECORD_KINDS", "RecordKind", "record_kind", "record_kind_for_about", "record_kind_of",
           "record_kind_or_none"]

"""Village bank-account transactions (村级银行账户) from the village accounting system's export.

三(二)3: every receipt and payment on a village bank account is sent by SMS to the village supervisors; each new
movement writes one outbox row per current supervisor of the village, in the import's transaction.
"""
from __future__ import annotations

from collections.abc import Iterator

from sunshine.core.errors import ApplicationError
from sunshine.core.tabular import Column, Row, RowErrors, parse_amount, parse_date
from sunshine.funds.errors import FundsErrorCode
from sunshine.notify.services import SmsDraft, sms_queue_many

from .. import rules
from ..canonical import transaction_natural_key_hex
from ..choices import Direction
from ..models import AccountTransaction, VillageAccount
from ..selectors import village_supervisors_by_village
from ..services.sms import transaction_drafts
from .base import Importer, ImportResult
from .cache import ValueCache

KIND = "funds.transaction"

COLUMNS = [
    Column("date", ("日期", "记账日期", "交易日期", "发生日期", "凭证日期")),
    Column("voucher", ("凭证号", "凭证编号", "凭证字号", "记账凭证号"), required=False),
    Column("purpose", ("摘要", "用途", "摘要/用途", "摘要（用途）", "资金用途")),
    Column("income", ("收入", "借方", "借方金额", "收入金额", "收入（元）", "借方（元）")),
    Column("expense", ("支出", "贷方", "贷方金额", "支出金额", "支出（元）", "贷方（元）")),
    Column("balance", ("余额", "账户余额", "余额（元）"), required=False),
    Column("counterparty", ("对方户名", "对方账户名称", "对方单位", "对方名称", "对方账户户名"), required=False),
    Column("account", ("账号", "银行账号", "账户", "账户号码", "本方账号"), required=False, fill_down=True),
]


class TransactionImporter(Importer):
    kind = KIND
    model = AccountTransaction
    columns = COLUMNS
    label = "收支记录"
    row_effects = True  # SMS for the movements this import writes, not for those it finds imported before
    stage_columns = ("natural_key", "lineage", "account_id", "village_id", "occurred_on", "voucher_number",
                     "direction", "amount", "balance", "counterparty", "purpose")

    def prepare(self) -> None:
        accounts = VillageAccount.objects.select_related("village")
        self.accounts = {a.account_number: a for a in accounts if self.in_scope(a.village.path)}
        self.all_accounts = set(VillageAccount.objects.values_list("account_number", flat=True))
        self.account_villages = {a.village_id: a.village for a in self.accounts.values()}
        self.supervisors: dict | None = None  # read when the first movement is written
        self.default_account: VillageAccount | None = None
        wanted = self.options.get("account")
        if wanted:
            number = str(wanted).replace(" ", "")
            self.default_account = self.accounts.get(number)
            if self.default_account is None:
                raise ApplicationError(f"账号“{wanted}”未登记或不在您的管辖范围内", code=FundsErrorCode.ACCOUNT_UNKNOWN)
        self.dates = ValueCache(lambda t: rules.check_date(parse_date(t), label="日期").isoformat())
        self.money = ValueCache(self._money)
        self.balances = ValueCache(lambda t: f"{parse_amount(t, allow_negative=True):.2f}")

    @staticmethod
    def _money(text: str) -> str:
        if not text.strip():
            return ""
        return f"{parse_amount(text):.2f}"

    def parse(self, row: Row, errors: RowErrors) -> tuple | None:
        v = row.values
        n = row.number
        account = self.default_account
        number = (v.get("account") or "").replace(" ", "")
        if number:
            account = self.accounts.get(number)
            if account is None:
                reason = "该账号不在您的管辖范围内" if number in self.all_accounts else f"账号“{number}”未登记为村级账户"
                errors.add(n, self.heading("account"), reason)
                return None
        elif account is None:
            errors.add(n, self.heading("account"), "没有账号：请在文件中加“账号”列，或导入时选择账户")
            return None
        occurred_on = self.dates.get(v["date"], errors, n, self.heading("date"))
        income = self.money.get(v["income"], errors, n, self.heading("income"))
        expense = self.money.get(v["expense"], errors, n, self.heading("expense"))
        balance = self.balances.get(v["balance"], errors, n, self.heading("balance")) if v.get("balance") else ""
        purpose = v["purpose"]
        if not purpose:
            errors.add(n, self.heading("purpose"), "摘要/用途为空（每笔收支都须写明用途）")
        elif len(purpose) > 200:
            errors.add(n, self.heading("purpose"), "摘要/用途超过200个字")
        counterparty = v.get("counterparty", "")
        voucher = v.get("voucher", "")
        if len(counterparty) > 120 or len(voucher) > 40:
            errors.add(n, self.heading("counterparty" if len(counterparty) > 120 else "voucher"), "内容过长")
            return None
        if income is None or expense is None or occurred_on is None or balance is None or not purpose:
            return None
        nonzero = [(d, a) for d, a in ((Direction.RECEIPT, income), (Direction.PAYMENT, expense))
                   if a and a != "0.00"]
        if len(nonzero) != 1:
            errors.add(n, self.heading("income"), "收入和支出须有且只有一项大于0" if nonzero else "收入和支出都为空")
            return None
        direction, amount = nonzero[0]
        key = transaction_natural_key_hex(account_id=account.pk, occurred_on=occurred_on, voucher_number=voucher,
                                          direction=direction.value, amount=amount, balance=balance,
                                          counterparty=counterparty, purpose=purpose)
        return (key, key, account.pk, account.village_id, occurred_on, voucher, direction.value, amount,
                balance or None, counterparty, purpose)

    def duplicate_column(self) -> str:
        return self.heading("voucher") if "voucher" in self.headings else self.heading("date")

    def after_rows(self, ids: list[int], rows: list[tuple], result: ImportResult, prepared=None,
                   meanwhile=None) -> None:
        """One SMS per current supervisor of the village for each movement this import wrote (a movement imported
        before was announced then)."""
        result.sms_queued += sms_queue_many(self._drafts(ids, rows))
        if meanwhile is not None:
            meanwhile()

    def _drafts(self, ids: list[int], rows: list[tuple]) -> Iterator[SmsDraft]:
        if self.supervisors is None:
            self.supervisors = village_supervisors_by_village(village_ids=list(self.account_villages))
        for pk, (_key, _lineage, _account, village_id, occurred_on, _voucher, direction, amount, balance,
                 counterparty, purpose) in zip(ids, rows, strict=True):
            village = self.account_villages[village_id]
            yield from transaction_drafts(
                transaction_id=pk, supervisors=self.supervisors.get(village_id, []), village_name=village.name,
                village_path=village.path, direction=direction, amount=amount, counterparty=counterparty,
                purpose=purpose, balance=balance, occurred_on=occurred_on)

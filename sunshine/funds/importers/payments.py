"""Household payments through the 扶贫明白卡 (三(二)3), from the bank's or the 一卡通 system's payment list.

Every new payment writes its household's SMS outbox row in the same transaction; the SMS idempotency key names
the payment, which is written once, so re-running the import never texts anyone twice. Payment lists run to a
million rows: the importer writes them directly (see base.py).
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection

from sunshine.core.tabular import Column, Row, RowErrors, parse_amount, parse_date
from sunshine.core.validators import normalize_id_number
from sunshine.notify.services.outbox import SmsBulkWriter
from sunshine.org.models import Household, HouseholdMember, Region

from .. import rules
from ..canonical import payment_natural_key_bytes
from ..models import HouseholdPayment
from ..services.records import payments_lock_for_write
from ..services.sms import (
    PAYMENT_PURPOSE,
    PAYMENT_RELATED,
    PAYMENT_TEMPLATE,
    check_url,
    hotline,
    payment_params,
    payment_sms_key,
    sms_amount,
    sms_date,
)
from .base import Importer, ImportResult
from .cache import ValueCache

KIND = "funds.payment"
CARD_CACHE_MAX = 500_000

COLUMNS = [
    Column("name", ("姓名", "户主姓名", "领取人", "领取人姓名", "持卡人", "持卡人姓名", "户名"), required=False),
    Column("id_number", ("身份证号", "证件号码", "身份证号码", "公民身份号码", "身份证")),
    Column("item", ("补贴项目", "资金项目", "补贴项目名称", "补贴类别", "资金名称", "发放项目", "项目名称")),
    Column("amount", ("发放金额", "金额", "补贴金额", "实发金额", "发放金额（元）", "金额（元）")),
    Column("paid_on", ("发放日期", "发放时间", "入账日期", "到账日期", "日期")),
    Column("card", ("银行卡号", "一卡通账号", "卡号", "账号", "银行账号", "社保卡号", "存折账号", "折（卡）号")),
    Column("period", ("所属期", "发放期间", "所属期间", "发放年月", "所属年月", "期间"), required=False),
]


class PaymentImporter(Importer):
    kind = KIND
    model = HouseholdPayment
    columns = COLUMNS
    label = "发放记录"
    stage_columns = ("natural_key", "lineage", "household_id", "village_id", "payee_name", "payee_id_number",
                     "fund_item", "amount", "period", "paid_on", "bank_card")
    direct = True
    row_effects = True

    def lock_tables(self) -> None:
        # Before the registry is read: a household deleted meanwhile waits for this import, then finds its
        # payments.
        payments_lock_for_write()

    def prepare(self) -> None:
        # One dict from ID number to (household, village, the person's name), built once: members and heads.
        self.people: dict[str, tuple[int, int, str]] = {}
        rows = HouseholdMember.objects.values_list("id_number", "household_id", "household__village_id", "name")
        for id_number, household_id, village_id, name in rows.iterator(chunk_size=20000):
            self.people[id_number] = (household_id, village_id, name)
        heads = Household.objects.values_list("head_id_number", "id", "village_id", "head_name")
        for id_number, household_id, village_id, name in heads.iterator(chunk_size=20000):
            self.people.setdefault(id_number, (household_id, village_id, name))
        villages = Region.objects.filter(households__isnull=False).distinct().values_list("id", "name", "path")
        self.villages = {pk: (name, path) for pk, name, path in villages}
        # A sector department pays households anywhere in the city, but only for the items it funds.
        self.department = self.for_department()
        self.own_items: set[str] = set()
        if self.department:
            from ..models import DepartmentFundItem

            self.own_items = set(DepartmentFundItem.objects.filter(unit=self.unit).values_list("name", flat=True))
            self.in_scope_villages = set(self.villages)
        else:
            self.in_scope_villages = {pk for pk, (_, path) in self.villages.items() if self.in_scope(path)}
        self.phones = dict(Household.objects.values_list("id", "phone").iterator(chunk_size=20000))
        # Values as each database takes them in bulk: for PostgreSQL's binary COPY dates as objects and UUIDs as
        # their 16 bytes (sunshine.core.bulkwrite), for SQLite both as text (what Django stores there).
        self.postgresql = connection.vendor == "postgresql"
        self.amounts = ValueCache(self._amount)
        self.dates = ValueCache(self._date if self.postgresql else self._date_text)
        self.items = ValueCache(self._item)
        self.cards: dict[str, str] = {}
        self.sms_params: dict[tuple, dict[str, str]] = {}
        self.url, self.line = check_url(), hotline()

    def start_writing(self) -> None:
        # A new outbox writer: the one of an abandoned direct attempt remembers texts whose rows were rolled back.
        self.sms = SmsBulkWriter(assume_new_keys=True)  # keys name payments this import has just written
        self.sms.use_template(PAYMENT_TEMPLATE)

    @staticmethod
    def _amount(text: str):
        value = rules.check_amount(parse_amount(text), label="发放金额")
        return f"{value:.2f}", value

    @staticmethod
    def _date(text: str) -> tuple[str, dt.date]:
        value = rules.check_date(parse_date(text), label="发放日期")
        return value.isoformat(), value

    @staticmethod
    def _date_text(text: str) -> tuple[str, str]:
        value = rules.check_date(parse_date(text), label="发放日期").isoformat()
        return value, value

    def _item(self, text: str) -> str:
        item = rules.clean_text(text, label="资金项目", max_length=60)
        if self.department and item not in self.own_items:
            raise ValueError(f"资金项目“{item}”不是{self.unit.name}归口的资金项目，部门只能导入本部门的资金项目")
        return item

    def constant_columns(self) -> dict[str, object]:
        return {**super().constant_columns(), "owner_unit_id": self.unit.pk if self.department else None}

    def parse(self, row: Row, errors: RowErrors) -> tuple | None:
        v = row.values
        # The usual row: every value seen before in this file and found good (the caches hold the checked value
        # and no problem), so none of the checks below needs doing again. Anything else takes the full way.
        person = self.people.get(v["id_number"])
        item = self.items.values.get(v["item"])
        amount = self.amounts.values.get(v["amount"])
        paid_on = self.dates.values.get(v["paid_on"])
        card = self.cards.get(v["card"])
        name = v.get("name", "")
        period = v.get("period", "")
        if (person is None or item is None or item[1] is not None or amount is None or amount[1] is not None
                or paid_on is None or paid_on[1] is not None or card is None or len(period) > 30
                or (name and name != person[2]) or person[1] not in self.in_scope_villages):
            return self._parse_checked(row, errors)
        return self._values(person, v["id_number"], name, item[0], amount[0], paid_on[0], card, period)

    def _values(self, person, id_number: str, name: str, item: str, amount, paid_on, card: str,
                period: str) -> tuple:
        household_id, village_id, registered_name = person
        amount_text, amount_value = amount
        date_text, date_value = paid_on
        if not period:
            period = f"{date_text[:4]}年{int(date_text[5:7])}月"
        key = payment_natural_key_bytes(household_id=household_id, fund_item=item, period=period,
                                        amount=amount_text, paid_on=date_text, bank_card=card)
        if not self.postgresql:
            key = key.hex()  # SQLite keeps UUIDs as 32 hex digits (Django's UUIDField there)
        return (key, key, household_id, village_id, name or registered_name, id_number, item, amount_value, period,
                date_value, card)

    def _parse_checked(self, row: Row, errors: RowErrors) -> tuple | None:
        """Every check, each failure recorded with its column and reason."""
        v = row.values
        n = row.number
        ok = True
        raw_id = v["id_number"]
        person = self.people.get(raw_id)
        id_number = raw_id
        if person is None:
            try:
                id_number = normalize_id_number(raw_id)
            except ValidationError as exc:
                errors.add(n, self.heading("id_number"), exc.messages[0])
                ok = False
            else:
                person = self.people.get(id_number)
                if person is None:
                    errors.add(n, self.heading("id_number"), f"证件号码“{id_number}”不是建档立卡户成员")
                    ok = False
        name = v.get("name", "")
        if person is not None:
            registered_name = person[2]
            if name and name != registered_name:
                errors.add(n, self.heading("name"), f"姓名“{name}”与该证件号码登记的姓名“{registered_name}”不符")
                ok = False
            elif person[1] not in self.in_scope_villages:
                errors.add(n, self.heading("id_number"), "该户不在您的管辖范围内")
                ok = False
        item = self.items.get(v["item"], errors, n, self.heading("item"))
        amount = self.amounts.get(v["amount"], errors, n, self.heading("amount"))
        paid_on = self.dates.get(v["paid_on"], errors, n, self.heading("paid_on"))
        card = self.cards.get(v["card"])
        if card is None:
            try:
                card = rules.clean_bank_card(v["card"])
            except ValueError as exc:
                errors.add(n, self.heading("card"), str(exc))
            else:
                if len(self.cards) < CARD_CACHE_MAX:  # a household's card recurs on each of its payments
                    self.cards[v["card"]] = card
        period = v.get("period", "")
        if len(period) > 30:
            errors.add(n, self.heading("period"), "所属期超过30个字")
            period = None
        if not ok or item is None or amount is None or paid_on is None or card is None or period is None:
            return None
        return self._values(person, id_number, name, item, amount, paid_on, card, period)

    def duplicate_column(self) -> str:
        return self.heading("id_number")

    def after_rows(self, ids: list[int], rows: list[tuple], result: ImportResult, prepared=None,
                   meanwhile=None) -> None:
        """One SMS per payment written, to the household's phone (a bad number is recorded as failed)."""
        result.sms_queued += self.sms.write_prepared(
            prepared if prepared is not None else self.prepare_rows(ids, rows), meanwhile=meanwhile)

    def prepare_rows(self, ids: list[int], rows: list[tuple]) -> list[list]:
        return self.sms.prepare_many(template=PAYMENT_TEMPLATE, purpose=PAYMENT_PURPOSE,
                                     related_type=PAYMENT_RELATED, items=self._messages(ids, rows))

    def _messages(self, ids: list[int], rows: list[tuple]):
        # The SMS parameters of a million payments take a few hundred distinct values (item, amount, date,
        # village), so each params dict is built once and shared; the outbox renders each once too.
        cache, villages, phones = self.sms_params, self.villages, self.phones
        for pk, (_key, _lineage, household_id, village_id, _name, _id, item, amount, _period, paid_on, _card) in zip(
                ids, rows, strict=True):
            cache_key = (item, amount, paid_on, village_id)
            params = cache.get(cache_key)
            if params is None:
                village_name = villages[village_id][0]
                params = cache[cache_key] = payment_params(
                    fund_item=item, amount_text=sms_amount(amount), date_text=sms_date(paid_on),
                    village_name=village_name, url=self.url, line=self.line)
            yield payment_sms_key(pk), phones.get(household_id, ""), params, pk, villages[village_id][1]

"""A small world with planted problems for every rule, and near-misses that must not fire.

`plant(city)` writes it and returns the subject keys each rule must find, exactly; TODAY is the run date the
expectations are counted for (payments and registries are dated around it).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F

from sunshine.core.validators import make_id_number
from sunshine.funds.models import HouseholdPayment, Project
from sunshine.funds.services.records import (
    allocation_create,
    payment_create,
    project_create,
    transaction_create,
    village_account_create,
)
from sunshine.org.models import Household
from sunshine.org.testing import make_household
from sunshine.redflags import testing as reg
from sunshine.redflags.idkeys import id_key

TODAY = dt.date(2026, 4, 1)  # overdue_before = 2026-03-02; idle cut-off = 2026-01-01; disclose_before 2026-03-02
CARD = "6217000011112222333"
_n = iter(range(1, 10_000))


def subject_key(code: str, *parts) -> str:
    """A hit's subject key as the rules build it: the rule's code and its parts joined by a plain colon (a machine
    key, not prose: never full-width)."""
    return ":".join(str(p) for p in (code, *parts))


def outsider() -> str:
    """An ID number of nobody in the household registry."""
    n = next(_n)
    return make_id_number("430302", dt.date(1975, 1, 1) + dt.timedelta(days=n), n % 1000)


def member_number(household, index: int = 1) -> str:
    return household.members.order_by("id")[index].id_number


class World:
    def __init__(self, city):
        self.city = city
        self.actor = city.accounts["admin"]
        self.expected: dict[str, set[str]] = {f"R{i:02d}": set() for i in range(1, 18)}
        self.v = city.villages

    def hh(self, village=0, members=1, status="poor", name="张三"):
        return make_household(self.v[village], members=members, status=status, head_name=name)

    def pay(self, household, item="产业奖补", amount="500", paid_on=dt.date(2026, 1, 10), period="2026年第1季度",
            payee="", allocation=None):
        return payment_create(actor=self.actor, household=household, fund_item=item, amount=Decimal(amount),
                              paid_on=paid_on, bank_card=CARD, period=period, payee_id_number=payee,
                              allocation=allocation)

    def expect(self, code: str, *parts) -> None:
        self.expected[code].add(subject_key(code, *parts))


def plant(city) -> World:  # noqa: PLR0915 - one world, planted rule by rule
    w = World(city)

    # R01 / R17: officials, their relatives, and the households those relatives live in.
    rel_a, rel_b, rel_o2, self_o3, idle_rel = w.hh(0, 2), w.hh(1, 2), w.hh(0, 2), w.hh(1), w.hh(0, 2)
    for _ in range(3):
        w.pay(rel_a, period=f"2026年第{_ + 1}批", paid_on=dt.date(2026, 1, 10 + _))
    for _ in range(2):
        w.pay(rel_b, period=f"2026年第{_ + 1}批", paid_on=dt.date(2026, 1, 10 + _))
    for _ in range(2):
        w.pay(rel_o2, period=f"2026年第{_ + 1}批", paid_on=dt.date(2026, 1, 10 + _))
    w.pay(self_o3)
    reg.official(outsider(), name="李主任", relatives=[
        (member_number(rel_a), "李甲", "子女"), (member_number(rel_b, 0), "李乙", "兄弟姐妹"),
        (member_number(idle_rel), "李丙", "配偶")])  # idle_rel received nothing: near-miss
    o1 = reg.official  # noqa: F841
    reg.official(outsider(), name="周会计", relatives=[(member_number(rel_o2), "周甲", "父母")])
    reg.official(self_o3.head_id_number, name="赵村干", kind="cadre")
    reg.official(outsider(), name="钱局长", kind="public")  # in no household: near-miss
    for household, number in ((rel_a, member_number(rel_a)), (rel_b, member_number(rel_b, 0)),
                              (rel_o2, member_number(rel_o2)), (self_o3, self_o3.head_id_number)):
        w.expect("R01", f"{household.pk}:{id_key(number)}")
    from sunshine.redflags.models import Official

    li = Official.objects.get(name="李主任")
    w.expect("R17", li.id_key)  # 3 + 2 payments to two relatives' households ≥ 5; 周会计 has 2: near-miss

    # R02: paid after death (the payee); near-misses: died after the last payment, a non-payee member died.
    dead, alive_then, member_died = w.hh(1, 2), w.hh(1), w.hh(1, 2)
    w.pay(dead, paid_on=dt.date(2026, 1, 10), period="2026年1月")
    w.pay(dead, paid_on=dt.date(2026, 3, 10), period="2026年3月")
    w.pay(alive_then, paid_on=dt.date(2026, 3, 10), period="2026年3月")
    w.pay(member_died, paid_on=dt.date(2026, 3, 10), period="2026年3月")
    reg.death(dead.head_id_number, dt.date(2026, 2, 1))
    reg.death(alive_then.head_id_number, dt.date(2026, 3, 20))
    reg.death(member_number(member_died), dt.date(2026, 1, 5))
    w.expect("R02", id_key(dead.head_id_number))

    # R03 vehicles; R04 companies; R05 property; R06 pension.
    car, moto, biz, solo, house, flat, pen, pen_exited = (w.hh(2), w.hh(2), w.hh(2), w.hh(2), w.hh(3), w.hh(3),
                                                          w.hh(3), w.hh(3, status="exited"))
    for household in (car, moto, biz, solo, house, flat, pen, pen_exited):
        w.pay(household)
    reg.vehicle(car.head_id_number, "湘C12345", "小型轿车")
    reg.vehicle(moto.head_id_number, "湘C6789摩", "摩托车")
    reg.vehicle(outsider(), "湘C99999", "小型轿车")
    w.expect("R03", car.pk, "湘C12345")
    reg.business(biz.head_id_number, "91430381MA4L000011", "legal_rep")
    reg.business(biz.head_id_number, "91430381MA4L000011", "shareholder")  # same company twice: one hit
    reg.business(solo.head_id_number, "92430381MA4L000022", "legal_rep")  # 个体工商户: near-miss
    w.expect("R04", f"{biz.pk}:91430381MA4L000011")
    reg.purchase(house.head_id_number, "湘（2025）湘乡市不动产权第0000001号", "320000")
    reg.purchase(flat.head_id_number, "湘（2025）湘乡市不动产权第0000002号", "60000")
    w.expect("R05", house.pk, "湘（2025）湘乡市不动产权第0000001号")
    reg.pension(pen.head_id_number)
    reg.pension(pen_exited.head_id_number)
    w.expect("R06", f"{pen.pk}:{id_key(pen.head_id_number)}")

    # R07: disability subsidy without a disability record; near-miss: with one.
    dis_no, dis_yes = w.hh(0), w.hh(0)
    w.pay(dis_no, item="残疾人两项补贴", period="2026年1月")
    w.pay(dis_yes, item="残疾人两项补贴", period="2026年1月")
    reg.disability(dis_yes.head_id_number)
    w.expect("R07", id_key(dis_no.head_id_number), "残疾人两项补贴")

    # R08: twice in one period; near-miss: two periods. R09: the same person paid in two townships.
    dup, twice = w.hh(1), w.hh(1)
    w.pay(dup, item="光伏收益", amount="400", paid_on=dt.date(2026, 1, 15), period="2026年第1季度")
    w.pay(dup, item="光伏收益", amount="400", paid_on=dt.date(2026, 1, 25), period="2026年第1季度")
    w.pay(twice, item="光伏收益", amount="400", paid_on=dt.date(2026, 1, 15), period="2026年第1季度")
    w.pay(twice, item="光伏收益", amount="400", paid_on=dt.date(2026, 3, 15), period="2026年第2季度")
    w.expect("R08", dup.pk, "光伏收益", "2026年第1季度")
    moved, moved_near = w.hh(0), w.hh(0)
    for household, target in ((moved, 2), (moved_near, 1)):
        w.pay(household, item="低保金", amount="300", paid_on=dt.date(2026, 2, 5), period="2026年2月")
        Household.objects.filter(pk=household.pk).update(village=w.v[target])
        household.refresh_from_db()
        w.pay(household, item="低保金", amount="300", paid_on=dt.date(2026, 2, 6), period="2026年2月")
        w.expect("R08", household.pk, "低保金", "2026年2月")  # twice in one period as well
    w.expect("R09", id_key(moved.head_id_number), "低保金", "2026年2月")

    # R10: above the item's standard (per household; per person times the household's size).
    over, within, per_person_ok, per_person_over = w.hh(2), w.hh(2), w.hh(2, 3), w.hh(2, 3)
    reg.standard("教育补助", "household", "1000")
    reg.standard("雨露计划", "person", "500")
    w.pay(over, item="教育补助", amount="1200", period="2026年春季")
    w.pay(within, item="教育补助", amount="1040", period="2026年春季")
    w.pay(per_person_ok, item="雨露计划", amount="1500", period="2026年春季")
    w.pay(per_person_over, item="雨露计划", amount="1600", period="2026年春季")
    w.expect("R10", over.pk, "教育补助", "2026年春季")
    w.expect("R10", per_person_over.pk, "雨露计划", "2026年春季")

    # R11: idle money (made on or before the cut-off and partly unspent); near-misses: spent, too recent.
    idle = allocation_create(actor=w.actor, level="county", document_number="湘乡财〔2025〕1号", fund_type="产业",
                             amount=Decimal("100000"), allocated_on=dt.date(2025, 12, 1), recipient_kind="village",
                             region=w.v[3])
    spent = allocation_create(actor=w.actor, level="county", document_number="湘乡财〔2025〕2号", fund_type="产业",
                              amount=Decimal("500"), allocated_on=dt.date(2025, 12, 1), recipient_kind="village",
                              region=w.v[3])
    allocation_create(actor=w.actor, level="county", document_number="湘乡财〔2026〕3号", fund_type="产业",
                      amount=Decimal("9000"), allocated_on=dt.date(2026, 3, 15), recipient_kind="village",
                      region=w.v[3])
    user = w.hh(3)
    w.pay(user, item="产业奖补", amount="500", allocation=spent)
    w.pay(user, item="产业奖补", amount="500", paid_on=dt.date(2026, 1, 11), period="2026年第2批", allocation=idle)
    w.expect("R11", idle.lineage.hex)

    # R12 / R13 / R15: projects.
    _projects(w)

    # R14: unpublished past the due date. Counted by the household page's own definition in the test; a published
    # payment and a recent one must not count.
    recent = w.hh(3)
    w.pay(recent, item="临时救助", amount="800", paid_on=dt.date(2026, 3, 20), period="2026年3月")
    published = w.hh(3)
    p = w.pay(published, item="临时救助", amount="800", paid_on=dt.date(2026, 1, 20), period="2026年1月")
    HouseholdPayment.objects.filter(pk=p.pk).update(published_at=dt.datetime(2026, 1, 25, tzinfo=dt.UTC))

    # R16: a village-account payment split just under the approval threshold (10,000).
    account = village_account_create(actor=w.actor, village=w.v[0], account_name="测试村股份经济合作社",
                                     account_number="6228480000000000001")
    for day, amount in ((3, "8000"), (9, "7500"), (20, "9000")):
        transaction_create(actor=w.actor, account=account, occurred_on=dt.date(2026, 2, day), direction="out",
                           amount=Decimal(amount), purpose="购买水泥", counterparty="湘乡某建材店")
    for day, amount in ((3, "5000"), (4, "5000")):  # far under the threshold: near-miss
        transaction_create(actor=w.actor, account=account, occurred_on=dt.date(2026, 2, day), direction="out",
                           amount=Decimal(amount), purpose="劳务", counterparty="王师傅")
    for month in (1, 3):  # one a month: near-miss
        transaction_create(actor=w.actor, account=account, occurred_on=dt.date(2026, month, 5), direction="out",
                           amount=Decimal("9500"), purpose="运输", counterparty="李运输")
    w.expect("R16", account.pk, "湘乡某建材店", "2026-02")
    return w


def _projects(w: World) -> None:
    from sunshine.funds.services.spending import spending_create

    def project(village, name, budget, contractor="", contract=None, accepted_on=None):
        pr = project_create(actor=w.actor, village=w.v[village], name=name, project_type="基础设施",
                            budget=Decimal(budget), on_date=dt.date(2026, 1, 5))
        fields = {"contractor": contractor, "contract_amount": contract and Decimal(contract)}
        if accepted_on:
            fields.update(status="accepted", started_on=accepted_on, accepted_on=accepted_on)
        Project.objects.filter(pk=pr.pk).update(**fields)
        pr.refresh_from_db()
        return pr

    # R15: in township 1, 甲建筑 holds 3 of 4 projects' money; township 2 has only 3 projects (near-miss).
    big = [project(0, f"道路硬化{i}", "200000", "甲建筑公司", "200000") for i in range(3)]
    project(1, "安全饮水", "100000", "乙建筑公司", "100000")
    for i in range(3):
        project(2, f"村部修缮{i}", "50000", "丙建筑公司", "50000")
    w.expect("R15", w.city.townships[0].pk, "甲建筑公司")

    # R12: paid before acceptance beyond 30% of the contract; near-misses: a 30% advance, paid after acceptance.
    money = allocation_create(actor=w.actor, level="county", document_number="湘乡财〔2026〕9号",
                              fund_type="项目", amount=Decimal("1000000"), allocated_on=dt.date(2026, 1, 2),
                              recipient_kind="township", region=w.city.townships[0])
    spending_create(actor=w.actor, project=big[0], allocation=money, payee="甲建筑公司",
                    paid_on=dt.date(2026, 2, 1), amount=Decimal("100000"))
    spending_create(actor=w.actor, project=big[1], allocation=money, payee="甲建筑公司",
                    paid_on=dt.date(2026, 2, 1), amount=Decimal("60000"))
    accepted = project(1, "产业路", "80000", "丁公司", "80000", accepted_on=dt.date(2026, 1, 20))
    spending_create(actor=w.actor, project=accepted, allocation=money, payee="丁公司",
                    paid_on=dt.date(2026, 2, 1), amount=Decimal("80000"))
    w.expect("R12", big[0].lineage.hex)

    # R13: recorded before the disclosure cut-off and never published; near-misses: published, recent.
    Project.objects.filter(is_current=True).update(published_at=dt.datetime(2026, 1, 6, tzinfo=dt.UTC))
    hidden = project(3, "未公开项目", "30000")
    recent = project(3, "新项目", "30000")
    Project.objects.filter(pk=hidden.pk).update(created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    Project.objects.filter(pk=recent.pk).update(created_at=F("created_at"))
    w.expect("R13", hidden.lineage.hex)

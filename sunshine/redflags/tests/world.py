"""A small city where every rule has planted hits and near-misses that must not fire (the engines' parity tests).

`build_world()` returns the mini city and `EXPECTED`, the hand-counted hits per rule: the subject keys' shapes are
the rules' own, so the tests compare counts per rule here and the full rows between engines.
"""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

# Hand-counted: what each rule finds in build_world() (the near-misses are listed beside each plant below).
EXPECTED = {
    "R01": 3,  # h1: its head is official o1 and its member o2's relative; h2: its member is o4's relative
    "R02": 1,  # h2's head paid after death; h3's head died after the last payment
    "R03": 1,  # a car in h3; a motorbike in h4 is not counted
    "R04": 1,  # a company (91…) in h4; an individual business (92…) in h5 is not
    "R05": 1,  # a 300,000 purchase in h5; a 50,000 one in h6 is under the threshold
    "R06": 1,  # a pension enrolee in poor h6; one in exited h7 is not
    "R07": 1,  # disability subsidy to h7's head without a record; h8's head has one
    "R08": 1,  # h8 paid 教育资助 twice in 2026-03; once in 2026-04
    "R09": 1,  # h9's head paid 低保金 in two townships; its member twice in one township
    "R10": 1,  # 25,000 against a 20,000 standard; 20,500 is within the 5 % tolerance
    "R11": 1,  # a1 idle for 400 days; a2 spent in full; a3 recent
    "R12": 1,  # pr1 paid 50 % before acceptance; pr2 10 %
    "R13": 1,  # pr3 unpublished for 60 days; pr4 for 5 days
    "R14": 1,  # h12 unpublished 60 days after payment; h11 10 days after
    "R15": 1,  # one contractor with 3 of 4 equal projects in township 2; four different ones in township 1
    "R16": 1,  # two payments of 8,000 to one shop in a month; 5,000 + 8,000 to another
    "R17": 1,  # o2's relative's household had 5 payments; o4's relative's household 2
}


def _uuid() -> uuid.UUID:
    return uuid.uuid4()


def build_world():
    from sunshine.funds.models import (
        AccountTransaction,
        FundAllocation,
        HouseholdPayment,
        Project,
        ProjectSpending,
        VillageAccount,
    )
    from sunshine.org.testing import build_mini_city, make_household
    from sunshine.redflags import services
    from sunshine.redflags.idkeys import id_key
    from sunshine.redflags.models import (
        BusinessRole,
        DeathRecord,
        DisabilityRecord,
        FundStandard,
        Official,
        OfficialRelative,
        PensionEnrolment,
        PropertyPurchase,
        RegistryBatch,
        Vehicle,
    )

    mc = build_mini_city()
    v0, v1, v2, v3 = mc.villages  # v0, v1 in township 1; v2, v3 in township 2
    today = timezone.localdate()
    now = timezone.now()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def month(days: int) -> str:
        return ago(days).strftime("%Y-%m")

    batches = {}

    def batch(kind: str):
        if kind not in batches:
            batches[kind] = RegistryBatch.objects.create(kind=kind, source="测试来源", data_date=today, rows=1)
        return batches[kind]

    seq = iter(range(1, 10_000))

    def other_id() -> str:
        return f"1101011980{next(seq):06d}1X"[:18]

    def masked(number: str) -> str:
        return number[:4] + "*" * 10 + number[-4:]

    def pay(h, *, payee: str | None = None, item: str = "产业奖补", amount: str = "1000.00", days: int = 40,
            period: str | None = None, village=None, published: bool = True, allocation=None):
        return HouseholdPayment.objects.create(
            natural_key=_uuid(), lineage=_uuid(), created_at=now, published_at=now if published else None,
            household=h, village=village or h.village, payee_name=h.head_name,
            payee_id_number=payee or h.head_id_number, fund_item=item, amount=Decimal(amount),
            period=period or month(days), paid_on=ago(days), bank_card=f"6217{h.pk:015d}", allocation=allocation)

    def member(h, index: int) -> str:
        return list(h.members.order_by("id").values_list("id_number", flat=True))[index]

    hh = [None] + [make_household(v, head_name=f"户主{i}", members=2,
                                  status="exited" if i == 7 else "poor")
                   for i, v in enumerate([v0, v0, v1, v1, v1, v0, v1, v0, v0, v2, v1, v0], start=1)]

    # R01 / R17: h1's head is an official; h1's member is o2's relative; five payments to h1.
    for d in range(5):
        pay(hh[1], days=40 + 31 * d)
    Official.objects.create(batch=batch("officials"), id_key=id_key(hh[1].head_id_number),
                            id_masked=masked(hh[1].head_id_number), name="户主1", kind="cadre", unit_name="村委会")
    o2_id = other_id()
    o2 = Official.objects.create(batch=batch("officials"), id_key=id_key(o2_id), id_masked=masked(o2_id),
                                 name="干部二", kind="public", unit_name="镇政府")
    OfficialRelative.objects.create(batch=batch("officials"), official=o2, id_key=id_key(member(hh[1], 1)),
                                    id_masked=masked(member(hh[1], 1)), name="亲属", relation="子女")
    o3_id, o3_rel = other_id(), other_id()  # near-miss: neither a beneficiary
    o3 = Official.objects.create(batch=batch("officials"), id_key=id_key(o3_id), id_masked=masked(o3_id),
                                 name="干部三", kind="public", unit_name="局")
    OfficialRelative.objects.create(batch=batch("officials"), official=o3, id_key=id_key(o3_rel),
                                    id_masked=masked(o3_rel), name="非对象", relation="配偶")

    # R02: h2's head died 60 days ago, paid 90 and 30 days ago; h3's head died 10 days ago, paid 40 days ago.
    pay(hh[2], days=90)
    pay(hh[2], days=30)
    DeathRecord.objects.create(batch=batch("deaths"), id_key=id_key(hh[2].head_id_number),
                               id_masked=masked(hh[2].head_id_number), name="户主2", died_on=ago(60), kind="death")
    pay(hh[3], days=40)
    DeathRecord.objects.create(batch=batch("deaths"), id_key=id_key(hh[3].head_id_number),
                               id_masked=masked(hh[3].head_id_number), name="户主3", died_on=ago(10),
                               kind="cremation")

    # R03: a car in h3; a motorbike in h4.
    Vehicle.objects.create(batch=batch("vehicles"), plate="湘C12345", owner_key=id_key(member(hh[3], 1)),
                           owner_masked=masked(member(hh[3], 1)), owner_name="车主", vehicle_type="小型轿车",
                           registered_on=ago(300))
    pay(hh[4], days=40)
    Vehicle.objects.create(batch=batch("vehicles"), plate="湘C54321", owner_key=id_key(member(hh[4], 1)),
                           owner_masked=masked(member(hh[4], 1)), owner_name="车主", vehicle_type="摩托车",
                           registered_on=ago(300))

    # R04: a company in h4; an individual business in h5.
    BusinessRole.objects.create(batch=batch("business"), credit_code="91430381MA4L000001", company_name="某公司",
                                id_key=id_key(hh[4].head_id_number), id_masked=masked(hh[4].head_id_number),
                                person_name="户主4", role="legal_rep", registered_on=ago(500))
    pay(hh[5], days=40)
    BusinessRole.objects.create(batch=batch("business"), credit_code="92430381MA4L000002", company_name="某个体户",
                                id_key=id_key(hh[5].head_id_number), id_masked=masked(hh[5].head_id_number),
                                person_name="户主5", role="legal_rep", registered_on=ago(500))

    # R05: a 300,000 purchase in h5; a 50,000 one in h6.
    PropertyPurchase.objects.create(batch=batch("property"), certificate="湘(2026)湘乡市不动产权第0000001号",
                                    buyer_key=id_key(member(hh[5], 1)), buyer_masked=masked(member(hh[5], 1)),
                                    buyer_name="买受人", location="某小区", amount=Decimal("300000.00"),
                                    bought_on=ago(100))
    pay(hh[6], days=40)
    PropertyPurchase.objects.create(batch=batch("property"), certificate="湘(2026)湘乡市不动产权第0000002号",
                                    buyer_key=id_key(member(hh[6], 1)), buyer_masked=masked(member(hh[6], 1)),
                                    buyer_name="买受人", location="某村", amount=Decimal("50000.00"),
                                    bought_on=ago(100))

    # R06: a pension enrolee in poor h6; one in exited h7.
    PensionEnrolment.objects.create(batch=batch("pension"), id_key=id_key(hh[6].head_id_number),
                                    id_masked=masked(hh[6].head_id_number), name="户主6", employer="某厂",
                                    enrolled_on=ago(800))
    PensionEnrolment.objects.create(batch=batch("pension"), id_key=id_key(hh[7].head_id_number),
                                    id_masked=masked(hh[7].head_id_number), name="户主7", employer="某厂",
                                    enrolled_on=ago(800))

    # R07: the disability subsidy to h7's head (no record) and h8's head (registered).
    pay(hh[7], item="残疾人两项补贴", amount="100.00", days=40)
    pay(hh[8], item="残疾人两项补贴", amount="100.00", days=40)
    DisabilityRecord.objects.create(batch=batch("disability"), id_key=id_key(hh[8].head_id_number),
                                    id_masked=masked(hh[8].head_id_number), name="户主8",
                                    certificate="43038119600101000X42", grade="二级")

    # R08: h8 paid 教育资助 twice in one month, once in the next.
    pay(hh[8], item="教育资助", amount="500.00", days=70, period="2026-03")
    pay(hh[8], item="教育资助", amount="500.00", days=69, period="2026-03")
    pay(hh[8], item="教育资助", amount="500.00", days=40, period="2026-04")

    # R09: h9's head paid 低保金 in 2026-05 in township 1 and (through h10, in v2) in township 2; h9's member paid
    # twice in township 1 (h9 in v0, h11 in v1).
    pay(hh[9], item="低保金", amount="400.00", days=40, period="2026-05")
    pay(hh[10], payee=hh[9].head_id_number, item="低保金", amount="400.00", days=40, period="2026-05")
    pay(hh[9], payee=member(hh[9], 1), item="低保金", amount="400.00", days=40, period="2026-06")
    pay(hh[11], payee=member(hh[9], 1), item="低保金", amount="400.00", days=40, period="2026-06")

    # R10: the standard 20,000 per household; h10 paid 25,000, h11 20,500.
    FundStandard.objects.create(batch=batch("standards"), fund_item="危房改造补助", basis="household",
                                amount=Decimal("20000.00"), valid_from=ago(1000), valid_to=ago(-1000))
    pay(hh[10], item="危房改造补助", amount="25000.00", days=40)
    pay(hh[11], item="危房改造补助", amount="20500.00", days=40)

    # R11: a1 idle for 400 days; a2 spent in full by a payment; a3 recent. a4 pays the projects' spending.
    def allocation(amount: str, days: int, region=v0):
        return FundAllocation.objects.create(
            natural_key=_uuid(), lineage=_uuid(), created_at=now, published_at=now, level="county",
            document_number=f"湘乡扶〔2026〕{next(seq)}号", fund_type="产业发展资金", amount=Decimal(amount),
            recipient_kind="village", recipient_name=region.name, region=region, allocated_on=ago(days))

    allocation("50000.00", 400)
    a2 = allocation("1000.00", 400)
    pay(hh[12], amount="1000.00", days=300, allocation=a2)
    allocation("50000.00", 5)
    a4 = allocation("900000.00", 10)

    # R12 / R13 / R15: projects.
    def project(village, *, contractor: str, status: str = "in_progress", published: bool = True,
                created_days: int = 100, money: str = "100000.00"):
        return Project.objects.create(
            natural_key=_uuid(), lineage=_uuid(), created_at=now - dt.timedelta(days=created_days),
            published_at=now if published else None, code=f"XM{next(seq)}", name="村组道路硬化", village=village,
            project_type="基础设施", budget=Decimal(money), contract_amount=Decimal(money), contractor=contractor,
            status=status, started_on=ago(120) if status == "in_progress" else None)

    pr1 = project(v0, contractor="甲建设")
    pr2 = project(v0, contractor="乙建设")
    project(v1, contractor="丙建设", published=False, created_days=60)  # pr3: R13
    project(v1, contractor="丁建设", published=False, created_days=5)   # pr4: too recent
    for contractor in ("戊建设", "戊建设", "戊建设", "己建设"):
        project(v2, contractor=contractor)

    def spend(pr, amount: str):
        return ProjectSpending.objects.create(
            natural_key=_uuid(), lineage=_uuid(), created_at=now, published_at=now, project=pr, allocation=a4,
            village=pr.village, payee=pr.contractor, paid_on=ago(20), amount=Decimal(amount),
            paid_before_acceptance=True)

    spend(pr1, "50000.00")
    spend(pr2, "10000.00")

    # R14: h12 paid 60 days ago and unpublished; h11 paid 10 days ago and unpublished.
    pay(hh[12], item="光伏收益分配", amount="300.00", days=60, published=False)
    pay(hh[11], item="光伏收益分配", amount="300.00", days=10, published=False)

    # R16: two payments of 8,000 to one shop in a month; 5,000 and 8,000 to another.
    account = VillageAccount.objects.create(village=v0, account_name="测试村股份经济合作社", bank="农商银行",
                                            account_number="430501623601000001")
    first_of_month = today.replace(day=1) - dt.timedelta(days=40)
    first_of_month = first_of_month.replace(day=1)
    for counterparty, amount in (("某建材店", "8000.00"), ("某建材店", "8000.00"), ("另一店", "5000.00"),
                                 ("另一店", "8000.00")):
        AccountTransaction.objects.create(
            natural_key=_uuid(), lineage=_uuid(), created_at=now, published_at=now, account=account, village=v0,
            occurred_on=first_of_month + dt.timedelta(days=next(seq) % 20), voucher_number=f"PZ{next(seq)}",
            direction="out", amount=Decimal(amount), counterparty=counterparty, purpose="购买材料")

    # R17 near-miss: o4's relative is h2's member; h2 had two payments.
    o4_id = other_id()
    o4 = Official.objects.create(batch=batch("officials"), id_key=id_key(o4_id), id_masked=masked(o4_id),
                                 name="干部四", kind="cadre", unit_name="村委会")
    OfficialRelative.objects.create(batch=batch("officials"), official=o4, id_key=id_key(member(hh[2], 1)),
                                    id_masked=masked(member(hh[2], 1)), name="亲属", relation="配偶")
    services.person_keys_refresh()
    return mc

"""Demo registries with planted problems, then a first run, so the desk shows clues found by the data comparison.

Planted (each recorded so the run finds it): a dead beneficiary still paid, a village cadre's relative among the
beneficiaries, a duplicate payment, a village-account payment split under the approval threshold, an idle
allocation; and registries (vehicles, businesses, a fund item's standard) with records that match nobody.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Max, Min

from sunshine.core.demo import DemoContext, register_demo_step
from sunshine.core.masking import mask_id_number

from .choices import RegistryKind
from .idkeys import id_key

# The demo's first run looks at these rules only: the others (publication overdue, contractors' shares, idle money
# …) would turn the seeder's random data into hundreds of clues that say nothing about the planted problems (the
# funds demo links no payment to its allocations, so by the idle-money definition every one of them is idle).
DEMO_RULES = ["R01", "R02", "R03", "R04", "R05", "R06", "R08", "R10", "R16", "R17"]
SPLIT_PARTS = (Decimal("9200"), Decimal("8800"), Decimal("9600"))


@register_demo_step("redflags", order=50)
def seed(ctx: DemoContext) -> None:
    from sunshine.funds.models import HouseholdPayment

    from .models import RegistryBatch

    if RegistryBatch.objects.exists():
        ctx.write("redflags: demo registries already present, skipped")
        return
    actor = ctx.accounts.get("admin")
    if actor is None or not HouseholdPayment.objects.exists():
        ctx.write("redflags: no payments, skipped")
        return
    idle_on = _idle(ctx, actor)
    planted = [_dead_still_paid(ctx), _cadre_relative(ctx), _duplicate(ctx, actor), _split(ctx, actor),
               "资金闲置" if idle_on else "", _other_registries(ctx)]
    from .engine import run_rules

    run = run_rules(full=True, codes=DEMO_RULES, today=ctx.today)
    clues = run.counts.get("_clues", 0)
    if idle_on:
        # The idle allocation is older than every other: a run dated the day after it became idle finds it alone.
        from sunshine.core.plan import plan_int
        from sunshine.funds.plan import IDLE_DAYS

        as_of = idle_on + dt.timedelta(days=plan_int(IDLE_DAYS, year=idle_on.year) + 1)
        clues += run_rules(full=True, codes=["R11"], today=min(as_of, ctx.today)).counts.get("_clues", 0)
    ctx.write(f"redflags: planted {', '.join(p for p in planted if p)}; first run {clues} clues")


def _batch(ctx, kind: str, source: str):
    from .models import RegistryBatch

    return RegistryBatch.objects.create(kind=kind, source=source, data_date=ctx.today - dt.timedelta(days=7),
                                        filename="演示数据", rows=1)  # each demo registry plants one record


def _households_with_payments(ctx, *, at_least: int = 2, skip: int = 0):
    from sunshine.funds.models import HouseholdPayment

    return (HouseholdPayment.objects.filter(is_current=True).values("household_id")
            .annotate(n=Count("id"), first=Min("paid_on"), last=Max("paid_on"))
            .filter(n__gte=at_least).order_by("household_id")[skip:skip + 1])


def _dead_still_paid(ctx) -> str:
    from sunshine.funds.models import HouseholdPayment
    from sunshine.org.models import Household

    from .models import DeathRecord

    for row in _households_with_payments(ctx, skip=7):
        if row["last"] <= row["first"]:
            continue
        household = Household.objects.get(pk=row["household_id"])
        payee = (HouseholdPayment.objects.filter(household_id=household.pk, is_current=True)
                 .order_by("-paid_on").values_list("payee_id_number", "payee_name").first())
        DeathRecord.objects.create(batch=_batch(ctx, RegistryKind.DEATHS, "市民政局(殡葬管理所)"), name=payee[1],
                                   id_key=id_key(payee[0]), id_masked=mask_id_number(payee[0]), kind="cremation",
                                   died_on=row["last"] - dt.timedelta(days=1))
        return "死亡后仍领取"
    return ""


def _cadre_relative(ctx) -> str:
    from sunshine.org.models import Household

    from .models import Official, OfficialRelative

    rows = list(_households_with_payments(ctx, at_least=1, skip=11))
    if not rows:
        return ""
    household = Household.objects.select_related("village").get(pk=rows[0]["household_id"])
    batch = _batch(ctx, RegistryKind.OFFICIALS, "市委组织部、各乡镇(村干部名册)")
    cadre_number = f"430381{1970 + ctx.rng.randrange(20)}0101{ctx.rng.randrange(100, 999)}"
    cadre_number = cadre_number[:17] + _check(cadre_number[:17])
    cadre = Official.objects.create(batch=batch, name=ctx.faker.name(), id_key=id_key(cadre_number),
                                    id_masked=mask_id_number(cadre_number), kind="cadre",
                                    unit_name=f"{household.village.name}村民委员会", post="村委会主任")
    OfficialRelative.objects.create(batch=batch, official=cadre, name=household.head_name,
                                    id_key=id_key(household.head_id_number),
                                    id_masked=mask_id_number(household.head_id_number), relation="兄弟姐妹")
    return "村干部亲属"


def _check(first17: str) -> str:
    from sunshine.core.validators import id_check_char

    return id_check_char(first17)


def _duplicate(ctx, actor) -> str:
    from sunshine.funds.models import HouseholdPayment
    from sunshine.funds.services.records import payment_create

    payment = (HouseholdPayment.objects.filter(is_current=True).select_related("household")
               .order_by("household_id", "id")[23:24].first())
    if payment is None:
        return ""
    payment_create(actor=actor, household=payment.household, fund_item=payment.fund_item, amount=payment.amount,
                   paid_on=min(payment.paid_on + dt.timedelta(days=9), ctx.today), bank_card=payment.bank_card,
                   period=payment.period)
    return "重复发放"


def _split(ctx, actor) -> str:
    from sunshine.funds.models import VillageAccount
    from sunshine.funds.services.records import transaction_create

    account = VillageAccount.objects.order_by("id")[3:4].first()
    if account is None:
        return ""
    month_start = (ctx.today - dt.timedelta(days=40)).replace(day=2)
    for i, amount in enumerate(SPLIT_PARTS):
        transaction_create(actor=actor, account=account, occurred_on=month_start + dt.timedelta(days=4 * i),
                           direction="out", amount=amount, purpose="村部维修材料款",
                           counterparty="湘乡市东山建材经营部", voucher_number=f"RF{i + 1:03d}")
    return "拆分支付"


def _idle(ctx, actor) -> dt.date | None:
    from sunshine.funds.models import FundAllocation
    from sunshine.funds.services.records import allocation_create
    from sunshine.org.choices import RegionLevel
    from sunshine.org.models import Region

    township = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")[2:3].first()
    if township is None:
        return None
    earliest = FundAllocation.objects.aggregate(m=Min("allocated_on"))["m"] or ctx.today
    allocated_on = min(earliest, ctx.today - dt.timedelta(days=120)) - dt.timedelta(days=30)
    allocation_create(actor=actor, level="provincial", document_number="湘财农指〔演示〕88号",
                      fund_type="产业发展", amount=Decimal("600000"), allocated_on=allocated_on,
                      recipient_kind="township", region=township, purpose="产业扶持(演示:下达后未使用)")
    return allocated_on


def _other_registries(ctx) -> str:
    from .models import FundStandard, Vehicle

    number = "430381198203040017"
    number = number[:17] + _check(number[:17])
    Vehicle.objects.create(batch=_batch(ctx, RegistryKind.VEHICLES, "市公安局交警大队"), plate="湘C8X888",
                           owner_key=id_key(number), owner_masked=mask_id_number(number), owner_name=ctx.faker.name(),
                           vehicle_type="小型轿车", registered_on=ctx.today - dt.timedelta(days=400))
    FundStandard.objects.create(batch=_batch(ctx, RegistryKind.STANDARDS, "市财政局、市乡村振兴局"),
                                fund_item="教育资助", basis="person", amount=Decimal("5000"),
                                valid_from=ctx.today.replace(month=1, day=1),
                                valid_to=ctx.today.replace(month=12, day=31))
    return ""

"""Demo data of funds disclosure (三(二)3): a year of allocations from all four levels, projects at every stage,
扶贫明白卡 payments with their SMS, village-account transactions with the supervisors' SMS, and some of it
published (notices with ledger entries, a few corrections), so the portal has something true-looking to show.

Bulk volumes go through the real import pipeline (generated CSV → run_import), so the demo exercises the same
validation, COPY/executemany writes and SMS outbox rows as a township's upload; the few corrections and notices go
through the services. Everything is drawn from ctx.rng.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

from sunshine.core.demo import DemoContext, register_demo_step
from sunshine.core.models import ImportJob
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Household, Region

from .choices import ProjectStatus
from .importers import (
    AllocationImporter,
    PaymentImporter,
    ProjectImporter,
    SpendingImporter,
    TransactionImporter,
    run_import,
)
from .models import AccountTransaction, FundAllocation, HouseholdPayment, Project, VillageAccount

PAYMENTS_PER_HOUSEHOLD = 2  # 30,000 households → about 60,000 payments
TRANSACTIONS_PER_VILLAGE = 16
# A township posts the month's household payments this many days after the month ends (due within
# SUNSHINE_PUBLICATION_DUE_DAYS of payment, funds.rules): the last weeks' payments are still waiting.
PUBLISH_DAY = 8
# (item, share of households, amounts, months it is paid in): the household-level items of a county's year.
PAYMENT_ITEMS = [
    ("产业奖补", 0.45, (800, 1000, 1500, 2000, 3000), (4, 9)),
    ("光伏收益分红", 0.55, (300, 400, 500, 600), (1, 7)),
    ("健康扶贫", 0.2, (150, 280, 460, 1200, 2600), (3, 6, 10)),
    ("教育资助（雨露计划）", 0.15, (1500, 3000), (3, 9)),
    ("公益岗位工资", 0.08, (600, 800), (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)),
    ("小额信贷贴息", 0.1, (220, 350, 480), (6, 12)),
    ("危房改造", 0.03, (15000, 20000, 35000), (5, 8)),
    ("生态护林员补助", 0.04, (833.33, 1000), (3, 6, 9, 12)),
]
PROJECT_TYPES = [
    ("基础设施", ("村道硬化", "安全饮水巩固提升", "村组道路拓宽", "小型水利设施修复", "桥梁维修")),
    ("产业发展", ("油茶基地建设", "湘莲种植基地", "生猪养殖场扩建", "蔬菜大棚", "稻虾共养示范")),
    ("光伏扶贫", ("村级光伏电站",)),
    ("公共服务", ("村卫生室标准化建设", "村综合服务平台改造")),
]
STAGES = [ProjectStatus.PLANNED, ProjectStatus.FILED, ProjectStatus.TENDERED, ProjectStatus.IN_PROGRESS,
          ProjectStatus.ACCEPTED, ProjectStatus.MAINTAINED]
CONTRACTORS = ("湘乡市宏达建筑工程有限公司", "湘潭市楚湘路桥建设有限公司", "湘乡市兴农农业开发有限公司",
               "湖南省韶山建工集团有限公司", "湘乡市绿源水利工程有限公司")
FUND_TYPES = {
    "national": ("中央财政衔接推进乡村振兴补助资金", "中央专项扶贫资金"),
    "provincial": ("省级财政专项扶贫资金", "省级以工代赈资金"),
    "city": ("市级财政专项扶贫资金",),
    "county": ("县级财政专项扶贫资金", "整合涉农资金"),
}
DOC_PREFIX = {"national": "财农〔{y}〕{n}号", "provincial": "湘财农指〔{y}〕{n}号", "city": "潭财农指〔{y}〕{n}号",
              "county": "湘乡财农〔{y}〕{n}号"}


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _import(importer_class, ctx: DemoContext, filename: str, data: bytes, options: dict | None = None) -> int:
    """Run the real import of a generated file, recorded as an ImportJob like an upload (core's one runner)."""
    import hashlib

    from sunshine.core.importjobs import import_job_create, import_job_run

    admin = ctx.accounts.get("admin")
    queued = import_job_create(kind=importer_class.kind, filename=filename, stored_path="",
                               sha256=hashlib.sha256(data).hexdigest(), actor=admin)
    job = import_job_run(job_id=queued.pk, work=lambda job: run_import(
        importer_class(scope=None, actor=admin, job=job, options=options), source=data, filename=filename))
    if job.status != ImportJob.Status.SUCCEEDED:
        raise RuntimeError(f"demo {filename}: {job.message} {job.errors[:3]}")
    return job.created_rows


def _day(ctx: DemoContext, months_ago: float) -> dt.date:
    last = min(ctx.today, timezone.localdate())
    return last - dt.timedelta(days=int(months_ago * 30.4))


# The items a sector department funds: it imports their payments city-wide and sees them (DepartmentFundItem).
DEPARTMENT_ITEMS = {"产业奖补": "市农业局", "教育资助（雨露计划）": "市教育局", "健康扶贫": "市卫生计生局"}


def _seed_department_items() -> None:
    from sunshine.org.models import Unit

    from .models import DepartmentFundItem

    units = dict(Unit.objects.filter(name__in=DEPARTMENT_ITEMS.values()).values_list("name", "pk"))
    DepartmentFundItem.objects.bulk_create([DepartmentFundItem(name=item, unit_id=units[unit])
                                            for item, unit in DEPARTMENT_ITEMS.items() if unit in units],
                                           ignore_conflicts=True)


@register_demo_step("funds", order=30)
def seed(ctx: DemoContext) -> None:
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent").order_by("code"))
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    if not villages:
        return
    _seed_department_items()
    projects = _seed_projects(ctx, villages)
    allocations = _seed_allocations(ctx, townships, villages)
    spending = _seed_spending(ctx)
    payments = _seed_payments(ctx)
    transactions = _seed_transactions(ctx, villages)
    notices = _publish(ctx, townships)
    ctx.write(f"  资金分配 {allocations} 笔、项目 {projects} 个（支出 {spending} 笔）、到户发放 {payments:,} 笔、"
              f"村级账户收支 {transactions:,} 笔、公示 {notices} 份")


def _seed_projects(ctx: DemoContext, villages: list[Region]) -> int:
    rng = ctx.rng
    rows = []
    year = ctx.today.year
    for v_index, village in enumerate(villages):
        for k in range(rng.choice((2, 3, 3, 4))):
            kind, names = rng.choice(PROJECT_TYPES)
            stage = STAGES[(v_index + k) % len(STAGES)]
            budget = rng.choice((80000, 120000, 150000, 260000, 380000, 500000, 850000))
            code = f"XX{year}{village.code[6:]}{k + 1:02d}"
            approved = _day(ctx, rng.uniform(7, 11)) if stage != ProjectStatus.PLANNED else None
            started = approved + dt.timedelta(days=rng.randint(20, 45)) if stage in STAGES[3:] else None
            accepted = started + dt.timedelta(days=rng.randint(60, 120)) if stage in STAGES[4:] else None
            if accepted and accepted > _day(ctx, 0):
                accepted = _day(ctx, 0)
            tendered = stage in STAGES[2:]
            rows.append([
                rng.choice(names), code, village.parent.name, village.name, kind, f"{budget}",
                # "云坳村" + "村级光伏电站" reads "云坳村级光伏电站", not "云坳村村级…".
                f"{village.name.removesuffix('村')}{rng.choice(names)}，惠及建档立卡户{rng.randint(12, 80)}户",
                f"湘乡扶组发〔{year}〕{rng.randint(3, 60)}号" if approved else "",
                approved.isoformat() if approved else "",
                rng.choice(("公开招标", "竞争性磋商", "邀请招标")) if tendered else "",
                rng.choice(CONTRACTORS) if tendered else "",
                f"{int(budget * rng.uniform(0.88, 0.98))}" if tendered else "",
                started.isoformat() if started else "", accepted.isoformat() if accepted else "",
                "工程质量合格，同意验收" if accepted else "",
                f"{village.name}村民委员会" if stage == ProjectStatus.MAINTAINED else "",
            ])
    header = ["项目名称", "项目编号", "乡镇", "村", "项目类型", "计划投资", "建设内容", "审批文号", "审批日期", "招标方式",
              "中标单位", "合同金额", "开工日期", "验收日期", "验收结论", "管护主体"]
    return _import(ProjectImporter, ctx, "演示-项目库.csv", _csv(header, rows))


def _seed_allocations(ctx: DemoContext, townships: list[Region], villages: list[Region]) -> int:
    rng = ctx.rng
    year = ctx.today.year
    rows = []
    for level, types in FUND_TYPES.items():
        for t in townships:
            doc = DOC_PREFIX[level].format(y=year, n=rng.randint(5, 90))
            rows.append([dict(national="中央", provincial="省级", city="市级", county="县级")[level], doc,
                         rng.choice(types), f"{rng.choice((30, 50, 80, 120, 200)) * 10000}",
                         _day(ctx, rng.uniform(6, 12)).isoformat(), t.name, "", "", "乡镇统筹使用"])
    for project in Project.objects.filter(is_current=True).exclude(status=ProjectStatus.PLANNED).select_related(
            "village", "village__parent"):
        level = rng.choice(("national", "provincial", "county", "county"))
        rows.append([dict(national="中央", provincial="省级", city="市级", county="县级")[level],
                     DOC_PREFIX[level].format(y=year, n=rng.randint(5, 90)), rng.choice(FUND_TYPES[level]),
                     f"{project.budget:.2f}", (project.approved_on or _day(ctx, 8)).isoformat(),
                     project.village.parent.name, project.village.name, project.code, project.name])
    for village in rng.sample(villages, k=max(1, len(villages) // 3)):
        rows.append(["县级", DOC_PREFIX["county"].format(y=year, n=rng.randint(5, 90)), "村级集体经济发展资金",
                     "100000", _day(ctx, rng.uniform(3, 9)).isoformat(), village.parent.name, village.name, "", ""])
    header = ["资金层级", "文号", "资金类别", "金额", "下达日期", "乡镇", "村", "项目编号", "用途"]
    return _import(AllocationImporter, ctx, "演示-资金分配.csv", _csv(header, rows))


def _seed_spending(ctx: DemoContext) -> int:
    """Payments out of the started projects' money (三(二)3 资金使用情况), through the spending import: advances while
    a project is under way (paid before acceptance, so flagged) and the balance after acceptance, never all of it."""
    rng = ctx.rng
    rows = []
    started = (Project.objects.filter(is_current=True, started_on__isnull=False).exclude(code="")
               .select_related("village"))
    for project in started:
        allocation = FundAllocation.objects.filter(project=project, is_current=True).first()
        if allocation is None:
            continue
        last = min(ctx.today, timezone.localdate())
        payee = project.contractor or f"{project.village.name}施工队"
        parts = [0.3, 0.4] if project.accepted_on else [0.3]
        for n, share in enumerate(parts, start=1):
            start = project.accepted_on if (n == 2 and project.accepted_on) else project.started_on
            paid_on = min(last, start + dt.timedelta(days=rng.randint(3, 40)))
            rows.append([project.code, allocation.document_number, payee, f"HT-{project.code}",
                         f"FP{rng.randint(10**7, 10**8 - 1)}", paid_on.isoformat(), f"{allocation.amount * Decimal(str(share)):.2f}",
                         "工程进度款" if n == 1 else "竣工验收后结算款"])
    if not rows:
        return 0
    header = ["项目编号", "资金文号", "收款单位", "合同编号", "发票号码", "支付日期", "支付金额", "支付内容"]
    return _import(SpendingImporter, ctx, "演示-项目资金支出.csv", _csv(header, rows))


def _seed_payments(ctx: DemoContext) -> int:
    rng = ctx.rng
    households = list(Household.objects.order_by("id").values_list("id", "head_name", "head_id_number"))
    if not households:
        return 0
    # In a random order: the payments stop at `wanted`, and every village should have some (not the first 70%).
    rng.shuffle(households)
    wanted = len(households) * PAYMENTS_PER_HOUSEHOLD
    rows = []
    today = _day(ctx, 0)
    for _pk, name, id_number in households:
        card = f"6217{rng.randrange(10 ** 14, 10 ** 15)}"
        for item, share, amounts, months in PAYMENT_ITEMS:
            if rng.random() >= share:
                continue
            # Wages and dividends are paid in several months; one-off items once.
            amount = amounts[rng.randrange(len(amounts))]
            for month in (months if len(months) <= 2 or item == "公益岗位工资" else [rng.choice(months)]):
                paid = dt.date(today.year, month, rng.randint(5, 25))
                if paid > today:
                    paid = dt.date(today.year - 1, month, paid.day)
                rows.append([name, id_number, item, f"{amount:.2f}", paid.isoformat(), card,
                             f"{paid.year}年{paid.month}月"])
            if len(rows) >= wanted:
                break
        if len(rows) >= wanted:
            break
    header = ["户主姓名", "身份证号", "补贴项目", "发放金额（元）", "发放日期", "一卡通账号", "所属期"]
    return _import(PaymentImporter, ctx, "演示-扶贫明白卡发放清单.csv", _csv(header, rows))


def _seed_transactions(ctx: DemoContext, villages: list[Region]) -> int:
    rng = ctx.rng
    accounts = VillageAccount.objects.bulk_create([
        VillageAccount(village=v, account_name=f"{v.parent.name}{v.name}股份经济合作社",
                       bank=rng.choice(("湖南湘乡农村商业银行", "中国农业银行湘乡市支行", "中国邮政储蓄银行湘乡市支行")),
                       account_number=f"8201{v.code[6:]}{rng.randrange(10 ** 9, 10 ** 10)}")
        for v in villages])
    rows = []
    for account in accounts:
        balance = Decimal(rng.randrange(20000, 300000))
        when = _day(ctx, 12)
        for n in range(TRANSACTIONS_PER_VILLAGE):
            when = min(when + dt.timedelta(days=rng.randint(10, 25)), _day(ctx, 0))
            if rng.random() < 0.45 or balance < 20000:
                amount = Decimal(rng.choice((50000, 100000, 23800, 61200, 8650)))
                purpose, other = rng.choice((("上级拨付村级集体经济发展资金", "湘乡市财政局"),
                                             ("光伏电站发电收益", "国网湖南省电力有限公司湘乡市供电分公司"),
                                             ("村集体土地租金收入", "湘乡市兴农农业开发有限公司")))
                balance += amount
                income, expense = f"{amount:.2f}", ""
            else:
                amount = Decimal(rng.choice((3200, 6800, 12000, 18500, 45000)))
                purpose, other = rng.choice((("支付公益性岗位工资", "公益岗位人员"),
                                             ("支付村道硬化工程进度款", rng.choice(CONTRACTORS)),
                                             ("光伏收益分配到户", "建档立卡户"),
                                             ("村级卫生保洁费", "保洁员")))
                amount = min(amount, balance)
                balance -= amount
                income, expense = "", f"{amount:.2f}"
            rows.append([account.account_number, when.isoformat(), f"记-{when.month:02d}-{n + 1:03d}", purpose, income,
                         expense, f"{balance:.2f}", other])
    header = ["账号", "记账日期", "凭证号", "摘要", "收入", "支出", "余额", "对方户名"]
    return _import(TransactionImporter, ctx, "演示-村级账户明细.csv", _csv(header, rows))


def _month_end(day: dt.date) -> dt.date:
    first_of_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_of_next - dt.timedelta(days=1)


def _publish(ctx: DemoContext, townships: list[Region]) -> int:
    """Publish as a city does (三(二)3): each township posts its household payments month by month, a few days after
    each month ends, so the payments of the last weeks are still waiting (待公示, not yet due); its projects as they
    stand, the village-account movements up to the month before last and the allocations it received. Township
    notices (MAX_NOTICE_ITEMS allows a township's season): every village page has published records. A few
    corrections follow."""
    from .models import FundAllocation
    from .services.notices import MAX_NOTICE_ITEMS, notice_create, notice_publish
    from .services.records import record_correct

    rng = ctx.rng
    actor = ctx.accounts.get("admin")
    if actor is None:
        return 0
    today = _day(ctx, 0)
    count = 0

    # Every township's notices, then published in the order of their dates: the ledger's sequence follows time, and
    # each record's publication date is its notice's (so the disclosure lag is what a city would see).
    jobs: list[tuple[dt.date, int, str, Region, list[int], str]] = []

    def publish(kind: str, township: Region, ids: list[int], starts: dt.date, issuer: str) -> None:
        for first in range(0, len(ids), MAX_NOTICE_ITEMS):
            jobs.append((starts, len(jobs), kind, township, ids[first:first + MAX_NOTICE_ITEMS], issuer))

    for township in townships:
        issuer = f"{township.name}人民政府"
        in_township = {"village__path__startswith": township.path, "is_current": True, "published_at__isnull": True}
        # Payments: one notice a month, posted PUBLISH_DAY days after the month ends (within the due period).
        by_month: dict[dt.date, list[int]] = {}
        for pk, paid_on in HouseholdPayment.objects.filter(**in_township).order_by("paid_on", "id").values_list(
                "id", "paid_on"):
            by_month.setdefault(_month_end(paid_on), []).append(pk)
        for month_end, ids in sorted(by_month.items()):
            starts = month_end + dt.timedelta(days=PUBLISH_DAY)
            if starts <= today:
                publish("payment", township, ids, starts, issuer)
        # Projects as they stand, and the account movements up to the end of the month before last.
        posted = today - dt.timedelta(days=3)
        ids = list(Project.objects.filter(**in_township).order_by("id").values_list("id", flat=True))
        if ids:
            publish("project", township, ids, posted, issuer)
        until = today.replace(day=1) - dt.timedelta(days=32)
        ids = list(AccountTransaction.objects.filter(**in_township, occurred_on__lte=_month_end(until))
                   .order_by("id").values_list("id", flat=True))
        if ids:
            publish("transaction", township, ids, posted, issuer)
        ids = list(FundAllocation.objects.filter(is_current=True, published_at__isnull=True,
                                                 region__path__startswith=township.path).values_list("id", flat=True))
        if ids:
            publish("allocation", township, ids, posted, issuer)
    tz = timezone.get_current_timezone()
    for starts, _order, kind, township, ids, issuer in sorted(jobs, key=lambda job: job[:2]):
        notice = notice_create(actor=actor, kind=kind, scope_region=township, record_ids=ids, starts_on=starts,
                               period_days=rng.choice((10, 15, 30)), issuer=issuer, today=starts,
                               contact_phone=f"0731-567{rng.randint(10000, 99999)}")
        at = dt.datetime.combine(starts, dt.time(9, rng.randint(0, 59)), tzinfo=tz)
        notice_publish(actor=actor, notice=notice, now=min(at, timezone.now()))
        count += 1
    published = list(HouseholdPayment.objects.filter(published_at__isnull=False, is_current=True).order_by("id")[:200])
    for payment in rng.sample(published, k=min(3, len(published))):
        record_correct(actor=actor, record=payment, reason="银行回单核对：发放金额录入有误，按回单更正",
                       changes={"amount": payment.amount + Decimal("50.00")})
    return count

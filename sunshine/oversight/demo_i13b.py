"""Demo data of i13b's registers (called from oversight's demo step): data requests (one refused), documents (one
relayed), assessments of villages, project filings with handling times, a training plan with sessions and
attendance, inspections and audits, a micro-power list for every village, grids, weak village party
organisations, sector tasks and 四责四诺 commitments — with some units and people behind, so every page names
someone."""
from __future__ import annotations

import datetime as dt

from sunshine.core.demo import DemoContext

# A standard micro-power list (小微权力清单): (category, item, responsible post, [(step, post), ...]).
MICRO_POWERS = [
    ("重大事项决策", "村级重大事项决策(“四议两公开”)", "村党支部书记",
     [("村党支部提议", "村党支部"), ("村“两委”会议商议", "村“两委”"), ("党员大会审议", "全体党员"),
      ("村民(代表)会议决议", "村民代表"), ("决议公开、实施结果公开", "村务监督委员会")]),
    ("项目建设", "村级工程项目建设", "村委会主任",
     [("项目申报、立项", "村委会"), ("审批登记备案", "乡镇"), ("招投标或比选", "村“两委”"), ("施工监督", "村务监督委员会"),
      ("竣工验收、公示", "村委会")]),
    ("资金管理", "村级财务收支", "村报账员",
     [("经办人签字", "经办人"), ("村务监督委员会审核", "村务监督委员会"), ("村党支部书记审批", "村党支部书记"),
      ("乡镇经管站审核入账", "乡镇经管站"), ("按月公开", "村委会")]),
    ("惠民政策", "建档立卡贫困户识别与退出", "村党支部书记",
     [("农户申请", "农户"), ("村民小组评议", "村民小组"), ("村“两委”审核、公示", "村“两委”"), ("乡镇审核、公告", "乡镇")]),
    ("惠民政策", "低保、特困供养申请初审", "村民政协理员",
     [("受理申请", "村民政协理员"), ("入户调查", "村“两委”"), ("民主评议", "村民代表"), ("公示、上报", "村委会")]),
    ("资产资源", "集体资产资源发包、出租", "村委会主任",
     [("提出方案", "村委会"), ("村民代表会议表决", "村民代表"), ("公开竞价", "村委会"), ("合同签订、公开", "村委会")]),
    ("便民服务", "宅基地申请初审", "村委会主任",
     [("农户申请", "农户"), ("村民小组意见", "村民小组"), ("村委会审核、公示", "村委会"), ("报乡镇审批", "乡镇")]),
    ("便民服务", "证明类事项出具", "村委会主任",
     [("申请", "群众"), ("核实", "村干部"), ("出具、登记", "村委会")]),
]

TASK_TITLES = [("完成农村危房改造", "户", 40), ("建成产业扶贫基地", "个", 3), ("开展技能培训", "人次", 300),
               ("完成饮水安全巩固提升", "处", 12)]

COMMITMENTS = [("responsibility", "落实扶贫领域作风问题专项治理主体责任"),
               ("responsibility", "对本单位发现的问题线索按程序移送"),
               ("promise", "本单位扶贫资金项目按时公开公示"),
               ("promise", "不要求村级重复填表报数")]


def seed_i13b(ctx: DemoContext) -> str:
    from sunshine.org.choices import RegionLevel, UnitKind
    from sunshine.org.models import Region, Unit

    from .models import MicroPower

    if MicroPower.objects.exists():
        return "registers already present, skipped"
    office, admin = ctx.accounts.get("office"), ctx.accounts.get("admin")
    if office is None or admin is None:
        return "no demo accounts, skipped"
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent").order_by("code"))
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    if not villages:
        return "no villages, skipped"
    year = ctx.today.year
    members = list(Unit.objects.filter(kind=UnitKind.MEMBER_UNIT).order_by("member_order"))
    parts = [
        _burden(ctx, office=office, year=year),
        _filings(ctx, admin=admin, villages=villages),
        _training(ctx, office=office, year=year),
        _inspections(ctx, townships=townships, members=members, year=year),
        _mechanisms(ctx, office=office, villages=villages, year=year),
        _tasks_and_commitments(ctx, office=office, members=members, year=year),
    ]
    return ";".join(parts)


def _day(ctx, days_ago: int) -> dt.date:
    return ctx.today - dt.timedelta(days=days_ago)


def _burden(ctx, *, office, year: int) -> str:
    from sunshine.org.models import Region

    from .choices_i13b import BasisLevel, DataRequestKind
    from .services import burden

    city = Region.objects.get(level=1)
    department = ctx.accounts.get("department") or office
    township = ctx.accounts.get("township") or office
    burden.data_request_register(actor=office, region=city, kind=DataRequestKind.ANNUAL_FILING, year=year,
                                 title=f"{year} 年度建档立卡信息系统数据更新", fields=["家庭成员", "收入", "帮扶措施"],
                                 purpose="全国扶贫开发信息系统年度数据更新(统一部署)", deadline=_day(ctx, -20))
    burden.data_request_register(actor=department, region=city, kind=DataRequestKind.OTHER, year=year,
                                 title="产业扶贫情况统计表", fields=["贫困户人口", "产业项目", "到户补贴发放"],
                                 purpose="年终总结", deadline=_day(ctx, -7))
    burden.data_request_register(actor=township, region=township.unit.territory, kind=DataRequestKind.OTHER,
                                 year=year, title="各村帮扶工作台账", fields=["结对帮扶干部", "走访次数"],
                                 purpose="迎检", deadline=_day(ctx, -3))
    upper = burden.document_register(actor=office, number=f"湘乡治理办〔{year}〕1号",
                                     title="扶贫领域作风问题专项治理实施方案", issued_on=_day(ctx, 300),
                                     forwards_number=f"湘潭纪办〔{year}〕6号", has_measures=True)
    burden.document_register(actor=township, number=f"{township.unit.short_name or township.unit.name[:2]}发〔{year}〕9号",
                             title="转发《扶贫领域作风问题专项治理实施方案》的通知", issued_on=_day(ctx, 290),
                             forwards=upper)
    burden.document_register(actor=department, number=f"湘乡农发〔{year}〕12号", title="关于转发省农业厅产业扶贫文件的通知",
                             issued_on=_day(ctx, 200), forwards_number=f"湘农发〔{year}〕30号")
    burden.document_register(actor=department, number=f"湘乡农发〔{year}〕15号", title="产业扶贫项目管理细则",
                             issued_on=_day(ctx, 150), forwards_number=f"湘农发〔{year}〕30号", has_measures=True)
    burden.village_assessment_register(actor=office, title=f"{year} 年脱贫攻坚成效考核(村级)", year=year, region=city,
                                       basis_level=BasisLevel.PROVINCE, basis_document=f"湘扶组〔{year}〕4号")
    burden.village_assessment_register(actor=department, title="农业产业发展村级考评", year=year, region=city,
                                       basis_level=BasisLevel.NONE)
    return "填表报数 3 项(2 项拒绝)、发文 4 份、村级考核 2 项"


def _filings(ctx, *, admin, villages) -> str:
    """A few projects entered by hand with their own dates, so handling times differ (some wait too long)."""
    from sunshine.funds.services.projects import project_transition
    from sunshine.funds.services.records import project_create

    rng = ctx.rng
    count = 0
    for i, village in enumerate(villages[:: max(1, len(villages) // 12)][:12]):
        applied = _day(ctx, rng.randint(40, 120))
        p = project_create(actor=admin, village=village, name=f"{village.name.removesuffix('村')}产业路硬化",
                           project_type="基础设施", budget=rng.choice((90000, 180000, 320000)),
                           code=f"BA{ctx.today.year}{village.code[6:]}", on_date=applied)
        count += 1
        if i % 4 == 3:
            continue  # waits for approval since its application
        approved = min(applied + dt.timedelta(days=rng.choice((3, 6, 9, 15, 28))), ctx.today)
        p = project_transition(actor=admin, project=p, to_status="approved", on_date=approved,
                               facts={"approval_document": f"湘乡扶组发〔{ctx.today.year}〕{70 + i}号"})
        if i % 4 == 2:
            continue  # waits for filing since its approval
        filed = min(approved + dt.timedelta(days=rng.choice((2, 4, 7, 12, 25))), ctx.today)
        project_transition(actor=admin, project=p, to_status="filed", on_date=filed)
    return f"审批备案项目 {count} 个"


def _training(ctx, *, office, year: int) -> str:
    from .models import TrainingAttendance
    from .selectors.training import cadre_categories
    from .services import training

    plan = training.training_plan_create(actor=office, year=year, title=f"{year} 年全市扶贫干部培训计划",
                                         content="市委组织部、市扶贫办联合制定:政策标准、作风建设、实际操作能力")
    ids = sorted(cadre_categories(year=year))
    from sunshine.org.models import Person

    sessions = []
    for title, days_ago in [("扶贫政策与作风问题专项治理专题班", 200), ("驻村工作队员能力提升班", 120),
                            ("村干部实际操作培训班", 45)]:
        session = training.training_session_create(actor=office, plan=plan, title=title, held_on=_day(ctx, days_ago),
                                                   place="市委党校", topics="专项治理、政策标准、操作实务")
        sessions.append(session)
    # About two thirds of the cadres attend one session (bulk: a demo's thousand sign-ins; the services are tested).
    rows = []
    for i, person_id in enumerate(ids):
        if ctx.rng.random() < 0.68:
            rows.append(TrainingAttendance(session=sessions[i % 3], person_id=person_id, recorded_by=office,
                                           source="签到表.xlsx"))
    TrainingAttendance.objects.bulk_create(rows, batch_size=1000)
    sample = list(Person.objects.filter(pk__in=ids[:5]))
    training.attendance_add(actor=office, session=sessions[0], people=sample)
    return f"培训班 3 期,扶贫干部 {len(ids)} 人,签到约 {len(rows)} 人"


def _inspections(ctx, *, townships, members, year: int) -> str:
    from sunshine.funds.models import FundAllocation
    from sunshine.org.choices import UnitKind
    from sunshine.org.models import Region, Unit

    from .choices_i13b import InspectionKind
    from .services import inspections

    inspector = ctx.accounts.get("inspection")
    auditor = ctx.accounts.get("audit") or inspector
    if inspector is None:
        return "巡察审计 0(无巡察账号)"
    city = Region.objects.get(level=1)
    township_units = {u.territory_id: u for u in Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOV)}
    covered = townships[: max(1, len(townships) * 2 // 3)]
    made = 0
    for n, township in enumerate(covered):
        unit = township_units.get(township.pk)
        if unit is None:
            continue
        inspections.inspection_create(actor=inspector, kind=InspectionKind.INSPECTION, title=f"对{township.name}的常规巡察",
                                      region=township, started_on=_day(ctx, 250 - n * 8),
                                      ended_on=_day(ctx, 220 - n * 8), units=[unit])
        made += 1
    allocations = list(FundAllocation.objects.filter(is_current=True, owner_unit__in=members[:5])[:20])
    if allocations:
        inspections.inspection_create(actor=auditor, kind=InspectionKind.AUDIT, title="扶贫资金专项审计",
                                      region=city, started_on=_day(ctx, 90), is_special=True,
                                      reason="扶贫资金量大的成员单位", units=members[:2], allocations=allocations)
        made += 1
    from django.utils import timezone

    from .models import Inspection

    soon = max(ctx.today, timezone.localdate()) + dt.timedelta(days=60)
    problems = ["扶贫项目资金拨付滞后,未按规定公示", "到户补贴发放台账不全,部分签字代签", "村级账户大额现金支付"]
    found = 0
    for n, inspection in enumerate(Inspection.objects.filter(kind=InspectionKind.INSPECTION).order_by("id")[:3]):
        unit = township_units.get(inspection.region_id)
        if unit is not None:
            inspections.inspection_finding_add(actor=inspector, inspection=inspection, unit=unit, text=problems[n],
                                               deadline=soon)
            found += 1
    return f"巡察审计 {made} 项(发现问题 {found} 个转整改)"


def _mechanisms(ctx, *, office, villages, year: int) -> str:
    from sunshine.org.choices import Post
    from sunshine.org.models import Person

    from .services import mechanisms

    first = villages[0]
    for category, title, post, steps in MICRO_POWERS:
        mechanisms.micro_power_add(actor=office, village=first, category=category, title=title,
                                   responsible_post=post, steps=steps, basis="《湘乡市村级小微权力清单》")
    copied = mechanisms.micro_power_list_copy(actor=office, source=first, villages=villages[1:])
    grids = 0
    for village in villages[:8]:
        groups = list(village.children.order_by("code"))
        workers = list(Person.objects.filter(positions__unit__territory=village, positions__post=Post.GRID_WORKER,
                                             positions__end_date__isnull=True).distinct().order_by("id"))
        for g in range(0, len(groups), 3):
            mechanisms.grid_create(actor=office, village=village, name=f"第{g // 3 + 1}网格", groups=groups[g:g + 3],
                                   workers=workers[g // 3:g // 3 + 1])
            grids += 1
    weak = []
    for n, village in enumerate(villages[5::40][:4]):
        weak.append(mechanisms.weak_org_designate(
            actor=office, village=village, year=year, designated_on=_day(ctx, 280 - n * 10),
            reasons=["班子不团结、战斗力不强", "村级财务管理混乱", "宗族势力干扰", "党员队伍老化、发展党员断档"][n]))
    from django.utils import timezone

    soon = max(ctx.today, timezone.localdate()) + dt.timedelta(days=45)
    for w, titles in zip(weak[1:], [["调整充实村“两委”班子", "建立村级财务公开制度"], ["排查化解宗族矛盾"],
                                    ["发展年轻党员 2 名"]], strict=False):
        for title in titles:
            mechanisms.weak_org_rectification_add(actor=office, weak_org=w, title=title, deadline=soon)
    if weak:
        mechanisms.weak_org_lift(actor=office, weak_org=weak[0], lifted_on=_day(ctx, 30),
                                 note="班子调整到位,整改事项全部完成,经乡镇党委验收销号")
    return f"小微权力清单 {copied + 1} 个村、网格 {grids} 个、软弱涣散村 {len(weak)} 个"


def _tasks_and_commitments(ctx, *, office, members, year: int) -> str:
    from sunshine.org.choices import UnitKind
    from sunshine.org.models import Unit

    from .models import Commitment, DeptTask

    rng = ctx.rng
    tasks = []
    for n, unit in enumerate(members):
        title, measure, target = TASK_TITLES[n % len(TASK_TITLES)]
        due = dt.date(year, rng.choice((6, 9, 11)), 30)
        share = rng.choice((1.0, 1.0, 1.2, 0.8, 0.5))
        done = round(target * share)
        finished = done >= target
        tasks.append(DeptTask(unit=unit, year=year, title=f"{unit.short_name or unit.name}:{title}", measure=measure,
                              target=target, completed=done, due_on=due, created_by=office,
                              status="done" if finished else "open",
                              completed_on=min(due, ctx.today) if finished else None,
                              note="" if finished else "资金到位晚,正在推进"))
    DeptTask.objects.bulk_create(tasks)
    units = members + list(Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOV))
    rows = []
    for n, unit in enumerate(units):
        for k, (kind, text) in enumerate(COMMITMENTS):
            kept = None if n % 7 == 0 else not (n % 5 == 0 and k == 2)
            rows.append(Commitment(unit=unit, year=year, kind=kind, text=text, created_by=office, kept=kept,
                                   checked_on=ctx.today if kept is not None else None, checked_by=office if kept is not None else None,
                                   check_note="" if kept is None else ("已兑现" if kept else "资金公示超期")))
    Commitment.objects.bulk_create(rows)
    return f"行业任务 {len(tasks)} 项、四责四诺 {len(rows)} 条"

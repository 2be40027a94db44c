"""Demo data for the report desk: reports on every channel, cases at every stage, some overdue, some real-name,
outcomes with recovered funds, exposures. Deterministic (ctx.rng, ctx.faker); invented names only."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sunshine.core.demo import register_demo_step
from sunshine.core.workdays import add_working_days

# (text, problem type the reporter or desk gives, or None to leave it to the classifier)
TEXTS = [
    ("{village}的低保名单里有村干部的亲戚，家里有车有楼房，真正困难的老人却没评上。", 11),
    ("{village}去年修的产业路才一年就烂了，听说是村主任的小舅子包的工程，没有招标。", 18),
    ("我家的产业奖补资金说发了两千元，可我卡上只收到八百，剩下的不知道去哪了。", 16),
    ("驻村工作队的干部一个月来不了两天，来了也是拍照就走，群众有事找不到人。", 9),
    ("{village}的扶贫项目资金一直没有公示，村务公开栏上还是三年前的内容。", 19),
    ("乡里要村里每个星期报三次表，村干部天天填表，没时间走访贫困户。", 23),
    ("结对帮扶干部过年送了一袋米就走了，家里的实际困难一点没问。", 21),
    ("{village}的光伏扶贫收益分配不清楚，贫困户说没拿到分红。", 17),
    ("有人冒充贫困户领了教育补助，他家孩子根本没上学。", 16),
    ("村里搞的扶贫车间建好就锁门了，几十万的设备闲在那里。", 17),
    ("危房改造验收走过场，房子还在漏雨就签字验收了。", 18),
    ("信访反映了三次的问题没人管，村霸还在占贫困户的地。", 10),
    ("考核组来检查之前村里让我们统一口径，说收入都达标了。", 25),
    ("村里的兜底户名单有去世的人，补助还在照发。", None),
    ("扶贫小额信贷被村干部转贷给别人做生意了。", None),
]

# Desk channels and who takes them in (ctx.accounts key); online comes in without a staff actor. 大数据比对 clues
# are not typed here: the data comparison's own demo step (redflags/demo.py) plants problems and runs its rules.
CHANNEL_DESK = {
    "online": None, "hotline": "office", "report_box": "township", "supervision_card": "township",
    "grid_worker": "village", "visit": "office", "audit": "audit", "inspection": "inspection",
    "transfer_from_above": "office",
}
LOCAL = {"township", "village"}  # desk accounts whose reports come from their own territory
# Where each demo case stops (by index mod len): every stage of the state machine is represented.
STAGES = [
    [], ["screening"], ["screening", "transferred"], ["screening", "preliminary"],
    ["screening", "preliminary", "investigation"],
    ["screening", "preliminary", "concluded"],
    ["screening", "preliminary", "investigation", "concluded", "accountability"],
    ["screening", "preliminary", "concluded", "reply"],
    ["screening", "preliminary", "investigation", "concluded", "accountability", "reply", "closed"],
    ["screening", "preliminary", "concluded", "reply", "closed"],
]
REPORTS_PER_CHANNEL = 3


@register_demo_step("cases", order=40)
def seed(ctx) -> None:
    from sunshine.org.choices import RegionLevel
    from sunshine.org.models import Region

    from .models import Report

    if Report.objects.exists():
        ctx.write("cases: demo reports already present, skipped")
        return
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent").order_by("code"))
    if not villages:
        ctx.write("cases: no villages, skipped")
        return
    office = ctx.accounts.get("office")
    cases = []
    n = 0
    for channel, actor_key in CHANNEL_DESK.items():
        for _ in range(REPORTS_PER_CHANNEL):
            actor = (ctx.accounts.get(actor_key) or office) if actor_key else None
            # A township's report box and a grid worker's reports come from their own villages (so the demo's
            # township and its discipline commission have cases of their own); the rest from anywhere.
            territory = getattr(getattr(actor, "unit", None), "territory", None) if actor_key in LOCAL else None
            near = [v for v in villages if territory is not None and v.path.startswith(territory.path)] or villages
            cases.append(_one_report(ctx, n=n, channel=channel, actor=actor,
                                     village=near[ctx.rng.randrange(len(near))]))
            n += 1
    for i, case in enumerate(cases):
        _walk(ctx, case=case, stages=STAGES[i % len(STAGES)], office=office)
    _outcomes(ctx, cases=cases)
    from .services import deadlines_check

    run = deadlines_check(today=ctx.today)
    ctx.write(f"cases: {len(cases)} reports on {len(CHANNEL_DESK)} channels; "
              f"{run.reminders} reminders, {run.escalations} escalations")


def _one_report(ctx, *, n: int, channel: str, actor, village):
    from . import services

    template, number = TEXTS[n % len(TEXTS)]
    real_name = None
    if ctx.rng.random() < 0.35 and channel not in ("audit", "inspection"):
        real_name = {"name": ctx.faker.name(), "phone": f"139{ctx.rng.randrange(10**8):08d}"}
    text = template.format(village=village.name)
    with transaction.atomic():
        report, _code = services.report_submit(
            channel=channel, text=text, region=village, problem_type_number=number if channel != "online" else None,
            real_name=real_name, actor=actor,
            about_person_name=ctx.faker.name() if ctx.rng.random() < 0.4 else "",
        )
    case = report.cases.get()
    # Spread the reports over the last two months so clocks run and some are overdue.
    _backdate(case, ctx.today - dt.timedelta(days=ctx.rng.randrange(0, 60)))
    return case


def _backdate(case, received: dt.date) -> None:
    from .models import Case, CaseDeadline, CaseEvent, Report

    created = timezone.make_aware(dt.datetime.combine(received, dt.time(9, 30)))
    Case.objects.filter(pk=case.pk).update(received_on=received, created_at=created)
    Report.objects.filter(pk=case.report_id).update(created_at=created)
    CaseEvent.objects.filter(case=case).update(created_at=created)
    for d in CaseDeadline.objects.filter(case=case):
        d.starts_on = received
        d.due_on = add_working_days(received, d.working_days, strict=False)
        d.save(update_fields=["starts_on", "due_on"])
    case.received_on = received


def _handler_for(ctx, case, office):
    """A demo account of the handling unit, else the special governance office (which may act on any case)."""
    for account in ctx.accounts.values():
        if getattr(account, "unit_id", None) == case.handling_unit_id and account.role in (
                "township", "department", "discipline", "governance_office"):
            return account
    return office


def _walk(ctx, *, case, stages: list[str], office) -> None:
    from .models import CaseDeadline, CaseEvent
    from .services import case_transition

    if not stages or office is None:
        return
    from sunshine.org.models import Unit

    t = 1
    for to in stages:
        actor = _handler_for(ctx, case, office)
        data = {}
        if to == "transferred":
            data["to_unit"] = (Unit.objects.filter(kind="member").exclude(pk=case.handling_unit_id)
                               .order_by("member_order").first())
            if data["to_unit"] is None:
                return
        if to == "concluded":
            finding = ctx.rng.choice(["substantiated", "substantiated", "partly", "not_substantiated"])
            data = {"finding": finding, "conclusion": _conclusion(finding)}
            if finding == "not_substantiated" and "accountability" in stages:
                data["finding"] = "substantiated"
                data["conclusion"] = _conclusion("substantiated")
        if to == "accountability" and case.finding == "not_substantiated":
            continue
        if to == "reply":
            data["result"] = ("您反映的问题已核查处理完毕：" + (case.conclusion or "经核查，情况已查清。")
                              + " 感谢您对扶贫工作的监督。")
        case = case_transition(case=case, to=to, actor=actor, reason="", **data)
        # Lay the steps out in time after the receipt, in working days, so the timeline reads naturally.
        when = add_working_days(case.received_on, t * 2, strict=False)
        if when > ctx.today:
            when = ctx.today
        stamp = timezone.make_aware(dt.datetime.combine(when, dt.time(10, 0)))
        CaseEvent.objects.filter(case=case, to_status=to, created_at__gt=stamp).update(created_at=stamp)
        if to == "concluded":
            type(case).objects.filter(pk=case.pk).update(concluded_at=stamp)
            CaseDeadline.objects.filter(case=case, kind="reply", met_at__isnull=True).update(
                starts_on=when, due_on=add_working_days(when, 15, strict=False))
        t += 1


def _conclusion(finding: str) -> str:
    return {
        "substantiated": "经核查，反映问题属实。相关人员违规操作，资金已责令退回。",
        "partly": "经核查，反映问题部分属实，已责令整改。",
        "not_substantiated": "经核查，反映问题不属实，已向群众说明政策。",
    }[finding]


def _outcomes(ctx, *, cases) -> None:
    from sunshine.org.models import Household

    from . import services
    from .models import Case

    discipline = ctx.accounts.get("discipline")
    office = ctx.accounts.get("office")
    concluded = [Case.objects.get(pk=c.pk) for c in cases]
    concluded = [c for c in concluded if c.finding in ("substantiated", "partly")]
    exposed = 0
    for i, case in enumerate(concluded):
        actor = _handler_for(ctx, case, office)
        name = ctx.faker.name()
        measure = ["criticism", "admonition", "circulated", "disciplinary", "organisational"][i % 5]
        sanction = {"disciplinary": ["party_warning", "gov_demerit"][i % 2],
                    "organisational": "org_reassignment"}.get(measure, "")
        services.accountability_record(case=case, actor=actor, measure=measure, sanction=sanction,
                                       person_name=name, decided_on=ctx.today - dt.timedelta(days=3))
        if i % 2 == 0:
            recovered_on = ctx.today - dt.timedelta(days=45 if i % 4 == 0 else 10)
            recovery = services.recovery_record(case=case, actor=actor, amount=Decimal(1000 + 500 * i),
                                                recovered_on=recovered_on)
            households = list(Household.objects.filter(village=case.report.region).order_by("code")[:2])
            # One recovery in four is left unreturned: the desk flags it (三(四)1 第一时间返还).
            if households and i % 4 != 0:
                share = (recovery.amount / len(households)).quantize(Decimal("0.01"))
                for household in households:
                    services.funds_return_record(recovery=recovery, actor=actor, household=household, amount=share,
                                                 returned_on=recovered_on + dt.timedelta(days=3))
        if exposed < 3 and discipline is not None and office is not None and case.finding == "substantiated":
            # Proposed by the handling discipline room; the office approves the first two (a second person), and
            # the third waits in its review list. A case the office handles itself stays unproposed.
            if discipline.unit_id != case.handling_unit_id:
                continue
            exposure = services.exposure_propose(
                case=case, actor=discipline, title=f"关于{case.report.region.name}扶贫领域问题的通报",
                body=f"经查，{name}在扶贫工作中存在问题：{case.conclusion} 已给予相应处理。",
                people=[services.ExposedPerson(name=name, title="村干部")],
            )
            if exposed < 2:
                services.exposure_review(exposure=exposure, actor=office, approve=True)
            exposed += 1
    _handlers_and_urges(ctx, office=office)
    # One identity read, so the office's access log is not empty.
    if discipline is not None:
        own = Case.objects.filter(handling_unit_id=discipline.unit_id, report__is_real_name=True).first()
        if own is not None:
            services.identity_read(case=own, actor=discipline, reason="需电话联系举报人补充证据")


def _handlers_and_urges(ctx, *, office) -> None:
    """承办人 named by the heads of the demo units on their open cases, and two 督办 by the office and a leader."""
    from . import services
    from .models import Case
    from .transitions import can_assign

    open_cases = list(Case.objects.exclude(status="closed").select_related("report", "handling_unit").order_by("pk"))
    for account in ctx.accounts.values():
        if account is None or not getattr(account, "unit_id", None):
            continue
        for case in [c for c in open_cases if c.handling_unit_id == account.unit_id][:6]:
            if can_assign(case=case, actor=account):
                services.case_assign_handler(case=case, actor=account, handler_id=account.pk)
    leader = ctx.accounts.get("leader")
    urgers = [a for a in (office, leader) if a is not None]
    for urger, case in zip(urgers, [c for c in open_cases if c.status != "received"][:2], strict=False):
        services.case_urge(case=case, actor=urger, note="群众反映强烈，请加快核查，按期办结并报告结果。",
                           due_on=ctx.today + dt.timedelta(days=10), today=ctx.today)

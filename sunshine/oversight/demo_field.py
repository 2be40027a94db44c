"""Demo data of oversight's field work (i13a): a year of visits, leader-led cases (some waiting for a meeting),
rectification items (some overdue), presence checks, 约谈, the leading group —
with some people behind, so every page has someone to name. Deterministic (ctx.rng); invented names only."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from sunshine.core.demo import register_demo_step

BULK = 2000


@register_demo_step("oversight_field", order=55)
def seed(ctx) -> None:
    from .models import Visit

    if Visit.objects.exists():
        ctx.write("oversight （调研督查）： demo visits already present, skipped")
        return
    with transaction.atomic():
        _Seeder(ctx).run()


class _Seeder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.start = dt.date(ctx.today.year, 1, 1)
        self.office = ctx.accounts["office"]

    def day(self, earliest: dt.date | None = None) -> dt.date:
        first = max(earliest or self.start, self.start)
        span = max(0, (self.today - first).days)
        return first + dt.timedelta(days=self.rng.randint(0, span))

    def run(self) -> None:
        self.leading_group()
        self.poor_village_exit()
        visits = self.visits()
        assigned, waiting = self.petitions()
        items, overdue = self.rectifications()
        checks = self.presence()
        talks = self.interviews()
        self.ctx.write(f"  调研督查 {visits} 次、市领导领办 {assigned} 件（待见面 {waiting} 件）、整改事项 {items} 项"
                       f"（超期 {overdue} 项）、在岗抽查 {checks} 次、约谈 {talks} 次")

    # 三(一)3: the township discipline commissions are part of the demo city (org.demo.city), built before any case
    # is routed so the villages' discipline clues reach them first.

    def leading_group(self) -> None:
        from sunshine.org.choices import Post
        from sunshine.org.models import Position, Unit

        from .choices import LeadingGroupRole
        from .services.leadership import leading_group_add

        start = dt.date(self.today.year - 1, 3, 1)
        leaders = list(Position.objects.filter(post=Post.CITY_LEADER, end_date__isnull=True)
                       .select_related("person").order_by("pk"))
        if leaders:
            leading_group_add(actor=self.office, role=LeadingGroupRole.LEADER, person=leaders[0].person,
                              title="市委副书记", start_date=start)
        for pos in leaders[1:2] + leaders[5:6]:
            leading_group_add(actor=self.office, role=LeadingGroupRole.DEPUTY, person=pos.person,
                              title=pos.title, start_date=start)
        if self.office.person_id:
            leading_group_add(actor=self.office, role=LeadingGroupRole.OFFICE_DIRECTOR, person=self.office.person,
                              title="市纪委副书记、市监委副主任", start_date=start)
        names = ["市纪委监委", "市委组织部", "市委宣传部", "市委政法委", "市委巡察办", "市发改局", "市财政局", "市审计局",
                 "市农业局", "市信访局", "市委督查室", "市政府督查室"]
        for unit in Unit.objects.filter(name__in=names):
            leading_group_add(actor=self.office, role=LeadingGroupRole.MEMBER_UNIT, unit=unit, start_date=start)

    def poor_village_exit(self) -> None:
        """Two poor villages left the list this year: they still count for the year's visits."""
        from sunshine.org.models import Region
        from sunshine.org.services import village_poverty_exit

        if self.today.month < 3:
            return
        for village in Region.objects.filter(is_poor_village=True).order_by("code")[:2]:
            village_poverty_exit(actor=self.office, village=village, exited_on=self.today.replace(day=1)
                                 - dt.timedelta(days=30))

    # 三(二)1 ------------------------------------------------------------------------------------------------------
    def visits(self) -> int:
        from sunshine.org.choices import Post, PovertyStatus, RegionLevel
        from sunshine.org.models import Household, Position, Region

        from .choices import VisitMethod
        from .models import Visit

        rng = self.rng
        methods = [VisitMethod.FOUR_NOT_TWO_DIRECT, VisitMethod.PINPOINT, VisitMethod.OTHER]
        held = Position.objects.filter(Q(end_date__isnull=True)).select_related("person", "unit", "unit__territory")
        villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("code"))
        poor = [v for v in villages if v.is_poor_village or (v.poor_exited_on and v.poor_exited_on >= self.start)]
        rows: list[Visit] = []

        def add(pos, village, household=None, finding=""):
            rows.append(Visit(visitor=pos.person, visitor_unit=pos.unit, visited_on=self.day(pos.start_date),
                              village=village, household=household, method=rng.choice(methods),
                              companions=rng.choice(["", "市专项治理办干部", "乡镇扶贫专干", "驻村工作队队长"]),
                              findings=finding, recorded_by=self.office))

        findings = ["公开栏扶贫项目公示未更新", "贫困户不清楚享受的政策", "帮扶手册填写不实", "产业奖补发放未公示", ""]
        for pos in held.filter(post__in=[Post.PARTY_SECRETARY, Post.MAYOR, Post.CITY_LEADER]):
            for _ in range(rng.choice([1, 2, 3, 4, 5, 6])):
                add(pos, rng.choice(villages), finding=rng.choice(findings))
            if pos.post in (Post.PARTY_SECRETARY, Post.MAYOR):
                for village in poor[: int(len(poor) * rng.uniform(0.6, 0.95))]:
                    add(pos, village)
        for pos in held.filter(post=Post.PRINCIPAL, unit__member_order__isnull=False):
            for _ in range(rng.choice([0, 1, 2, 3, 3, 4])):
                add(pos, rng.choice(villages), finding=rng.choice(findings + ["", ""]))
        by_township: dict[int, list] = {}
        for v in villages:
            by_township.setdefault(v.parent_id, []).append(v)
        for pos in held.filter(post__in=[Post.TOWNSHIP_SECRETARY, Post.TOWNSHIP_HEAD]):
            own = by_township.get(pos.unit.territory_id, [])
            for village in rng.sample(own, k=int(len(own) * rng.choice([0.7, 0.9, 1.0, 1.0]))):
                add(pos, village)
        poor_homes: dict[int, list] = {}
        for h in (Household.objects.filter(Q(poverty_status=PovertyStatus.POOR)
                                           | Q(poverty_status=PovertyStatus.EXITED, status_year=self.today.year))
                  .only("pk", "village_id")):
            poor_homes.setdefault(h.village_id, []).append(h)
        region_of = {v.pk: v for v in villages}
        for pos in held.filter(post__in=[Post.VILLAGE_SECRETARY, Post.VILLAGE_DIRECTOR],
                               unit__territory__level=RegionLevel.VILLAGE):
            homes = poor_homes.get(pos.unit.territory_id, [])
            share = rng.choice([0.5, 0.8, 1.0, 1.0, 1.0])
            for h in homes[: int(len(homes) * share)]:
                add(pos, region_of[pos.unit.territory_id], household=h)
        Visit.objects.bulk_create(rows, batch_size=BULK)
        return len(rows)

    # 三(二)2 ------------------------------------------------------------------------------------------------------
    def petitions(self) -> tuple[int, int]:
        from sunshine.cases.choices import CaseStatus
        from sunshine.cases.models import Case
        from sunshine.org.choices import Post
        from sunshine.org.models import Position

        from .services.petitions import leader_assign, leader_instruct, meeting_record

        leaders = [p.person for p in Position.objects.filter(
            end_date__isnull=True, post__in=[Post.PARTY_SECRETARY, Post.MAYOR, Post.CITY_LEADER]).select_related(
            "person").order_by("post", "pk")]
        cases = list(Case.objects.select_related("report").order_by("pk"))
        real = [c for c in cases if c.report.is_real_name and c.status != CaseStatus.CLOSED]
        others = [c for c in cases if not c.report.is_real_name and c.status != CaseStatus.CLOSED]
        picked = (real[:6] + others[:14])
        assigned = waiting = 0
        for i, case in enumerate(picked):
            leader = leaders[i % len(leaders)]
            a = leader_assign(actor=self.office, case=case, leader=leader,
                              assigned_on=self.day(self.today - dt.timedelta(days=60)),
                              note="请亲自过问、亲自督办")
            assigned += 1
            if i % 2 == 0:
                leader_instruct(actor=self.office, assignment=a, text="请承办单位十个工作日内查清事实，结果报我。",
                                given_on=a.assigned_on)
            if case.report.is_real_name:
                if i % 3 == 0:
                    meeting_record(actor=self.office, assignment=a, met_on=a.assigned_on, place="举报人家中",
                                   attendees=f"{leader.name}、举报人、乡镇纪委书记",
                                   summary="当面听取反映，告知办理程序和时限")
                elif case.status != CaseStatus.CLOSED:
                    waiting += 1
        return assigned, waiting

    # 三(三)2 ------------------------------------------------------------------------------------------------------
    def rectifications(self) -> tuple[int, int]:
        from sunshine.org.choices import UnitKind
        from sunshine.org.models import Unit

        from .choices import SourceKind
        from .services.rectifications import (
            rectification_create,
            rectification_follow_up,
            rectification_report_done,
            rectifications_check,
        )

        rng = self.rng
        villages = list(Unit.objects.filter(kind=UnitKind.VILLAGE_COMMITTEE).select_related("territory")
                        .order_by("pk")[:40])
        titles = ["村务公开栏未公示扶贫项目", "产业奖补资金发放台账不全", "危房改造验收资料缺失", "贫困户档案信息不一致",
                  "光伏收益分配方案未经村民代表会议", "帮扶手册填写不实"]
        sources = [SourceKind.VISIT, SourceKind.INSPECTION, SourceKind.AUDIT, SourceKind.CASE]
        overdue = 0
        count = 0
        for i, unit in enumerate(rng.sample(villages, k=min(24, len(villages)))):
            opened = self.today - dt.timedelta(days=rng.randint(20, 120))
            deadline = opened + dt.timedelta(days=rng.choice([15, 30, 60, 90]))
            item = rectification_create(actor=self.office, source_kind=sources[i % len(sources)],
                                        title=titles[i % len(titles)], owner_unit=unit, region=unit.territory,
                                        description="调研督查和巡察发现，责令限期整改", deadline=deadline, today=opened)
            count += 1
            fate = i % 4
            if fate in (1, 2) and deadline > opened:
                done_on = min(self.today, opened + dt.timedelta(days=10))
                item = rectification_report_done(actor=self.office, item=item, evidence="已整改并张贴公示，附照片",
                                                 done_on=done_on)
                if fate == 2:
                    rectification_follow_up(actor=self.office, item=item, outcome="confirm", note="回头看已核实",
                                            checked_on=self.today, today=self.today)
            elif deadline < self.today:
                overdue += 1
        rectifications_check(today=self.today)
        return count, overdue

    def presence(self) -> int:
        from sunshine.org.choices import Post
        from sunshine.org.models import Position

        from .choices import PresenceResult
        from .models import PresenceCheck

        township = self.ctx.accounts["township"]
        positions = list(Position.objects.filter(
            end_date__isnull=True, post__in=[Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER],
            unit__territory__path__startswith=township.unit.territory.path).select_related("unit")[:30])
        rows = []
        results = [PresenceResult.PRESENT, PresenceResult.PRESENT, PresenceResult.PRESENT, PresenceResult.ON_LEAVE,
                   PresenceResult.ABSENT, PresenceResult.COMMUTING]
        for i, pos in enumerate(positions):
            for _ in range(self.rng.randint(1, 3)):
                result = PresenceResult.ABSENT if i % 7 == 0 else self.rng.choice(results)
                rows.append(PresenceCheck(position=pos, village=pos.unit.territory, checked_on=self.day(pos.start_date),
                                          result=result, checked_by=township,
                                          note="" if result == PresenceResult.PRESENT else "电话联系称在县城"))
        PresenceCheck.objects.bulk_create(rows, batch_size=BULK)
        return len(rows)

    def interviews(self) -> int:
        from .selectors.interviews import interview_candidates
        from .services.interviews import interview_record

        talks = 0
        for record in interview_candidates(actor=self.office, today=self.today)[:2]:
            from sunshine.org.models import Unit

            interview_record(actor=self.office, unit=Unit.objects.get(pk=record.unit_id), year=self.today.year,
                             held_on=self.today, interviewer="市专项治理办主任", attendees="主要负责人、分管负责人",
                             outcome="本单位全年未发现问题、未移送线索，责令一个月内开展专项排查并报告结果")
            talks += 1
        return talks

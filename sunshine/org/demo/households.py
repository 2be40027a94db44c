"""The demo city's 建档立卡 registry: households, members and pairing cadres, generated and written in batches."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from sunshine.core.importjobs import ImportResult, import_job_create, import_job_run
from sunshine.core.models import ImportJob
from sunshine.org.choices import Post, PovertyStatus, Relation
from sunshine.org.models import Household, HouseholdMember

from .bulk import StaffBatch, StaffDraft, insert_rows, reserve_ids
from .city import CitySeeder, Township, Village

# 建档立卡 registry vocabulary.
STATUS_WEIGHTS = {  # (in a poor village, elsewhere)
    PovertyStatus.POOR.value: (0.40, 0.25),
    PovertyStatus.EXITED.value: (0.50, 0.65),
    PovertyStatus.MONITORED.value: (0.10, 0.10),
}
POVERTY_CAUSES = [("因病", 30), ("缺技术", 15), ("缺劳力", 12), ("因残", 12), ("因学", 10), ("缺资金", 10),
                  ("自身发展动力不足", 5), ("因灾", 3), ("交通条件落后", 2), ("缺土地", 1)]
HOUSEHOLD_ATTRIBUTES = [("一般贫困户", 70), ("低保贫困户", 25), ("特困供养贫困户", 5)]
HOUSEHOLD_PHONE_SHARE = 0.92
ADULT_MEMBER_PHONE_SHARE = 0.35

HOUSEHOLDS_PER_CADRE = (2, 5)  # a pairing cadre pairs with a few households
FLUSH_HOUSEHOLDS = 5000  # households generated before one batch is written


@dataclasses.dataclass
class HouseholdDraft:
    code: str
    village_id: int
    group_id: int | None
    status: str
    year: int
    cause: str
    attribute: str
    members: list  # [(name, id_number, relation, gender, phone)], the head first
    cadre: int | None = None  # StaffBatch index of the pairing cadre


class HouseholdWriter:
    """Generates the registry village by village and writes it in batches, with the pairing cadres it needs."""

    HOUSEHOLD_FIELDS = ("id", "code", "village", "group", "head_name", "head_id_number", "phone", "member_count",
                        "poverty_status", "status_year", "poverty_cause", "household_attribute", "pairing_cadre",
                        "import_job", "created_at", "updated_at")
    MEMBER_FIELDS = ("household", "name", "id_number", "relation", "gender", "phone", "created_at", "updated_at")

    def __init__(self, seeder: CitySeeder, *, import_job: ImportJob, progress):
        self.draw = seeder.draw
        self.rng = seeder.rng
        self.job = import_job
        self.progress = progress
        self.drafts: list[HouseholdDraft] = []
        self.cadres = StaffBatch()
        self.households = self.members = self.cadre_count = 0
        self.statuses = list(STATUS_WEIGHTS)
        self.causes, self.cause_weights = zip(*POVERTY_CAUSES, strict=True)
        self.attributes, self.attribute_weights = zip(*HOUSEHOLD_ATTRIBUTES, strict=True)

    def run(self, plan: list[tuple[Township, Village, int]]) -> None:
        for township, village, count in plan:
            self.add_village(township, village, count)
            if len(self.drafts) >= FLUSH_HOUSEHOLDS:
                self.flush()
        self.flush()

    def add_village(self, township: Township, village: Village, count: int) -> None:
        rng = self.rng
        weights = [w[0 if village.region.is_poor_village else 1] for w in STATUS_WEIGHTS.values()]
        width = max(5, len(str(count)))
        paired = []
        for serial in range(1, count + 1):
            draft = self.household(village, f"{village.region.code}{serial:0{width}d}",
                                   rng.choices(self.statuses, weights)[0])
            self.drafts.append(draft)
            if draft.status != PovertyStatus.EXITED:
                paired.append(draft)
        # 三(一)2: every poor or monitored household has a pairing cadre (结对帮扶责任人), who pairs with a few.
        start = 0
        while start < len(paired):
            take = rng.randint(*HOUSEHOLDS_PER_CADRE)
            employer = township.unit if rng.random() < 0.4 else rng.choice(township.linked_units)
            name, gender, id_number, phone = self.draw.person((1966, 1996), male=rng.random() < 0.6)
            index = self.cadres.add(StaffDraft(name, gender, id_number, phone, employer.pk,
                                               [(Post.PAIRING_CADRE.value, "结对帮扶责任人",
                                                 self.draw.days_ago(200, 2400), None)]))
            for draft in paired[start:start + take]:
                draft.cadre = index
            start += take

    def household(self, village: Village, code: str, status: str) -> HouseholdDraft:
        rng, draw, names = self.rng, self.draw, self.draw.names
        head_male = rng.random() < 0.85
        head_born = draw.birth(1935, 1988)
        head_name = names.name(male=head_male)
        phone = draw.phone() if rng.random() < HOUSEHOLD_PHONE_SHARE else ""
        members = [(head_name, draw.ids.make(head_born, male=head_male), Relation.HEAD.value,
                    "男" if head_male else "女", phone)]
        family_name = head_name[0] if head_male else names.surname()

        def add(relation: Relation, born: dt.date, male: bool, surname: str | None = None) -> None:
            adult = 18 <= draw.today.year - born.year <= 65
            members.append((names.name(male=male, surname=surname), draw.ids.make(born, male=male), relation.value,
                            "男" if male else "女",
                            draw.phone() if adult and rng.random() < ADULT_MEMBER_PHONE_SHARE else ""))

        if rng.random() < 0.75:
            add(Relation.SPOUSE, draw.birth(max(1930, head_born.year - 5), min(1990, head_born.year + 5)),
                not head_male)
        for _ in range(rng.choices((0, 1, 2, 3), (15, 35, 35, 15))[0]):
            year = head_born.year + rng.randint(20, 38)
            if year > 2019:
                continue
            child_male = rng.random() < 0.55
            add(Relation.CHILD, draw.birth(year, year), child_male, family_name)
            if year <= 1995 and rng.random() < 0.25:
                add(Relation.CHILD_IN_LAW, draw.birth(year - 3, year + 3), not child_male)
            if year <= 1995 and rng.random() < 0.3:
                add(Relation.GRANDCHILD, draw.birth(year + 22, min(2020, year + 30)), rng.random() < 0.55,
                    family_name)
        if head_born.year >= 1950 and rng.random() < 0.2:
            parent_male = rng.random() < 0.4
            add(Relation.PARENT, draw.birth(max(1920, head_born.year - 32), head_born.year - 20), parent_male,
                family_name if parent_male and head_male else None)
        if status == PovertyStatus.POOR:
            year = rng.randint(2014, 2018)  # identified
        elif status == PovertyStatus.EXITED:
            year = rng.randint(2016, 2020)  # lifted out
        else:
            year = rng.randint(2019, 2020)  # monitoring began
        return HouseholdDraft(
            code=code, village_id=village.region.pk,
            group_id=rng.choice(village.group_ids) if village.group_ids else None, status=status, year=year,
            cause=rng.choices(self.causes, self.cause_weights)[0],
            attribute=rng.choices(self.attributes, self.attribute_weights)[0], members=members,
        )

    def flush(self) -> None:
        if not self.drafts:
            return
        self.cadre_count += len(self.cadres.drafts)
        cadre_ids = self.cadres.flush()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        ids = reserve_ids(Household, len(self.drafts))
        insert_rows(Household, self.HOUSEHOLD_FIELDS, [
            (pk, d.code, d.village_id, d.group_id, d.members[0][0], d.members[0][1], d.members[0][4], len(d.members),
             d.status, d.year, d.cause, d.attribute, None if d.cadre is None else cadre_ids[d.cadre], self.job.pk,
             now, now)
            for pk, d in zip(ids, self.drafts, strict=True)
        ])
        self.members += insert_rows(HouseholdMember, self.MEMBER_FIELDS, [
            (pk, *m, now, now) for pk, d in zip(ids, self.drafts, strict=True) for m in d.members
        ])
        self.households += len(self.drafts)
        self.progress.update(len(self.drafts))
        self.drafts = []


def seed_households(seeder: CitySeeder, total: int) -> HouseholdWriter:
    """The 建档立卡 registry, recorded as one import job (bulk writes leave no audit-log rows)."""
    ctx = seeder.ctx
    villages = [(t, v) for t in seeder.townships for v in t.villages]
    weights = [(1.3 if v.region.is_poor_village else 0.3 if t.kind == "street" else 1.0) * seeder.rng.uniform(0.7, 1.3)
               for t, v in villages]
    fingerprint = f"seed_demo:{total}:{len(seeder.townships)}:{len(villages)}:{ctx.today.isoformat()}"
    queued = import_job_create(kind="demo_households", filename="seed_demo", stored_path="",
                               sha256=hashlib.sha256(fingerprint.encode()).hexdigest(), actor=None)
    writers = []

    def work(job: ImportJob) -> ImportResult:
        with tqdm(total=total, unit="户", desc="建档立卡户", disable=None, leave=False) as progress:
            writer = HouseholdWriter(seeder, import_job=job, progress=progress)
            writer.run([(t, v, n) for (t, v), n in zip(villages, apportion(total, weights), strict=True)])
        writers.append(writer)
        return ImportResult(total_rows=total, created=writer.households,
                            message="演示数据：建档立卡户、家庭成员与结对帮扶责任人")

    import_job_run(job_id=queued.pk, work=work)
    (writer,) = writers
    return writer



def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), summing exactly to `total`."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


"""Households import from the national poverty information system's exports (XLSX or UTF-8/GBK CSV).

Each row is a person; rows sharing a 户编号 are one household. Two passes: read and validate every row without
touching the database's tables (bad rows are collected with their number and reason), then, only when the whole
file is clean, write in one transaction. Re-importing the same file changes nothing: households are matched by
户编号 and members by ID number, and only real differences are written.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sunshine.core.importjobs import ImportResult
from sunshine.core.models import ImportJob
from sunshine.core.tabular import Column, RowErrors, open_table
from sunshine.core.validators import normalize_id_number, normalize_mobile

from .choices import PovertyStatus, RegionLevel, Relation
from .jurisdiction import scope_for
from .models import Household, HouseholdMember, Region

KIND = "households"

# Headings as the national system (全国扶贫开发信息系统) and county spreadsheets name them.
COLUMNS = [
    Column("township", ("乡镇", "乡（镇）", "乡镇（街道）", "乡镇街道", "所属乡镇"), fill_down=True),
    Column("village", ("行政村", "村", "村（社区）", "所属村", "行政村（社区）"), fill_down=True),
    Column("group", ("村民小组", "组", "自然村（组）", "小组"), required=False, fill_down=True),
    Column("code", ("户编号", "户码", "家庭编号"), fill_down=True),
    Column("name", ("姓名", "成员姓名")),
    Column("id_number", ("证件号码", "身份证号码", "身份证号", "公民身份号码")),
    Column("relation", ("与户主关系", "与户主的关系", "关系")),
    Column("gender", ("性别",), required=False),
    Column("phone", ("联系电话", "手机号码", "电话号码", "联系方式", "户主电话"), required=False),
    Column("cause", ("主要致贫原因", "致贫原因"), required=False, fill_down=True),
    Column("attribute", ("贫困户属性", "户属性"), required=False, fill_down=True),
    Column("status", ("脱贫属性", "贫困户状态", "户状态", "脱贫状态", "监测对象类别"), required=False, fill_down=True),
    Column("year", ("脱贫年度", "识别年度", "脱贫（识别）年度", "年度", "标识年度"), fill_down=True),
]

RELATION_WORDS = {
    Relation.HEAD: ("户主", "本人"),
    Relation.SPOUSE: ("配偶", "妻", "妻子", "夫", "丈夫"),
    Relation.CHILD: ("子女", "之子", "之女", "子", "女", "儿子", "女儿", "长子", "次子", "长女", "次女", "养子", "养女"),
    Relation.PARENT: ("父母", "父亲", "母亲", "之父", "之母", "父", "母"),
    Relation.GRANDCHILD: ("孙子女", "孙子", "孙女", "之孙子", "之孙女", "外孙子", "外孙女", "外孙"),
    Relation.GRANDPARENT: ("祖父母", "祖父", "祖母", "外祖父", "外祖母"),
    Relation.SIBLING: ("兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"),
    Relation.CHILD_IN_LAW: ("儿媳/女婿", "儿媳", "女婿", "之儿媳", "之女婿"),
    Relation.OTHER: ("其他", "其它"),
}
RELATION_LOOKUP = {word: rel for rel, words in RELATION_WORDS.items() for word in words}

STATUS_WORDS = {
    PovertyStatus.POOR: ("未脱贫", "贫困户", "贫困", "未脱贫户"),
    PovertyStatus.EXITED: ("已脱贫", "脱贫", "脱贫户", "稳定脱贫", "已脱贫户"),
    PovertyStatus.MONITORED: ("监测户", "监测对象", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "防返贫监测户"),
}
STATUS_LOOKUP = {word: status for status, words in STATUS_WORDS.items() for word in words}
MIN_YEAR, MAX_YEAR = 2013, 2100  # 建档立卡 began in 2014; 2013 for households identified in the pilot
HOUSEHOLD_FIELDS = ("village_id", "group_id", "head_name", "head_id_number", "phone", "member_count",
                    "poverty_status", "status_year", "poverty_cause", "household_attribute")
PROGRESS_EVERY = 2000
VALIDATION_SHARE = 60  # percent of the progress bar spent reading and validating


@dataclass
class _Member:
    row: int
    name: str
    id_number: str
    relation: str
    gender: str
    phone: str


@dataclass
class _Household:
    code: str
    first_row: int
    village: Region
    group: Region | None
    status: str
    year: int
    cause: str
    attribute: str
    members: list[_Member] = field(default_factory=list)


class _Regions:
    """Township → village → group lookup by name, loaded once per import."""

    def __init__(self):
        regions = list(Region.objects.filter(level__gte=RegionLevel.TOWNSHIP).only(
            "id", "name", "level", "parent_id", "path", "code"))
        by_id = {r.pk: r for r in regions}
        self.townships = {r.name: r for r in regions if r.level == RegionLevel.TOWNSHIP}
        self.villages: dict[tuple[int, str], Region] = {}
        self.groups: dict[tuple[int, str], Region] = {}
        for r in regions:
            if r.level == RegionLevel.VILLAGE:
                self.villages[(r.parent_id, r.name)] = r
            elif r.level == RegionLevel.GROUP:
                self.groups[(r.parent_id, r.name)] = r
        self.by_id = by_id

    def township(self, name: str) -> Region | None:
        return self.townships.get(name) or self.townships.get(_strip_suffix(name, ("镇", "乡", "街道")))

    def village(self, township: Region, name: str) -> Region | None:
        return self.villages.get((township.pk, name)) or self.villages.get(
            (township.pk, _strip_suffix(name, ("村", "社区", "村委会"))))

    def group(self, village: Region, name: str) -> Region | None:
        return self.groups.get((village.pk, name))


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name + suffixes[0]  # the file may omit the suffix the registry uses, or the reverse


def households_import(*, path: str, filename: str, actor=None, dry_run: bool = False,
                      progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Validate every row of the file; when none is bad (and not a dry run), write the households atomically."""
    table = open_table(path, filename=filename, columns=COLUMNS)
    total = table.total_rows_hint or 0
    errors = RowErrors()
    households, rows_read = _read_and_validate(table, errors, actor, total, progress)
    result = ImportResult(total_rows=rows_read)
    if not errors:
        _check_against_database(households, errors)
    if errors:
        result.errors, result.error_count, result.message = errors.as_list(), errors.count, errors.summary()
        return result
    if dry_run:
        result.message = f"检查通过：{rows_read} 行，{len(households)} 户。未写入（试导入）。"
        return result
    with transaction.atomic():
        _write(households, result, progress, rows_read)
    result.message = (f"导入完成：{rows_read} 行，{len(households)} 户；新增 {result.created} 户，"
                      f"更新 {result.updated} 户，未变化 {result.unchanged} 户。")
    return result


def _read_and_validate(table, errors: RowErrors, actor, total: int, progress) -> tuple[dict[str, _Household], int]:
    regions = _Regions()
    scope = scope_for(actor) if actor is not None else None
    households: dict[str, _Household] = {}
    seen_ids: dict[str, int] = {}
    rows_read = 0
    h = table.headings
    for row in table.rows():
        rows_read += 1
        if progress and rows_read % PROGRESS_EVERY == 0:
            progress(rows_read * VALIDATION_SHARE // max(total, rows_read), 100)
        errors.add_row_problems(row, h)
        if row.problems:
            continue
        v = row.values
        n = row.number
        code = v["code"]
        if not code:
            errors.add(n, h["code"], "户编号为空")
            continue
        name = v["name"]
        if not name:
            errors.add(n, h["name"], "姓名为空")
        elif len(name) > 40:
            errors.add(n, h["name"], "姓名超过40个字")
        try:
            id_number = normalize_id_number(v["id_number"])
        except ValidationError as exc:
            errors.add(n, h["id_number"], exc.messages[0])
            id_number = ""
        if id_number:
            if id_number in seen_ids:
                errors.add(n, h["id_number"], f"证件号码与第 {seen_ids[id_number]} 行重复")
            else:
                seen_ids[id_number] = n
        relation = RELATION_LOOKUP.get(v["relation"].replace(" ", ""))
        if relation is None:
            errors.add(n, h["relation"], f"与户主关系“{v['relation']}”无法识别" if v["relation"] else "与户主关系为空")
        phone = ""
        if v.get("phone"):
            try:
                phone = normalize_mobile(v["phone"])
            except ValidationError:
                errors.add(n, h["phone"], f"联系电话“{v['phone']}”须为11位手机号码（用于短信告知）")
        township = regions.township(v["township"]) if v["township"] else None
        village = None
        if township is None:
            errors.add(n, h["township"], f"乡镇“{v['township']}”不存在" if v["township"] else "乡镇为空")
        else:
            village = regions.village(township, v["village"]) if v["village"] else None
            if village is None:
                errors.add(n, h["village"], f"{township.name}没有行政村“{v['village']}”" if v["village"]
                           else "行政村为空")
        if village is not None and scope is not None and not scope.covers_region_path(village.path):
            errors.add(n, h["village"], f"{township.name}{village.name}不在您的管辖范围内")
            village = None
        group = None
        if village is not None and v.get("group"):
            group = regions.group(village, v["group"])
            if group is None:
                errors.add(n, h["group"], f"{village.name}没有村民小组“{v['group']}”")
        status = STATUS_LOOKUP.get(v.get("status", ""), PovertyStatus.POOR if not v.get("status") else None)
        if status is None:
            errors.add(n, h["status"], f"贫困状态“{v['status']}”无法识别（应为未脱贫、已脱贫或监测户等）")
        year = _year(v["year"])
        if year is None:
            errors.add(n, h["year"], f"年度“{v['year']}”应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份" if v["year"]
                       else "年度为空")
        if not (name and id_number and relation and village and status and year):
            continue
        member = _Member(n, name, id_number, relation, v.get("gender", "")[:2], phone)
        household = households.get(code)
        if household is None:
            households[code] = _Household(code, n, village, group, status, year, v.get("cause", "")[:40],
                                           v.get("attribute", "")[:40], [member])
            continue
        if household.village.pk != village.pk:
            errors.add(n, h["village"], f"同一户编号在第 {household.first_row} 行属于{household.village.name}")
        elif household.status != status or household.year != year:
            errors.add(n, h.get("status", h["year"]), f"同一户的状态或年度与第 {household.first_row} 行不一致")
        else:
            household.members.append(member)
    for household in households.values():
        heads = [m for m in household.members if m.relation == Relation.HEAD]
        if len(heads) != 1:
            reason = "该户没有户主" if not heads else f"该户有 {len(heads)} 名户主"
            errors.add(household.first_row, h["relation"], f"户编号 {household.code}:{reason}")
    return households, rows_read


def _year(text: str) -> int | None:
    digits = text[:4]
    if len(digits) == 4 and digits.isdigit() and MIN_YEAR <= int(digits) <= MAX_YEAR:
        return int(digits)
    return None


def _check_against_database(households: dict[str, _Household], errors: RowErrors) -> None:
    """An ID number registered in another household is a clash the file alone cannot show."""
    by_id = {m.id_number: (h.code, m.row) for h in households.values() for m in h.members}
    for chunk in _chunks(list(by_id), 900):
        clashes = HouseholdMember.objects.filter(id_number__in=chunk).exclude(
            household__code__in=[by_id[i][0] for i in chunk]).values_list("id_number", "household__code")
        for id_number, other_code in clashes:
            errors.add(by_id[id_number][1], "证件号码", f"该证件号码已登记在户 {other_code}，请先核实")


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _write(households: dict[str, _Household], result: ImportResult, progress, rows_read: int) -> None:
    existing = {h.code: h for chunk in _chunks(list(households), 900)
                for h in Household.objects.filter(code__in=chunk)}
    members_by_household: dict[int, dict[str, HouseholdMember]] = {}
    for chunk in _chunks([h.pk for h in existing.values()], 900):
        for m in HouseholdMember.objects.filter(household_id__in=chunk):
            members_by_household.setdefault(m.household_id, {})[m.id_number] = m
    to_create: list[Household] = []
    to_update: list[Household] = []
    for item in households.values():
        head = next(m for m in item.members if m.relation == Relation.HEAD)
        wanted = {
            "village_id": item.village.pk, "group_id": item.group.pk if item.group else None,
            "head_name": head.name, "head_id_number": head.id_number,
            "phone": head.phone or next((m.phone for m in item.members if m.phone), ""),
            "member_count": len(item.members), "poverty_status": item.status, "status_year": item.year,
            "poverty_cause": item.cause, "household_attribute": item.attribute,
        }
        current = existing.get(item.code)
        if current is None:
            to_create.append(Household(code=item.code, **wanted))
        elif any(getattr(current, f) != wanted[f] for f in HOUSEHOLD_FIELDS):
            for f, value in wanted.items():
                setattr(current, f, value)
            to_update.append(current)
    now = timezone.now()
    for h in to_update:
        h.updated_at = now
    Household.objects.bulk_create(to_create, batch_size=500)
    Household.objects.bulk_update(to_update, [*HOUSEHOLD_FIELDS, "updated_at"], batch_size=500)
    if progress:
        progress(80, 100)
    ids = {h.code: h.pk for chunk in _chunks(list(households), 900)
           for h in Household.objects.filter(code__in=chunk).only("id", "code")}
    member_changes = _write_members(households, ids, members_by_household)
    changed_codes = {h.code for h in to_update} | member_changes
    result.created = len(to_create)
    result.updated = len(changed_codes - {h.code for h in to_create})
    result.unchanged = len(households) - result.created - result.updated
    if progress:
        progress(100, 100)


def _write_members(households, ids, members_by_household) -> set[str]:
    """Create, update and remove members so each household matches the file; returns codes that changed."""
    changed: set[str] = set()
    creates: list[HouseholdMember] = []
    updates: list[HouseholdMember] = []
    deletes: list[int] = []
    fields = ("name", "relation", "gender", "phone")
    for code, item in households.items():
        household_id = ids[code]
        current = members_by_household.get(household_id, {})
        listed = {m.id_number for m in item.members}
        for m in item.members:
            row = current.get(m.id_number)
            wanted = {"name": m.name, "relation": m.relation, "gender": m.gender, "phone": m.phone}
            if row is None:
                creates.append(HouseholdMember(household_id=household_id, id_number=m.id_number, **wanted))
                changed.add(code)
            elif any(getattr(row, f) != wanted[f] for f in fields):
                for f, value in wanted.items():
                    setattr(row, f, value)
                updates.append(row)
                changed.add(code)
        gone = [row.pk for id_number, row in current.items() if id_number not in listed]
        if gone:
            deletes += gone
            changed.add(code)
    # Deletions first: a member moving to head may otherwise briefly make two heads (a DB constraint).
    for chunk in _chunks(deletes, 900):
        HouseholdMember.objects.filter(pk__in=chunk).delete()
    heads_changing = [m for m in updates if m.relation == Relation.HEAD]
    if heads_changing:
        demoted = [m for m in updates if m.relation != Relation.HEAD]
        HouseholdMember.objects.bulk_update(demoted, fields, batch_size=500)
        HouseholdMember.objects.bulk_update(heads_changing, fields, batch_size=500)
    else:
        HouseholdMember.objects.bulk_update(updates, fields, batch_size=500)
    HouseholdMember.objects.bulk_create(creates, batch_size=500)
    return changed


# ---- the job wrapper used by the page, the task and the command ---------------------------------------------

def households_import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued households import job as its creator, through core's one runner."""
    from sunshine.core.importjobs import import_job_run, job_progress

    return import_job_run(job_id=job_id, work=lambda job: households_import(
        path=job.stored_path, filename=job.filename, actor=job.created_by,
        progress=lambda done, total: job_progress(job=job, percent=done * 100 // max(total, 1))))

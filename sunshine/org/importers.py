"""Households import from the national poverty information system's exports (XLSX or UTF-8/GBK CSV).

Each row is a person; rows sharing a 户编号 are one household. The file is read, checked and written chunk after
chunk (WRITE_CHUNK households) in one transaction, as the payments import does: a chunk's new households, members
and history rows go in by COPY (PostgreSQL) or executemany (SQLite) while the next rows are read and checked, so
memory holds a chunk or two, not the file. When that way cannot finish, everything it wrote is rolled back and the
careful way takes over, which reads the whole file first and writes only when it is clean: a bad row (the careful
way names every bad row, in row order), a household whose rows are not together, or a clash the database's unique
keys found (an ID number on two rows or registered in a household the file does not list, a member moving to a
household written earlier). Re-importing the same file changes nothing: households are matched by 户编号 and
members by ID number, and only real differences are written, each with its history row (who, when, which import).
"""
from __future__ import annotations

import collections
import datetime as dt
import functools
import json
import sys
from collections.abc import Callable, Iterator
from typing import NamedTuple

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sunshine.core.bulkwrite import BulkWriter, IdsInterleaved
from sunshine.core.importjobs import ImportResult
from sunshine.core.models import ImportJob
from sunshine.core.tabular import Column, RowErrors, open_table
from sunshine.core.validators import id_check_char, normalize_id_number, normalize_mobile

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
    Column("size", ("人数", "家庭人口", "家庭人口数", "家庭人数", "户人数"), required=False, fill_down=True),
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
WRITE_CHUNK = 5_000  # households per COPY (and per comparison with the registry on a re-import)
READ_STEP = 500  # rows read between two looks at what else is to do (streaming)
AHEAD_CHUNKS = 2  # chunks read ahead at most while the chunk before is written
COMPARE_CHUNK = 900  # codes per IN (…) on SQLite; PostgreSQL takes a whole chunk as one array
MEMBER_FIELDS = ("name", "relation", "relation_text", "gender", "phone")
# What a household's history shows of it (never ID numbers or phones: org.models.HISTORY_EXCLUDED_FIELDS).
HISTORY_FIELDS = ("code", "village_id", "group_id", "head_name", "member_count", "poverty_status", "status_year",
                  "poverty_cause", "household_attribute")
MEMBERS_IN_HISTORY = "家庭成员"
SHOWN_IN_HISTORY = frozenset((*HISTORY_FIELDS, MEMBERS_IN_HISTORY))


class _Member(NamedTuple):
    row: int
    name: str
    id_number: str
    relation: str
    relation_text: str
    gender: str
    phone: str


class _Stored(NamedTuple):
    """A member as the registry holds it (compared field by field with the file's)."""

    pk: int
    id_number: str
    name: str
    relation: str
    relation_text: str
    gender: str
    phone: str


class _Household:
    """A household as the file gives it: its valid members (their fields flat in one list, a million members
    being the bulk of an import's memory), the rows that were not (invalid or inconsistent), its head rows."""

    __slots__ = ("attribute", "cause", "code", "declared", "declared_row", "first_row", "flat", "group",
                 "head_row", "more_heads", "other_rows", "status", "unknown_relation", "village", "year")

    def __init__(self, code: str, first_row: int):
        self.code = code
        self.first_row = first_row
        self.flat: list | tuple = []  # _Member fields, member after member
        self.other_rows: list[int] | None = None  # rows of this household that are not valid members
        self.head_row = 0  # a row whose relation is 户主, whether or not the rest of the row is valid
        self.more_heads: list[int] | None = None
        self.village: Region | None = None
        self.group: Region | None = None
        self.status = self.cause = self.attribute = ""
        self.year = 0
        self.declared: int | None = None  # the 人数 the file gives
        self.declared_row = 0
        self.unknown_relation = False

    @property
    def members(self) -> list[_Member]:
        # The row is kept as its distance from the household's first row: a small int, which Python shares.
        f, first = self.flat, self.first_row
        return [_Member(first + f[i], *f[i + 1:i + MEMBER_WIDTH]) for i in range(0, len(f), MEMBER_WIDTH)]

    @property
    def rows(self) -> list[int]:
        first = self.first_row
        return sorted([*(first + offset for offset in self.flat[::MEMBER_WIDTH]), *(self.other_rows or ())])

    @property
    def heads(self) -> list[int]:
        return ([self.head_row] if self.head_row else []) + (self.more_heads or [])

    def wanted_row(self) -> tuple:
        """HOUSEHOLD_FIELDS' values as the file gives them."""
        f = self.flat
        width = MEMBER_WIDTH
        head = next(i for i in range(0, len(f), width) if f[i + 3] == Relation.HEAD)
        phone = f[head + 6] or next((f[i + 6] for i in range(0, len(f), width) if f[i + 6]), "")
        return (self.village.pk, self.group.pk if self.group else None, f[head + 1], f[head + 2], phone,
                len(f) // width, self.status, self.year, self.cause, self.attribute)

    def wanted(self) -> dict:
        return dict(zip(HOUSEHOLD_FIELDS, self.wanted_row(), strict=True))


MEMBER_WIDTH = len(_Member._fields)


class _Regions:
    """Township → village → group lookup by name, loaded once per import; remembers the names it could not find
    (the file's townships and villages missing from the division list)."""

    def __init__(self):
        regions = list(Region.objects.filter(level__gte=RegionLevel.TOWNSHIP).only(
            "id", "name", "level", "parent_id", "path", "code"))
        self.townships = {r.name: r for r in regions if r.level == RegionLevel.TOWNSHIP}
        self.villages: dict[tuple[int, str], Region] = {}
        self.groups: dict[tuple[int, str], Region] = {}
        for r in regions:
            if r.level == RegionLevel.VILLAGE:
                self.villages[(r.parent_id, r.name)] = r
            elif r.level == RegionLevel.GROUP:
                self.groups[(r.parent_id, r.name)] = r
        self.missing_townships: list[str] = []
        self.missing_villages: list[str] = []

    def township(self, name: str) -> Region | None:
        found = self.townships.get(name) or self.townships.get(_strip_suffix(name, ("镇", "乡", "街道")))
        if found is None and name not in self.missing_townships:
            self.missing_townships.append(name)
        return found

    def village(self, township: Region, name: str) -> Region | None:
        found = self.villages.get((township.pk, name)) or self.villages.get(
            (township.pk, _strip_suffix(name, ("村", "社区", "村委会"))))
        if found is None and f"{township.name}{name}" not in self.missing_villages:
            self.missing_villages.append(f"{township.name}{name}")
        return found

    def group(self, village: Region, name: str) -> Region | None:
        return self.groups.get((village.pk, name))

    def missing_text(self) -> str:
        parts = []
        if self.missing_townships:
            parts.append("乡镇：" + "、".join(self.missing_townships[:20]))
        if self.missing_villages:
            parts.append("村：" + "、".join(self.missing_villages[:20]))
        if not parts:
            return ""
        return ("区划表中没有文件里的" + ";".join(parts) +
                "。请先在“行政区划导入”导入统计局的区划代码表，或核对名称。")


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name + suffixes[0]  # the file may omit the suffix the registry uses, or the reverse


class _Errors:
    """Bad rows collected as found, listed in row order at the end whatever kind each is."""

    def __init__(self):
        self.items: list[tuple[int, int, str, str]] = []

    def add(self, row: int, column: str, reason: str) -> None:
        self.items.append((row, len(self.items), column, reason))

    def __bool__(self) -> bool:
        return bool(self.items)

    def into(self, errors: RowErrors) -> RowErrors:
        for row, _, column, reason in sorted(self.items):
            errors.add(row, column, reason)
        return errors


def _rows_text(rows: list[int]) -> str:
    shown = "、".join(str(r) for r in rows[:12])
    return f"第 {shown}{' 等' if len(rows) > 12 else ''} 行"


def households_import(*, path: str, filename: str, actor=None, dry_run: bool = False, job_id: int | None = None,
                      progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Validate every row of the file; when none is bad (and not a dry run), write the households atomically.
    `job_id` names the import in each household's history."""
    table = open_table(path, filename=filename, columns=COLUMNS)
    if not dry_run:
        streamed = ImportResult()
        if _import_streaming(table, streamed, actor, job_id, filename, progress):
            return streamed
        table = open_table(path, filename=filename, columns=COLUMNS)
    total = table.total_rows_hint or 0
    errors = _Errors()
    regions = _Regions()
    households, rows_read = _read_and_validate(table, errors, regions, actor, total, progress)
    result = ImportResult(total_rows=rows_read)
    id_heading = table.headings["id_number"]
    if errors or dry_run:
        _duplicates(households, errors, id_heading)
    if not errors and dry_run:
        _check_against_database(households, errors)
    missing = regions.missing_text()
    if errors:
        return _rejected(result, errors, missing)
    if dry_run:
        result.message = f"检查通过：{rows_read} 行，{len(households)} 户。未写入（试导入）。"
        return result
    try:
        with transaction.atomic():
            _write(households, result, actor, job_id, filename, progress)
    except IntegrityError:
        # An ID number already registered in a household the file does not list (the database's unique key
        # said so): find and name the rows; nothing was written.
        _duplicates(households, errors, id_heading)
        _check_against_database(households, errors)
        if not errors:
            raise
        result.created = result.updated = result.unchanged = 0
        return _rejected(result, errors, missing)
    result.message = (f"导入完成：{rows_read} 行，{len(households)} 户；新增 {result.created} 户，"
                      f"更新 {result.updated} 户，未变化 {result.unchanged} 户。")
    return result


def _rejected(result: ImportResult, errors: _Errors, missing: str) -> ImportResult:
    listed = errors.into(RowErrors())
    result.errors, result.error_count = listed.as_list(), listed.count
    result.message = (missing + " " if missing else "") + listed.summary()
    return result


def _read_and_validate(table, errors: _Errors, regions: _Regions, actor, total: int, progress
                       ) -> tuple[dict[str, _Household], int]:
    """Every household of the file, read and checked (the careful way: the whole file held at once)."""
    reader = _Reader(table, errors, regions, actor, total, progress, share=VALIDATION_SHARE)
    households: dict[str, _Household] = {}
    for part in reader.households():
        households = part
    return households, reader.rows_read


class _Scattered(Exception):
    """A row of a household already written came later in the file (its rows are not together)."""


class _Reader:
    """Reads and checks the file's rows, handing the households out in dicts of `chunk` (each once a later household
    begins: the national export keeps a household's rows together) or, without `chunk`, all at the end of the file.
    Handed out in chunks, a household that has another row later raises _Scattered: the caller starts over the
    careful way; and every READ_STEP rows a None is yielded, so the caller can read a little at a time (while the
    server writes)."""

    def __init__(self, table, errors: _Errors, regions: _Regions, actor, total: int, progress, *, share: int,
                 chunk: int | None = None):
        self.table, self.errors, self.regions = table, errors, regions
        self.scope = scope_for(actor) if actor is not None else None
        self.total, self.progress, self.share, self.chunk = total, progress, share, chunk
        self.rows_read = 0
        self.handed_out: set[str] = set()  # codes of the households handed out (chunked only)

    def households(self) -> Iterator[dict[str, _Household]]:
        errors, regions, scope, progress, chunk = self.errors, self.regions, self.scope, self.progress, self.chunk
        handed_out = self.handed_out
        places: dict[tuple[str, str], tuple] = {}
        households: dict[str, _Household] = {}
        birthdates: dict[str, bool] = {}
        h = self.table.headings
        relation_heading, size_heading = h["relation"], h.get("size", "人数")
        previous: _Household | None = None
        for row in self.table.rows():
            self.rows_read += 1
            rows_read = self.rows_read
            if rows_read % READ_STEP == 0:
                if progress and rows_read % PROGRESS_EVERY == 0:
                    progress(rows_read * self.share // max(self.total, rows_read), 100)
                if chunk:
                    yield None  # a step: the caller may go and do something else
            v = row.values
            n = row.number
            for key, reason in row.problems.items():
                errors.add(n, h.get(key, key), reason)
            code = v["code"]
            if not code:
                errors.add(n, h["code"], "户编号为空")
                continue
            household = households.get(code)
            if household is None:
                if chunk:
                    if code in handed_out:
                        raise _Scattered(code)
                    if len(households) >= chunk:
                        yield self._finish(households, relation_heading, size_heading)
                        households = {}
                household = households[code] = _Household(code, n)
            if household is not previous:
                # The household before is most likely complete: its members become a tuple, a third smaller than
                # the growing list (a list again, should more of its rows come later).
                if previous is not None and type(previous.flat) is list:
                    previous.flat = tuple(previous.flat)
                if type(household.flat) is tuple:
                    household.flat = list(household.flat)
                previous = household
            relation_text = v["relation"].replace(" ", "")
            relation = RELATION_LOOKUP.get(relation_text)
            if relation == Relation.HEAD:
                if not household.head_row:
                    household.head_row = n
                elif household.more_heads is None:
                    household.more_heads = [n]
                else:
                    household.more_heads.append(n)
            member = _read_member(v, n, h, household, relation, relation_text, size_heading, relation_heading,
                                  errors, regions, scope, places, birthdates, code, row.problems)
            if member is None:
                if household.other_rows is None:
                    household.other_rows = [n]
                else:
                    household.other_rows.append(n)
            else:
                household.flat.extend(member)
        if households or not chunk:
            yield self._finish(households, relation_heading, size_heading)

    def _finish(self, households: dict[str, _Household], relation_heading: str, size_heading: str
                ) -> dict[str, _Household]:
        """The checks that need a household's every row: one head, as many rows as its 人数 says."""
        errors = self.errors
        for household in households.values():
            rows = household.rows
            heads = household.heads
            if len(heads) > 1:
                for row in heads:
                    errors.add(row, relation_heading, f"户编号 {household.code} 有 {len(heads)} 名户主："
                                                      f"{_rows_text(heads)}")
            elif not heads and not household.unknown_relation:
                errors.add(household.first_row, relation_heading,
                           f"户编号 {household.code} 没有户主（{_rows_text(rows)}都不是户主）")
            if household.declared is not None and household.declared != len(rows):
                errors.add(household.declared_row, size_heading,
                           f"户编号 {household.code} 人数填 {household.declared}，文件中该户有 {len(rows)} 行："
                           f"{_rows_text(rows)}")
        if self.chunk:
            self.handed_out.update(households)
        return households


def _read_member(v, n, h, household, relation, relation_text, size_heading, relation_heading, errors, regions,
                 scope, places, birthdates, code, problems) -> tuple | None:
    """The rest of a row's checks: its member's fields (a _Member), or None when the row is not a valid member."""
    size_text = v.get("size", "")
    if size_text:
        if not size_text.isdigit() or not 1 <= int(size_text) <= 99:
            errors.add(n, size_heading, f"人数“{size_text}”应为 1–99 的整数")
        elif household.declared is None:
            household.declared, household.declared_row = int(size_text), n
        elif int(size_text) != household.declared:
            errors.add(n, size_heading, f"人数 {size_text} 与本户第 {household.declared_row} 行的 "
                                        f"{household.declared} 不一致")
    if problems:
        return None
    bad = False
    name = v["name"]
    if not name:
        errors.add(n, h["name"], "姓名为空")
        bad = True
    elif len(name) > 40:
        errors.add(n, h["name"], "姓名超过40个字")
        bad = True
    try:
        id_number = _id_number(v["id_number"], birthdates)
    except ValidationError as exc:
        errors.add(n, h["id_number"], exc.messages[0])
        id_number = ""
        bad = True
    if relation is None:
        errors.add(n, relation_heading, f"与户主关系“{v['relation']}”无法识别" if v["relation"] else "与户主关系为空")
        household.unknown_relation = True
        bad = True
    elif len(relation_text) > 20:
        errors.add(n, relation_heading, "与户主关系超过20个字")
        bad = True
    phone = v.get("phone", "")
    if phone and not (len(phone) == 11 and phone.isascii() and phone.isdigit() and phone[0] == "1"
                      and phone[1] in "3456789"):  # normalize_mobile's usual case, without its regex
        try:
            phone = normalize_mobile(phone)
        except ValidationError:
            errors.add(n, h["phone"], f"联系电话“{phone}”须为11位手机号码（用于短信告知）")
            bad = True
    place_key = (v["township"], v["village"])
    place = places.get(place_key)
    if place is None:
        # A few hundred villages for a million rows: each township and village name looked up and checked once.
        place = places[place_key] = _place(v, h, regions, scope)
    township, village, place_errors = place
    if place_errors:
        for heading, reason in place_errors:
            errors.add(n, heading, reason)
        bad = True
    group = None
    if village is not None and v.get("group"):
        group = regions.group(village, v["group"])
        if group is None:
            errors.add(n, h["group"], f"{village.name}没有村民小组“{v['group']}”")
            bad = True
    status_text = v.get("status", "")
    status = STATUS_LOOKUP.get(status_text) if status_text else PovertyStatus.POOR
    if status is None:
        errors.add(n, h["status"], f"贫困状态“{status_text}”无法识别（应为未脱贫、已脱贫或监测户等）")
        bad = True
    year = _year(v["year"])
    if year is None:
        errors.add(n, h["year"], f"年度“{v['year']}”应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份" if v["year"]
                   else "年度为空")
        bad = True
    if village is None or status is None or year is None:
        return None
    if household.village is None:
        household.village, household.group = village, group
        household.status, household.year = status, year
        household.cause, household.attribute = v.get("cause", "")[:40], v.get("attribute", "")[:40]
        if not code.startswith(village.code):
            errors.add(n, h["code"], f"户编号“{code}”应以所在村（{township.name}{village.name}）的区划代码 "
                                     f"{village.code} 开头")
    elif household.village is not village:  # one Region object per village (_Regions)
        errors.add(n, h["village"], f"同一户编号在第 {household.first_row} 行属于{household.village.name}")
        return None
    elif household.status != status or household.year != year:
        errors.add(n, h.get("status", h["year"]), f"同一户的状态或年度与第 {household.first_row} 行不一致")
        return None
    if bad:
        return None
    # Names recur (the same few thousand given names): one string each, not one per row.
    return (n - household.first_row, sys.intern(name), id_number, relation, relation_text, v.get("gender", "")[:2],
            phone)


def _place(v, h, regions: _Regions, scope) -> tuple[Region | None, Region | None, tuple[tuple[str, str], ...]]:
    """A row's township and village (None where not found or, for the village, outside the actor's scope), and
    what is wrong with them (heading, reason)."""
    township = regions.township(v["township"]) if v["township"] else None
    if township is None:
        return None, None, ((h["township"], f"乡镇“{v['township']}”不在区划表中" if v["township"] else "乡镇为空"),)
    village = regions.village(township, v["village"]) if v["village"] else None
    if village is None:
        return township, None, ((h["village"], f"{township.name}没有行政村“{v['village']}”（区划表中没有）"
                                 if v["village"] else "行政村为空"),)
    if scope is not None and not scope.covers_region_path(village.path):
        return township, None, ((h["village"], f"{township.name}{village.name}不在您的管辖范围内"),)
    return township, village, ()


def _id_number(raw: str, birthdates: dict[str, bool]) -> str:
    """normalize_id_number, with the usual case (18 ASCII characters, as the national system writes them) checked
    without folding the text again and each birth date checked once (a million rows share some 30,000 dates)."""
    if len(raw) == 18 and raw.isascii() and raw[:17].isdigit():
        text = raw.upper()
        born = text[6:14]
        valid = birthdates.get(born)
        if valid is None:
            try:
                dt.date(int(born[:4]), int(born[4:6]), int(born[6:]))
                valid = True
            except ValueError:
                valid = False
            birthdates[born] = valid
        if valid and id_check_char(text[:17]) == text[17]:
            return text
    return normalize_id_number(raw)  # says what is wrong, or takes the unusual spelling


@functools.lru_cache(maxsize=256)  # a file has a dozen years, on a million rows
def _year(text: str) -> int | None:
    digits = text[:4]
    if len(digits) == 4 and digits.isdigit() and MIN_YEAR <= int(digits) <= MAX_YEAR:
        return int(digits)
    return None


def _duplicates(households: dict[str, _Household], errors: _Errors, heading: str = "证件号码") -> None:
    """An ID number on two rows of the file: the later row names the earlier. Looked for only when the file is
    already refused or the database's unique key has found one (a million-row file that is clean keeps no index of
    its ID numbers: the unique key on members is the check)."""
    first: dict[str, int] = {}
    rows = sorted((m.row, m.id_number) for h in households.values() for m in h.members)
    for row, id_number in rows:
        earlier = first.setdefault(id_number, row)
        if earlier != row:
            errors.add(row, heading, f"证件号码与第 {earlier} 行重复")


def _check_against_database(households: dict[str, _Household], errors: _Errors) -> None:
    """An ID number registered in a household the file does not list is a clash the file alone cannot show."""
    by_id = {m.id_number: (h.code, m.row) for h in households.values() for m in h.members}
    codes = set(households)
    for chunk in _chunks(list(by_id), COMPARE_CHUNK):
        clashes = HouseholdMember.objects.filter(id_number__in=chunk).values_list("id_number", "household__code")
        for id_number, other_code in clashes:
            if other_code not in codes:
                errors.add(by_id[id_number][1], "证件号码", f"该证件号码已登记在户 {other_code}，请先核实")


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


# ---- writing: new households by COPY (core.bulkwrite), changed ones compared with the registry chunk by chunk -

def _write(households: dict[str, _Household], result: ImportResult, actor, job_id, filename, progress) -> None:
    """The careful way's writing: every change to registered households first (a member may move from one to
    another anywhere in the file), then the new households."""
    new = _NewHouseholds(actor, job_id, filename)
    history = new.history
    codes = list(households)
    new_codes: list[str] = []
    member_creates: list[HouseholdMember] = []
    member_updates: list[HouseholdMember] = []
    updated = 0
    for done, chunk in enumerate(_chunks(codes, WRITE_CHUNK)):
        existing = _existing(chunk)
        if not existing:
            new_codes += chunk
            continue
        new_codes += [c for c in chunk if c not in existing]
        updated += _update_chunk(households, existing, new.now, job_id, history, member_creates, member_updates)
        if progress:
            progress(VALIDATION_SHARE + (done + 1) * WRITE_CHUNK * 10 // max(len(codes), 1), 100)
    _member_writes(member_creates, member_updates)
    history.flush()
    for done, chunk in enumerate(_chunks(new_codes, WRITE_CHUNK)):
        new.write([households[c] for c in chunk])
        if progress:
            progress(70 + (done + 1) * WRITE_CHUNK * 30 // len(new_codes), 100)
    result.created = len(new_codes)
    result.updated = updated
    result.unchanged = len(households) - result.created - result.updated
    if progress:
        progress(100, 100)


def _member_writes(member_creates: list[HouseholdMember], member_updates: list[HouseholdMember]) -> None:
    """Members changed and added (those gone are deleted already): demotions before promotions, one head per
    household being a database constraint."""
    fields = list(MEMBER_FIELDS) + ["updated_at"]
    HouseholdMember.objects.bulk_update([m for m in member_updates if m.relation != Relation.HEAD], fields,
                                        batch_size=500)
    HouseholdMember.objects.bulk_update([m for m in member_updates if m.relation == Relation.HEAD], fields,
                                        batch_size=500)
    HouseholdMember.objects.bulk_create(member_creates, batch_size=500)


def _import_streaming(table, result: ImportResult, actor, job_id, filename, progress) -> bool:
    """Read, check and write chunk after chunk, in one transaction; False when the careful way must do the import
    instead (nothing of this attempt is kept): a bad row (the careful way lists every one), a household whose rows
    are not together, or a clash the database's unique keys found (an ID number twice, or moving between
    households, or registered in a household the file does not list)."""
    errors = _Errors()
    total = table.total_rows_hint or 0
    # Progress is told between chunks, not by the reader: it reads while a COPY holds the connection.
    reader = _Reader(table, errors, _Regions(), actor, total, None, share=99, chunk=WRITE_CHUNK)
    ahead = _ReadAhead(reader.households())
    new = _NewHouseholds(actor, job_id, filename)
    created = updated = count = 0
    try:
        with transaction.atomic():
            # A first import into an empty registry has nothing to compare with (a household this import wrote
            # coming again is _Scattered; one another import writes meanwhile, a unique key's IntegrityError).
            compare = Household.objects.exists()
            chunk = ahead.next_chunk()
            while chunk is not None and not errors:
                count += len(chunk)
                existing = _existing(list(chunk)) if compare else {}
                if existing:
                    member_creates: list[HouseholdMember] = []
                    member_updates: list[HouseholdMember] = []
                    updated += _update_chunk(chunk, existing, new.now, job_id, new.history, member_creates,
                                             member_updates)
                    _member_writes(member_creates, member_updates)
                    new.history.flush()
                fresh = [item for code, item in chunk.items() if code not in existing]
                # The next rows are read and checked while the server writes this chunk's.
                new.write(fresh, meanwhile=ahead.read)
                created += len(fresh)
                if progress:
                    progress(reader.rows_read * 99 // max(total, reader.rows_read), 100)
                chunk = ahead.next_chunk()
            if errors:
                raise _Scattered
    except (_Scattered, IntegrityError, IdsInterleaved):
        return False
    result.total_rows = reader.rows_read
    result.created, result.updated, result.unchanged = created, updated, count - created - updated
    result.message = (f"导入完成：{reader.rows_read} 行，{count} 户；新增 {created} 户，"
                      f"更新 {updated} 户，未变化 {result.unchanged} 户。")
    if progress:
        progress(100, 100)
    return True


class _ReadAhead:
    """The reader's chunks, read a few steps at a time while the server is busy writing (each COPY's `meanwhile`),
    at most AHEAD_CHUNKS chunks ahead (memory)."""

    def __init__(self, steps: Iterator[dict | None]):
        self.steps = steps
        self.ready: collections.deque[dict] = collections.deque()
        self.done = False

    def read(self, steps: int) -> None:
        while steps > 0 and not self.done and len(self.ready) < AHEAD_CHUNKS:
            step = next(self.steps, False)
            if step is False:
                self.done = True
            elif step is None:
                steps -= 1
            else:
                self.ready.append(step)

    def next_chunk(self) -> dict | None:
        while not self.ready and not self.done:
            self.read(1)
        return self.ready.popleft() if self.ready else None


def _existing(codes: list[str]) -> dict[str, tuple]:
    """code → (id, *HOUSEHOLD_FIELDS) of the chunk's households already registered."""
    return {row[0]: row[1:] for row in _rows_in(Household, "code", codes, ("code", "id", *HOUSEHOLD_FIELDS))}


def _rows_in(model, key: str, values: list, fields: tuple[str, ...]) -> Iterator[tuple]:
    """`fields` of `model`'s rows whose `key` is one of `values`: on PostgreSQL one `= ANY(array)` (one parameter,
    planned once), on SQLite `IN (…)` by COMPARE_CHUNK (its limit on parameters)."""
    if connection.vendor != "postgresql":
        for part in _chunks(values, COMPARE_CHUNK):
            yield from model.objects.filter(**{f"{key}__in": part}).values_list(*fields)
        return
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {meta.db_table} WHERE {meta.get_field(key).column} = ANY(%s)",
                       [values])
        yield from cursor.fetchall()


def _update_chunk(households, existing, now, job_id, history, member_creates, member_updates) -> int:
    ids = [row[0] for row in existing.values()]
    members: dict[int, dict[str, _Stored]] = {}
    for row in _rows_in(HouseholdMember, "household_id", ids, ("household_id", "id", "id_number", *MEMBER_FIELDS)):
        members.setdefault(row[0], {})[row[2]] = _Stored(*row[1:])
    changed_households: list[Household] = []
    deletes: list[int] = []
    for code, row in existing.items():
        item = households[code]
        pk, current = row[0], dict(zip(HOUSEHOLD_FIELDS, row[1:], strict=True))
        wanted = item.wanted()
        changes = {f: [current[f], wanted[f]] for f in HOUSEHOLD_FIELDS if current[f] != wanted[f]}
        now_members = members.get(pk, {})
        file_members = item.members
        listed = {m.id_number for m in file_members}
        creates, updates = [], []
        for m in file_members:
            have = now_members.get(m.id_number)
            values = (m.name, m.relation, m.relation_text, m.gender, m.phone)
            if have is None:
                creates.append(HouseholdMember(household_id=pk, id_number=m.id_number, created_at=now,
                                               updated_at=now, **dict(zip(MEMBER_FIELDS, values, strict=True))))
            elif have[2:] != values:
                updates.append((have, values))
        gone = [m for id_number, m in now_members.items() if id_number not in listed]
        members_changed = bool(creates or updates or gone)
        if not changes and not members_changed:
            continue
        if members_changed:
            before = "、".join(f"{m.name}（{m.relation_text or m.relation}）"
                              for m in sorted(now_members.values(), key=lambda m: m.pk))
            member_creates += creates
            deletes += [m.pk for m in gone]
            for have, values in updates:
                member_updates.append(HouseholdMember(pk=have.pk, household_id=pk, id_number=have.id_number,
                                                      updated_at=now,
                                                      **dict(zip(MEMBER_FIELDS, values, strict=True))))
            after = "、".join(f"{m.name}（{m.relation_text or m.relation}）" for m in file_members)
            if before != after:
                changes[MEMBERS_IN_HISTORY] = [before, after]
        household = Household(pk=pk, code=code, import_job_id=job_id, updated_at=now,
                              **{f: wanted[f] for f in HOUSEHOLD_FIELDS})
        changed_households.append(household)
        # As auditlog does for a hand edit: the fields kept out of the history (ID numbers, phones) are not shown,
        # and a change of those alone leaves no row.
        shown = {k: [_shown(a), _shown(b)] for k, (a, b) in changes.items() if k in SHOWN_IN_HISTORY}
        if shown:
            history.add(pk, f"{code} {wanted['head_name']}", LogEntry.Action.UPDATE, shown)
    for part in _chunks(deletes, COMPARE_CHUNK):
        HouseholdMember.objects.filter(pk__in=part).delete()
    Household.objects.bulk_update(changed_households, [*HOUSEHOLD_FIELDS, "import_job_id", "updated_at"],
                                  batch_size=500)
    return len(changed_households)


def _shown(value) -> str:
    return "None" if value is None else str(value)


HOUSEHOLD_COLUMNS = ("code", *HOUSEHOLD_FIELDS)
MEMBER_COLUMNS = ("household_id", "id_number", *MEMBER_FIELDS)
HISTORY_INDEXES = tuple(i for i, f in enumerate(HOUSEHOLD_COLUMNS) if f in HISTORY_FIELDS)


class _NewHouseholds:
    """Writes new households, their members and their history rows through COPY (PostgreSQL) or executemany
    (SQLite); a clash with an ID number already registered raises IntegrityError."""

    def __init__(self, actor, job_id, filename: str):
        self.now = now = timezone.now()
        stamps = {"created_at": now, "updated_at": now}
        self.history = _History(actor, job_id, now, filename)
        self.households = BulkWriter(Household, HOUSEHOLD_COLUMNS, constants={**stamps, "import_job_id": job_id})
        self.members = BulkWriter(HouseholdMember, MEMBER_COLUMNS, constants=stamps)

    def write(self, items: list[_Household], meanwhile=None) -> None:
        """`meanwhile(steps)` runs while the server writes each table's rows (it must not use the connection): as
        many steps of reading as there are rows in the chunk, spread over the three tables."""
        if not items:
            return
        rows = [(item.code, *item.wanted_row()) for item in items]
        steps = (sum(len(item.flat) for item in items) // MEMBER_WIDTH + READ_STEP - 1) // READ_STEP
        try:
            ids = self.households.write(rows, meanwhile=meanwhile and (lambda _ids: meanwhile(steps // 4)))
        except IdsInterleaved:
            by_code = dict(Household.objects.filter(code__in=[r[0] for r in rows]).values_list("code", "id"))
            ids = [by_code[r[0]] for r in rows]
        width = MEMBER_WIDTH
        member_rows = []
        for pk, item in zip(ids, items, strict=True):
            f = item.flat
            for i in range(0, len(f), width):
                member_rows.append((pk, f[i + 2], f[i + 1], f[i + 3], f[i + 4], f[i + 5], f[i + 6]))
        self.members.write(member_rows, meanwhile=meanwhile and (lambda _ids: meanwhile(steps // 2)))
        add = self.history.add
        for pk, row in zip(ids, rows, strict=True):
            add(pk, f"{row[0]} {row[3]}", LogEntry.Action.CREATE,  # code and head_name (str(household))
                {HOUSEHOLD_COLUMNS[i]: ["None", str(row[i])] for i in HISTORY_INDEXES if row[i] not in (None, "")})
        self.history.flush(meanwhile=meanwhile and (lambda _ids: meanwhile(steps - steps // 4 - steps // 2)))


class _History:
    """Households' history rows (auditlog LogEntry, as a hand edit leaves): who, when, which import, what."""

    def __init__(self, actor, job_id, now, filename: str):
        from django.contrib.contenttypes.models import ContentType

        self.content_type_id = ContentType.objects.get_for_model(Household).pk
        self.actor_id = getattr(actor, "pk", None)
        self.now = now
        self.additional = {"import_job": job_id, "file": filename}
        self.postgres = connection.vendor == "postgresql"
        self.rows: list[tuple] = []
        self.writer = BulkWriter(LogEntry, ("object_pk", "object_id", "object_repr", "action", "changes"),
                                 constants={"content_type_id": self.content_type_id, "actor_id": self.actor_id,
                                            "timestamp": now, "changes_text": "",
                                            "additional_data": self.additional if self.postgres
                                            else json.dumps(self.additional)})

    def add(self, pk: int, text: str, action: int, changes: dict) -> None:
        self.rows.append((str(pk), pk, text, action, changes if self.postgres
                          else json.dumps(changes, ensure_ascii=False)))

    def flush(self, meanwhile=None) -> None:
        if self.rows:
            self.writer.write(self.rows, meanwhile=meanwhile)
            self.rows = []


# ---- the job wrapper used by the page, the task and the command ---------------------------------------------

def households_import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued households import job as its creator, through core's one runner."""
    from sunshine.core.importjobs import import_job_run, job_progress

    return import_job_run(job_id=job_id, work=lambda job: households_import(
        path=job.stored_path, filename=job.filename, actor=job.created_by, job_id=job.pk,
        progress=lambda done, total: job_progress(job=job, percent=done * 100 // max(total, 1))))


# ---- the template a clerk can fill in (desk: 下载模板) ---------------------------------------------------------

TEMPLATE_TITLE = "建档立卡户导入模板（与全国防返贫监测信息系统导出的列一致）"
TEMPLATE_EXAMPLES = {
    "township": "龙洞镇", "village": "泉塘村", "group": "一组", "code": "430381101201" + "00001", "name": "张大山",
    "id_number": "430381195703080011", "relation": "户主", "gender": "男", "phone": "13800138001",
    "cause": "因病", "attribute": "一般贫困户", "status": "已脱贫", "year": "2019", "size": "3",
}
TEMPLATE_NOTES = {
    "township": "乡镇（街道）名称，须在行政区划中（“镇”“乡”“街道”可省略）",
    "village": "行政村（社区）名称，须是该乡镇下的村",
    "group": "村民小组名称，须已登记在该村",
    "code": "户编号：以所在村的12位统计用区划代码开头；同一户的各行户编号相同",
    "name": "家庭成员姓名，40字以内",
    "id_number": "18位身份证号，末位X大写或小写均可；请设为文本格式，否则Excel会截断",
    "relation": "与户主关系，按原文保存（户主、配偶、之子、之女、之儿媳……）；每户须有且只有一名户主",
    "gender": "男或女",
    "phone": "11位手机号码（到账短信发送到该号码），可用全角数字",
    "cause": "主要致贫原因",
    "attribute": "贫困户属性，如一般贫困户、低保贫困户",
    "status": "未脱贫、已脱贫或监测户（空白按未脱贫）",
    "year": "识别或脱贫年度，4位年份",
    "size": "人数：该户在本文件中的行数（包括户主）",
}

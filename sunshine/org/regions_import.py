"""The national division list (统计用区划代码和城乡划分代码) import: the city's townships and villages as the
statistics bureau publishes them.

The list is a CSV or XLSX with the columns 统计用区划代码 (12 digits), 城乡分类代码 (3 digits, villages only) and
名称. A row's level and parent follow from its code: for the city 430381000000, 430381101000 is a township under it
and 430381101201 a village under that township. Rows for the city itself and the levels above it (province,
prefecture), which a county's extract carries, are accepted and change nothing (the city's row names the city when
the registry has none yet); a code that does not nest under the city is refused. Importing the same list again
changes nothing; a new name for a known code renames the region. All or nothing, like every import.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from sunshine.core.importjobs import ImportResult
from sunshine.core.models import ImportJob
from sunshine.core.punctuation import to_fullwidth
from sunshine.core.tabular import Column, RowErrors, open_table

from .choices import RegionLevel
from .models import Region

KIND = "regions"
COLUMNS = [
    Column("code", ("统计用区划代码", "区划代码", "统计用区划码", "代码")),
    Column("urban_rural", ("城乡分类代码", "城乡分类", "城乡分类码"), required=False),
    Column("name", ("名称", "区划名称", "单位名称")),
]
CODE_RE = re.compile(r"^\d{12}$")
URBAN_RURAL_RE = re.compile(r"^[12]\d{2}$")  # 111 主城区 … 220 村庄


def city_code() -> str:
    return settings.SUNSHINE["CITY_CODE"]


def level_of(code: str, city: str) -> int | None:
    """The code's level under `city` (a county-level city: 6 significant digits), 0 for the city and the levels
    above it, None when it does not nest under the city."""
    prefix = city[:6]
    if code in (city, city[:2] + "0" * 10, city[:4] + "0" * 8):  # the city, its prefecture, its province
        return 0
    if not code.startswith(prefix):
        return None
    township, village = code[6:9], code[9:12]
    if township == "000":
        return None
    return RegionLevel.TOWNSHIP if village == "000" else RegionLevel.VILLAGE


def regions_import(*, path: str, filename: str, actor=None, dry_run: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Validate every row; when none is bad (and not a dry run), create and rename regions in one transaction."""
    table = open_table(path, filename=filename, columns=COLUMNS)
    city = city_code()
    h = table.headings
    errors = RowErrors()
    wanted: dict[str, tuple[int, str, int]] = {}  # code → (level, name, row)
    city_name = ""
    rows = 0
    for row in table.rows():
        rows += 1
        errors.add_row_problems(row, h)
        # the cell is read NFKC-folded ("（" → "("): a name keeps the full-width brackets of Chinese text (issue 11)
        n, code, name = row.number, row.get("code").replace(" ", ""), to_fullwidth(row.get("name"))
        urban_rural = row.get("urban_rural")
        if not CODE_RE.match(code):
            errors.add(n, h["code"], f"统计用区划代码“{code}”应为12位数字" if code else "统计用区划代码为空")
            continue
        level = level_of(code, city)
        if level is None:
            errors.add(n, h["code"], f"区划代码 {code} 不在本市（{city}）之下，不能导入")
            continue
        if not name:
            errors.add(n, h["name"], "名称为空")
            continue
        if len(name) > 60:
            errors.add(n, h["name"], "名称超过60个字")
            continue
        if urban_rural:
            if level != RegionLevel.VILLAGE:
                errors.add(n, h.get("urban_rural", "城乡分类代码"), "城乡分类代码只用于村级（居委会、村委会）")
                continue
            if not URBAN_RURAL_RE.match(urban_rural):
                errors.add(n, h.get("urban_rural", "城乡分类代码"), f"城乡分类代码“{urban_rural}”应为3位数字")
                continue
        if level == 0:
            if code == city:
                city_name = name
            continue  # the city and the levels above it: accepted, nothing to change
        if code in wanted:
            errors.add(n, h["code"], f"区划代码 {code} 与第 {wanted[code][2]} 行重复")
            continue
        wanted[code] = (level, name, n)
    existing = {r.code: r for r in Region.objects.filter(level__lte=RegionLevel.VILLAGE)}
    city_region = existing.get(city)
    if city_region is None and not city_name:
        errors.add(table.header_row_number + 1, h["code"],
                   f"系统中还没有本市（{city}），文件中也没有本市这一行，无法确定上级")
    for code, (level, _name, n) in wanted.items():
        if level == RegionLevel.VILLAGE:
            parent = code[:9] + "000"
            if parent not in wanted and parent not in existing:
                errors.add(n, h["code"], f"村 {code} 的上级乡镇 {parent} 不在区划表中，也不在文件中")
        elif code in existing and existing[code].level != level:
            errors.add(n, h["code"], f"区划代码 {code} 在系统中是另一层级")
    result = ImportResult(total_rows=rows)
    if errors:
        result.errors = sorted(errors.as_list(), key=lambda e: e["row"])  # in row order, whatever the kind
        result.error_count, result.message = errors.count, errors.summary()
        return result
    if dry_run:
        result.message = f"检查通过：{rows} 行。未写入（试导入）。"
        return result
    with transaction.atomic():
        _write(wanted, existing, city, city_name, city_region, result, actor=actor)
    result.message = (f"导入完成：{rows} 行；新增 {result.created} 个区划，更名 {result.updated} 个，"
                      f"未变化 {result.unchanged} 个。")
    return result


def _write(wanted, existing, city, city_name, city_region, result: ImportResult, *, actor) -> None:
    from . import services

    if city_region is None:
        city_region = services.region_create(actor=actor, code=city, name=city_name, level=RegionLevel.CITY)
        result.created += 1
    created: dict[str, Region] = {city: city_region}
    for level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        for code, (lvl, name, _n) in sorted(wanted.items()):
            if lvl != level:
                continue
            current = existing.get(code)
            if current is None:
                parent_code = city if level == RegionLevel.TOWNSHIP else code[:9] + "000"
                parent = created.get(parent_code) or existing[parent_code]
                created[code] = services.region_create(actor=actor, code=code, name=name, level=level, parent=parent)
                result.created += 1
            elif current.name != name:
                services.region_update(actor=actor, region=current, name=name)
                result.updated += 1
            else:
                result.unchanged += 1


def regions_import_job_run(*, job_id: int) -> ImportJob:
    from sunshine.core.importjobs import import_job_run

    return import_job_run(job_id=job_id, work=lambda job: regions_import(
        path=job.stored_path, filename=job.filename, actor=job.created_by))


TEMPLATE_TITLE = "行政区划导入模板（国家统计局统计用区划代码和城乡划分代码）"
TEMPLATE_EXAMPLES = {"code": "430381101201", "urban_rural": "220", "name": "泉塘村"}
TEMPLATE_NOTES = {
    "code": "12位统计用区划代码：乡镇为前9位加000，村（社区）为12位；须在本市之下，本市及省、市两级的行照收不变",
    "urban_rural": "城乡分类代码，3位，只填村级（如111主城区、121镇中心区、210乡中心区、220村庄）",
    "name": "名称，如“泉塘村”“龙洞镇”；已有代码的名称不同时按文件更名",
}

"""The registry going back out as it came in: the households an actor may see, one row per person, in the national
system's headings (户编号, 姓名, 证件号码, 与户主关系, 人数, …), the relation as imported. CSV (UTF-8 with a BOM, as
Excel opens it) or XLSX by the file's extension.

Holders of the registry capability (org.import_households: the township clerks who file the annual return) get ID
numbers and phones in full; everyone else gets them masked as on every other export (sunshine.core.masking). Each
export is an audit record (AuditEvent.EXPORT) naming who, how many rows and whether in full.
"""
from __future__ import annotations

import csv
from pathlib import Path

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.core.masking import mask_id_number, mask_phone

from .capabilities import Capability, has_capability
from .choices import PovertyStatus
from .errors import OrgErrorCode
from .models import HouseholdMember
from .selectors import household_list_visible_to

HEADINGS = ["乡镇", "行政村", "村民小组", "户编号", "人数", "姓名", "性别", "证件号码", "与户主关系", "联系电话",
            "主要致贫原因", "贫困户属性", "脱贫属性", "脱贫年度"]
ID_COLUMN, PHONE_COLUMN = HEADINGS.index("证件号码"), HEADINGS.index("联系电话")
CHUNK = 5000
# The national system's words (as the import reads them), whatever the language of the desk.
STATUS_WORDS = {PovertyStatus.POOR: "未脱贫", PovertyStatus.EXITED: "已脱贫", PovertyStatus.MONITORED: "监测户"}


def export_rows(*, actor, region_id: int | None = None, status: str | None = None, q: str = "",
                full: bool = False):
    """Each person's row, households in village and code order, members in the order they were imported."""
    households = household_list_visible_to(actor=actor, region_id=region_id, status=status, q=q).values_list(
        "id", "code", "village__parent__name", "village__name", "group__name", "member_count", "poverty_status",
        "status_year", "poverty_cause", "household_attribute")
    chunk: list[tuple] = []
    for household in households.iterator(chunk_size=CHUNK):
        chunk.append(household)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk, full)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, full)


def _chunk_rows(households: list[tuple], full: bool):
    members: dict[int, list[tuple]] = {}
    ids = [h[0] for h in households]
    for part in range(0, len(ids), 900):
        for m in HouseholdMember.objects.filter(household_id__in=ids[part:part + 900]).order_by("id").values_list(
                "household_id", "name", "gender", "id_number", "relation", "relation_text", "phone"):
            members.setdefault(m[0], []).append(m)
    for pk, code, township, village, group, count, status, year, cause, attribute in households:
        for _, name, gender, id_number, relation, relation_text, phone in members.get(pk, []):
            yield [township, village, group or "", code, str(count), name, gender,
                   id_number if full else mask_id_number(id_number), relation_text or relation,
                   phone if full else mask_phone(phone), cause, attribute, STATUS_WORDS.get(status, status),
                   str(year)]


def households_export(*, actor, path: str | Path, region_id: int | None = None, status: str | None = None,
                      q: str = "") -> int:
    """Write the file (CSV or XLSX by `path`'s extension); returns the number of person rows written."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ApplicationError(f"不支持的导出格式“{suffix or '无'}”，请用 .csv 或 .xlsx",
                               code=OrgErrorCode.EXPORT_FORMAT)
    full = has_capability(actor, Capability.IMPORT_HOUSEHOLDS)
    rows = export_rows(actor=actor, region_id=region_id, status=status, q=q, full=full)
    written = _write_xlsx(path, rows) if suffix == ".xlsx" else _write_csv(path, rows)
    audit_record(event=AuditEvent.EXPORT, actor=actor, object_type="org.household",
                 detail={"rows": written, "format": suffix[1:], "full": full, "what": "建档立卡户"})
    return written


def _write_csv(path, rows) -> int:
    n = 0
    with open(path, "w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(HEADINGS)
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def _write_xlsx(path, rows) -> int:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("建档立卡户")
    text = book.add_format({"num_format": "@"})
    for i in range(len(HEADINGS)):
        sheet.set_column(i, i, 20 if i in (3, ID_COLUMN) else 12, text)
    sheet.write_row(0, 0, HEADINGS)
    n = 0
    for n, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write_string(n, c, value, text)
    book.close()
    return n

"""Builders for funds tests: households with phones, files in the shapes banks and village accounts export."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from sunshine.org.testing import make_household

PAYMENT_HEADER = ["序号", "户主姓名", "身份证号", "补贴项目", "发放金额（元）", "发放日期", "一卡通账号", "所属期"]


def households(city, count: int = 3, village_index: int = 0) -> list:
    village = city.villages[village_index]
    return [make_household(village, head_name=f"户主{village_index}{i}", phone=f"1380013{village_index}{i:03d}")
            for i in range(count)]


def payment_rows(hhs, *, item="产业奖补", amount="1200.00", paid_on="2026-05-01", period="2026年第2季度") -> list:
    return [[str(n), h.head_name, h.head_id_number, item, amount, paid_on, f"6217{h.pk:015d}", period]
            for n, h in enumerate(hhs, start=1)]


def csv_bytes(header: list, rows: list, *, encoding: str = "utf-8", title: str | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if title:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def xlsx_bytes(header: list, rows: list, *, title: str | None = None, merge_title: bool = True) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("发放清单")
    r = 0
    if title:
        if merge_title:
            sheet.merge_range(0, 0, 0, len(header) - 1, title)
        else:
            sheet.write(0, 0, title)
        r = 1
    sheet.write_row(r, 0, header)
    for row in rows:
        r += 1
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()

"""An XLSX template for an import: the accepted headings in a text-formatted sheet with one example row, and a notes
sheet saying what each column must hold and which other headings are accepted (XlsxWriter, in memory)."""
from __future__ import annotations

import io

from .tabular import Column


def import_template_xlsx(*, title: str, columns: list[Column], examples: dict[str, str],
                         notes: dict[str, str]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    head = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "num_format": "@"})
    optional = book.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1, "num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("导入模板")
    for i, column in enumerate(columns):
        # Text format on the whole column: an ID or card number typed in stays whole (Excel keeps 15 digits).
        sheet.set_column(i, i, max(12, len(column.headings[0]) * 2 + 4), text)
        sheet.write_string(0, i, column.headings[0], head if column.required else optional)
        sheet.write_string(1, i, examples.get(column.key, ""), text)
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("填写说明")
    guide.set_column(0, 0, 16)
    guide.set_column(1, 1, 8)
    guide.set_column(2, 2, 60, wrap)
    guide.set_column(3, 3, 40, wrap)
    guide.write_string(0, 0, title)
    guide.write_string(1, 0, "第一个工作表的第一行是列名（橙色为必填列），第二行是示例，导入前请删除示例行。"
                             "整个文件有任何一行出错时都不会导入，并逐行列出原因。")
    for i, name in enumerate(("列名", "是否必填", "填写要求", "也可使用的列名")):
        guide.write_string(3, i, name, head)
    for r, column in enumerate(columns, start=4):
        guide.write_string(r, 0, column.headings[0])
        guide.write_string(r, 1, "必填" if column.required else "选填")
        fill = "（可合并单元格，或只在本户/本组第一行填写）" if column.fill_down else ""
        guide.write_string(r, 2, notes.get(column.key, "") + fill)
        guide.write_string(r, 3, "、".join(column.headings[1:]))
    book.close()
    return out.getvalue()

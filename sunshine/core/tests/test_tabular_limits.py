"""Files over the import limits are refused with a clear message before they are read; a NUL byte is a row error."""
import io
import zipfile

import pytest
import xlsxwriter
from django.test import override_settings

from sunshine.core.tabular import Column, FileRefused, TableLimits, open_table

COLUMNS = [Column("code", ("户编号",)), Column("name", ("姓名",))]


def _csv(rows: int, *, extra: str = "") -> bytes:
    return ("户编号,姓名\n" + "".join(f"H{i},王{i}\n" for i in range(rows)) + extra).encode()


def _xlsx(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def _bomb() -> bytes:
    """A real workbook with one more part: 20 MB of zeros that deflate to about 20 KB (a thousandfold)."""
    buffer = io.BytesIO(_xlsx([["户编号", "姓名"], ["H1", "甲"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def test_the_default_limits_are_the_documented_ones():
    limits = TableLimits.from_settings()
    assert (limits.max_rows, limits.max_columns, limits.max_cell_chars) == (2_000_000, 200, 32_767)
    assert (limits.max_line_bytes, limits.max_expansion_ratio, limits.max_expanded_bytes) == (
        1024 * 1024, 100, 1024 ** 3)


def test_an_xlsx_that_expands_a_thousandfold_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_bomb())
    import python_calamine

    def never(*args, **kwargs):  # the refusal comes from the zip directory, before the reader opens anything
        raise AssertionError("the reader was called")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", never)
    with pytest.raises(FileRefused) as refused:
        open_table(path, filename="bomb.xlsx", columns=COLUMNS)
    assert refused.value.code == "file_expands_too_much"
    assert "解压后有 20 MB" in refused.value.message and "100 倍" in refused.value.message


def test_an_xlsx_expanding_past_the_absolute_cap_is_refused_even_at_a_modest_ratio(tmp_path):
    data = _xlsx([["户编号", "姓名"], ["H1", "甲"]])
    with pytest.raises(FileRefused, match="解压后"):
        open_table(data, filename="a.xlsx", columns=COLUMNS, limits=TableLimits(max_expanded_bytes=1000))
    # the same workbook under the defaults reads
    assert [r.values for r in open_table(data, filename="a.xlsx", columns=COLUMNS).rows()] == [
        {"code": "H1", "name": "甲"}]


def test_too_many_rows_is_refused_before_reading_csv_and_xlsx():
    limits = TableLimits(max_rows=5)
    with pytest.raises(FileRefused, match="超过单个文件 5 行的上限") as refused:
        open_table(_csv(40), filename="a.csv", columns=COLUMNS, limits=limits)
    assert refused.value.code == "file_too_many_rows"
    with pytest.raises(FileRefused, match="5 行的上限"):
        open_table(_xlsx([["户编号", "姓名"], *[[f"H{i}", "甲"] for i in range(40)]]), filename="a.xlsx",
                   columns=COLUMNS, limits=limits)
    # at the limit the file reads
    assert len(list(open_table(_csv(5), filename="a.csv", columns=COLUMNS, limits=limits).rows())) == 5


def test_a_non_seekable_csv_over_the_row_limit_is_stopped_while_streaming():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._b = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buf):
            chunk = self._b.read(len(buf))
            buf[: len(chunk)] = chunk
            return len(chunk)

    table = open_table(io.BufferedReader(Pipe(_csv(40))), filename="p.csv", columns=COLUMNS,
                       limits=TableLimits(max_rows=10))
    with pytest.raises(FileRefused, match="10 行的上限"):
        list(table.rows())


def test_too_many_columns_is_refused_with_the_row_that_has_them():
    wide = ",".join(["x"] * 250)
    table = open_table(_csv(3, extra=f"H9,{wide}\n"), filename="w.csv", columns=COLUMNS)
    with pytest.raises(FileRefused) as refused:
        list(table.rows())
    assert refused.value.message == "第 5 行有 251 列，超过 200 列的上限，请检查文件"
    with pytest.raises(FileRefused, match="工作表有 250 列"):
        open_table(_xlsx([["户编号", "姓名", *["x"] * 248]]), filename="w.xlsx", columns=COLUMNS)


def test_a_cell_longer_than_excel_allows_is_refused_in_csv_and_xlsx():
    with pytest.raises(FileRefused, match="32,767 个字符的上限") as refused:
        list(open_table(_csv(2, extra=f"H9,{'长' * 40_000}\n"), filename="c.csv", columns=COLUMNS).rows())
    assert refused.value.code == "file_cell_too_long"
    table = open_table(_xlsx([["户编号", "姓名"], ["H1", "甲" * 50]]), filename="c.xlsx", columns=COLUMNS,
                       limits=TableLimits(max_cell_chars=20))
    with pytest.raises(FileRefused, match="第 2 行“姓名”列的内容有 50 个字符"):
        list(table.rows())


def test_a_line_over_one_megabyte_is_refused_without_being_read_whole():
    data = _csv(2, extra="H9," + "x" * (3 * 1024 * 1024) + "\nH10,乙\n")
    with pytest.raises(FileRefused, match="超过 1 MB 的上限") as refused:
        list(open_table(data, filename="l.csv", columns=COLUMNS).rows())
    assert refused.value.code == "file_line_too_long"


def test_a_nul_byte_in_a_cell_is_a_row_problem_not_a_traceback():
    rows = list(open_table(_csv(2, extra="H9,王\x00五\nH10,赵六\n"), filename="n.csv", columns=COLUMNS).rows())
    bad = [r for r in rows if r.problems]
    assert [(r.number, r.problems) for r in bad] == [(4, {"name": "单元格含有空字符（NUL），请删除后重新导出"})]
    assert bad[0].values["name"] == "王五" and rows[-1].values == {"code": "H10", "name": "赵六"}


@override_settings(SUNSHINE_IMPORT_LIMITS={"MAX_ROWS": 3})
def test_the_limits_come_from_settings():
    with pytest.raises(FileRefused, match="3 行的上限"):
        open_table(_csv(20), filename="a.csv", columns=COLUMNS)

"""The spreadsheet reader accepts the files users already have and numbers rows as Excel shows them."""
import datetime as dt
import io
from decimal import Decimal

import pytest
import xlsxwriter

from sunshine.core.errors import ApplicationError
from sunshine.core.tabular import Column, RowErrors, open_table, parse_amount, parse_date

COLUMNS = [
    Column("code", ("户编号",), fill_down=True),
    Column("name", ("姓名",)),
    Column("id", ("证件号码", "身份证号码", "身份证号")),
    Column("amount", ("金额（元）", "发放金额"), required=False),
]


def _rows(table):
    return [(r.number, r.values) for r in table.rows()]


def test_gbk_csv_with_a_title_row_is_read_and_numbered_like_excel():
    data = "湘乡市建档立卡户明细\n户编号,姓名,身份证号码,金额(元)\nH1,张三,11010519491231002X,100\n".encode("gbk")
    table = open_table(data, filename="export.csv", columns=COLUMNS)
    assert table.header_row_number == 2
    assert _rows(table) == [(3, {"code": "H1", "name": "张三", "id": "11010519491231002X", "amount": "100"})]
    assert table.headings["id"] == "身份证号码"


def test_utf8_csv_with_bom_tabs_full_width_digits_and_stray_spaces():
    text = "\ufeff户编号\t姓名 \t证件号码\nＨ２\t 李四 \t１１０１０５１９４９１２３１００２x\n"
    table = open_table(text.encode("utf-8"), filename="a.csv", columns=COLUMNS)
    assert _rows(table) == [(2, {"code": "H2", "name": "李四", "id": "11010519491231002x"})]


def test_csv_from_a_non_seekable_stream_is_streamed():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._b = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buf):
            chunk = self._b.read(min(len(buf), 7))
            buf[: len(chunk)] = chunk
            return len(chunk)

    data = ("户编号,姓名,证件号码\n" + "".join(f"H{i},王{i},X{i}\n" for i in range(5000))).encode("gbk")
    table = open_table(io.BufferedReader(Pipe(data)), filename="p.csv", columns=COLUMNS)
    rows = list(table.rows())
    assert len(rows) == 5000 and rows[-1].values["name"] == "王4999" and rows[-1].number == 5001


def _xlsx(path, build):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    build(wb, ws)
    wb.close()
    return path


def test_xlsx_with_merged_title_and_vertically_merged_household_code(tmp_path):
    def build(wb, ws):
        text = wb.add_format({"num_format": "@"})
        ws.merge_range("A1:D1", "2024年建档立卡户花名册")
        ws.write_row(1, 0, ["户编号", "姓名", "证件号码", "发放金额"])
        ws.merge_range("A3:A4", "H9")
        ws.write_string(2, 1, "赵一")
        ws.write_string(2, 2, "11010519491231002X", text)
        ws.write_number(2, 3, 12.5)
        ws.write_string(3, 1, "赵二")
        ws.write_string(3, 2, "110105194912310021", text)
        ws.write_number(3, 3, 300)

    table = open_table(_xlsx(tmp_path / "m.xlsx", build), filename="m.xlsx", columns=COLUMNS)
    assert _rows(table) == [
        (3, {"code": "H9", "name": "赵一", "id": "11010519491231002X", "amount": "12.5"}),
        (4, {"code": "H9", "name": "赵二", "id": "110105194912310021", "amount": "300"}),
    ]


def test_an_id_number_stored_as_an_excel_number_is_reported_not_silently_truncated(tmp_path):
    def build(wb, ws):
        ws.write_row(0, 0, ["户编号", "姓名", "证件号码"])
        ws.write_row(1, 0, ["H1", "钱三", 110105194912310021])

    table = open_table(_xlsx(tmp_path / "n.xlsx", build), filename="n.xlsx", columns=COLUMNS)
    row = next(table.rows())
    assert "文本格式" in row.problems["id"]
    errors = RowErrors()
    errors.add_row_problems(row, table.headings)
    assert errors.as_list()[0]["row"] == 2 and errors.as_list()[0]["column"] == "证件号码"


def test_missing_required_columns_are_named():
    with pytest.raises(ApplicationError) as exc:
        open_table("户编号,姓名\nH1,张三\n".encode(), filename="x.csv", columns=COLUMNS)
    assert "证件号码" in exc.value.message


def test_unsupported_file_type_is_a_clear_error():
    with pytest.raises(ApplicationError) as exc:
        open_table(b"%PDF-1.4", filename="x.pdf", columns=COLUMNS)
    assert exc.value.code == "file_type"


def test_blank_lines_are_skipped():
    table = open_table("户编号,姓名,证件号码\nH1,甲,1\n,,\n\nH2,乙,2\n".encode(), filename="b.csv", columns=COLUMNS)
    assert [r.number for r in table.rows()] == [2, 5]


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234.50元", Decimal("1234.50")), ("￥300", Decimal("300.00")), (" 12.5 ", Decimal("12.50"))],
)
def test_amounts_are_parsed(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.234", "NaN"])
def test_bad_amounts_give_a_reason(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize("text", ["2024-05-01", "2024/5/1", "2024.5.1", "2024年5月1日", "20240501", "45413"])
def test_dates_in_the_usual_spellings_are_parsed(text):
    assert parse_date(text) == dt.date(2024, 5, 1)


@pytest.mark.parametrize("text", ["2024-02-30", "明天", ""])
def test_bad_dates_give_a_reason(text):
    with pytest.raises(ValueError):
        parse_date(text)

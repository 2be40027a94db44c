"""The registry goes back out as it came in: import a national-format file, export it, get the same rows; full
numbers for the registry capability, masked otherwise; each export audited; the templates of every import."""
import csv
import io

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from sunshine.core.models import AuditRecord
from sunshine.org.exports import HEADINGS
from sunshine.org.importers import households_import
from sunshine.org.tests.test_household_import_national import V1, V2, household, pid, wang, zhang

pytestmark = pytest.mark.django_db


def national_rows():
    """The rows of a file in the export's own headings, as the national system would give them."""
    third = household("测试村2", V2 + "0003", [("赵六", pid(7), "户主", "13700137007"), ("赵小七", pid(8), "之孙女", "")],
                      status="监测户", year="2021")
    rows = []
    for h in (zhang(), wang(), third):
        for name, id_number, relation, phone in h["members"]:
            rows.append(["测试镇1", h["village"], "", h["code"], str(h["size"]), name, "", id_number, relation, phone,
                         "因病", "", h["status"], h["year"]])
    return rows


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="gbk") as out:
        out.write("建档立卡户成员信息\r\n")
        csv.writer(out).writerows([HEADINGS, *rows])
    return path


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.reader(fh))


def test_a_file_imported_and_exported_gives_back_its_rows_in_csv_and_xlsx(city, tmp_path):
    rows = national_rows()
    result = households_import(path=str(write_csv(tmp_path / "in.csv", rows)), filename="in.csv")
    assert result.ok, result.errors
    clerk = city.accounts["township1"]
    call_command("export_households", str(tmp_path / "out.csv"), "--user", clerk.username, verbosity=0)
    exported = read_csv(tmp_path / "out.csv")
    assert exported[0] == HEADINGS and exported[0][:9] == ["乡镇", "行政村", "村民小组", "户编号", "人数", "姓名",
                                                            "性别", "证件号码", "与户主关系"]
    assert exported[1:] == rows
    call_command("export_households", str(tmp_path / "out.xlsx"), "--user", clerk.username, verbosity=0)
    sheet = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_index(0).to_python()
    assert [[str(c) for c in r] for r in sheet[1:]] == rows
    # And the export imports again as a no-op.
    again = households_import(path=str(tmp_path / "out.xlsx"), filename="out.xlsx")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_full_numbers_for_the_registry_capability_masked_for_others_and_every_export_audited(city, tmp_path, login):
    households_import(path=str(write_csv(tmp_path / "in.csv", national_rows())), filename="in.csv")
    clerk_page = login(city.accounts["township1"]).get("/desk/households/export/?format=csv")
    assert clerk_page.status_code == 200 and "attachment" in clerk_page["Content-Disposition"]
    clerk_rows = list(csv.reader(io.StringIO(b"".join(clerk_page.streaming_content).decode("utf-8-sig"))))
    assert clerk_rows[1][7] == pid(1) and clerk_rows[1][9] == "13800138001"
    office = login(city.accounts["office"]).get("/desk/households/export/?format=csv&status=exited")
    office_rows = list(csv.reader(io.StringIO(b"".join(office.streaming_content).decode("utf-8-sig"))))
    assert office_rows == [HEADINGS]  # the status filter of the list applies: nobody has left poverty here
    office = login(city.accounts["office"]).get("/desk/households/export/?format=csv")
    office_rows = list(csv.reader(io.StringIO(b"".join(office.streaming_content).decode("utf-8-sig"))))
    assert len(office_rows) == 9
    assert office_rows[1][7] == pid(1)[:6] + "********" + pid(1)[-4:] and office_rows[1][9] == "138****8001"
    records = list(AuditRecord.objects.filter(event="export").order_by("id").values_list("actor_name", "detail"))
    assert [(name, d["rows"], d["full"]) for name, d in records] == [
        ("township1", 8, True), ("office", 0, False), ("office", 8, False)]


def test_township_staff_export_only_their_township(city, tmp_path):
    rows = national_rows()
    households_import(path=str(write_csv(tmp_path / "in.csv", rows)), filename="in.csv")
    from sunshine.org.exports import households_export

    assert households_export(actor=city.accounts["township2"], path=tmp_path / "none.csv") == 0
    assert households_export(actor=city.accounts["township1"], path=tmp_path / "all.csv") == 8


@pytest.mark.parametrize("kind, account, heading", [
    ("households", "township1", "户编号"), ("regions", "office", "统计用区划代码"), ("payment", "township1", "身份证号"),
    ("transaction", "township1", "日期"), ("allocation", "township1", "资金层级"), ("project", "township1", "项目名称"),
    ("spending", "township1", "项目编号"),
])
def test_every_import_offers_an_xlsx_template_with_headings_an_example_and_notes(city, login, kind, account, heading):
    response = login(city.accounts[account]).get(f"/desk/imports/template/{kind}.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["导入模板", "填写说明"]
    sheet = book.get_sheet_by_index(0).to_python()
    assert heading in sheet[0] and len(sheet) == 2 and any(str(c) for c in sheet[1])
    notes = book.get_sheet_by_index(1).to_python()
    listed = {str(r[0]): str(r[2]) for r in notes[4:]}
    assert set(listed) == {str(c) for c in sheet[0]} and all(listed.values())


def test_a_template_needs_the_import_right(city, login):
    assert login(city.accounts["village1"]).get("/desk/imports/template/households.xlsx").status_code == 403
    assert login(city.accounts["township1"]).get("/desk/imports/template/regions.xlsx").status_code == 403
    assert login(city.accounts["township1"]).get("/desk/imports/template/nothing.xlsx").status_code == 404


def test_the_household_template_imports_once_its_example_is_made_real(city, login, tmp_path):
    """The template's own headings are the import's: fill it with a real row and it imports."""
    import xlsxwriter

    page = login(city.accounts["township1"]).get("/desk/imports/template/households.xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(page.content)).get_sheet_by_index(0).to_python()
    values = dict(zip(sheet[0], sheet[1], strict=True))
    values.update({"乡镇": "测试镇1", "行政村": "测试村1", "村民小组": "一组", "户编号": V1 + "0009",
                   "证件号码": pid(20), "人数": "1"})
    path = tmp_path / "filled.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet()
    ws.write_row(0, 0, list(values))
    ws.write_row(1, 0, [str(v) for v in values.values()])
    book.close()
    result = households_import(path=str(path), filename="filled.xlsx")
    assert result.ok, result.errors

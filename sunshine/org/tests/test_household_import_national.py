"""The registry import against files built the way the national poverty-alleviation system exports them (two title
rows above the header, 户编号 and 人数 merged down a household's rows, GBK CSV, full-width digits), each with one
defect, and the exact rows the import names."""
import datetime as dt

import pytest
import xlsxwriter

from sunshine.core.validators import make_id_number
from sunshine.org.importers import households_import
from sunshine.org.models import Household, HouseholdMember

pytestmark = pytest.mark.django_db

HEADER = ["序号", "乡镇", "行政村", "户编号", "人数", "姓名", "性别", "证件号码", "与户主关系", "联系电话",
          "主要致贫原因", "脱贫属性", "脱贫年度"]
V1, V2 = "430381101201", "430381101202"  # 测试镇1: 测试村1, 测试村2
TITLE_ROWS = 2  # the header is row 3; data starts at row 4


def pid(i):
    return make_id_number("430381", dt.date(1960, 1, 1) + dt.timedelta(days=311 * i), i)


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def household(village, code, members, *, size=None, status="未脱贫", year="2016"):
    """One household: members are (name, id, relation, phone) rows; 人数 defaults to the member count."""
    return {"village": village, "code": code, "size": len(members) if size is None else size, "members": members,
            "status": status, "year": year}


def zhang(size=None, **kw):
    return household("测试村1", V1 + "0001", [("张大山", pid(1), "户主", "13800138001"),
                                                ("李秀英", pid(2), "配偶", ""),
                                                ("张小兵", pid(3), "之子", ""),
                                                ("王翠花", pid(4), "之儿媳", "")], size=size, **kw)


def wang(**kw):
    return household("测试村2", V2 + "0002", [("王五", pid(5), "户主", "13900139002"),
                                                ("王小妹", pid(6), "之女", "")], **kw)


def write_xlsx(path, households):
    """Title rows, then each household's 户编号 and 人数 (and its township, village, status, year) merged down
    its rows, as the national system's export does; phones in full-width digits as some county sheets have."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    text = wb.add_format({"num_format": "@"})
    ws.merge_range(0, 0, 0, len(HEADER) - 1, "全国防返贫监测信息系统 建档立卡户成员信息")
    ws.merge_range(1, 0, 1, len(HEADER) - 1, "导出单位：湘乡市  导出时间：2026-11-30")
    ws.write_row(2, 0, HEADER)
    r = 3
    seq = 1
    for h in households:
        first, last = r, r + len(h["members"]) - 1
        for col, value in ((1, "测试镇1"), (2, h["village"]), (3, h["code"]), (4, str(h["size"])),
                           (11, h["status"]), (12, h["year"])):
            if first == last:
                ws.write_string(first, col, value, text)
            else:
                ws.merge_range(first, col, last, col, value, text)
        for name, id_number, relation, phone in h["members"]:
            ws.write_number(r, 0, seq)
            ws.write_string(r, 5, name)
            ws.write_string(r, 6, "")
            ws.write_string(r, 7, id_number, text)
            ws.write_string(r, 8, relation)
            ws.write_string(r, 9, full_width(phone), text)
            ws.write_string(r, 10, "因病")
            r += 1
            seq += 1
    wb.close()
    return path


def write_gbk_csv(path, households):
    """The same as a GBK CSV: the household cells repeated on every row (CSV cannot merge)."""
    lines = ["建档立卡户成员信息", "导出时间：2026-11-30", ",".join(HEADER)]
    seq = 1
    for h in households:
        for name, id_number, relation, phone in h["members"]:
            lines.append(",".join([str(seq), "测试镇1", h["village"], h["code"], full_width(str(h["size"])), name,
                                   "", id_number, relation, phone, "因病", h["status"], h["year"]]))
            seq += 1
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def run(path, **kw):
    return households_import(path=str(path), filename=path.name, **kw)


def rows_named(result):
    return [(e["row"], e["column"]) for e in result.errors]


@pytest.mark.parametrize("writer, name", [(write_xlsx, "national.xlsx"), (write_gbk_csv, "national.csv")])
def test_a_clean_national_export_keeps_the_relation_text_beside_the_category(city, tmp_path, writer, name):
    result = run(writer(tmp_path / name, [zhang(), wang()]))
    assert result.ok, result.errors
    members = {m.name: m for m in HouseholdMember.objects.all()}
    assert (members["张小兵"].relation, members["张小兵"].relation_text) == ("子女", "之子")
    assert (members["王翠花"].relation, members["王翠花"].relation_text) == ("儿媳/女婿", "之儿媳")
    assert (members["王小妹"].relation, members["王小妹"].relation_text) == ("子女", "之女")
    h = Household.objects.get(code=V1 + "0001")
    assert h.member_count == 4 and h.phone == "13800138001"


def test_a_household_size_that_disagrees_with_its_rows_names_the_rows(city, tmp_path):
    # 张's household: rows 4–7, 人数 5; 王's: rows 8–9, right.
    result = run(write_xlsx(tmp_path / "size.xlsx", [zhang(size=5), wang()]))
    assert rows_named(result) == [(4, "人数")]
    assert result.errors[0]["reason"] == f"户编号 {V1}0001 人数填 5，文件中该户有 4 行：第 4、5、6、7 行"
    assert Household.objects.count() == 0


def test_the_size_check_counts_rows_that_are_themselves_invalid(city, tmp_path):
    bad = zhang()
    name, id_number, relation, phone = bad["members"][2]
    bad["members"][2] = (name, id_number[:17], relation, phone)  # row 6: a 17-digit ID; 人数 4 still right
    result = run(write_gbk_csv(tmp_path / "invalid_row.csv", [bad, wang()]))
    assert rows_named(result) == [(6, "证件号码")]


def test_two_heads_name_both_rows(city, tmp_path):
    two = zhang()
    two["members"][2] = (*two["members"][2][:2], "户主", "")  # rows 4 and 6 both 户主
    result = run(write_xlsx(tmp_path / "heads.xlsx", [two, wang()]))
    assert rows_named(result) == [(4, "与户主关系"), (6, "与户主关系")]
    assert all("有 2 名户主：第 4、6 行" in e["reason"] for e in result.errors)


def test_an_invalid_head_row_reports_its_own_error_and_nothing_on_the_clean_rows(city, tmp_path):
    broken = wang()
    name, id_number, relation, phone = broken["members"][0]
    broken["members"][0] = (name, id_number[:17], relation, phone)  # 王五's ID has 17 digits (row 8)
    result = run(write_xlsx(tmp_path / "head.xlsx", [zhang(), broken]))
    assert rows_named(result) == [(8, "证件号码")]
    assert "不是18位身份证号" in result.errors[0]["reason"]
    assert "没有户主" not in " ".join(e["reason"] for e in result.errors)


def test_errors_are_listed_in_row_order_whatever_their_kind(city, tmp_path):
    first = zhang(size=3)  # row 4: 人数 3 for 4 rows (found after the whole file is read)
    second = wang()
    second["members"][1] = ("王小妹", pid(6), "邻居", "")  # row 9: an unknown relation
    first["members"][1] = ("李秀英", pid(2), "配偶", "0731-5551234")  # row 5: a landline
    third = household("测试村2", V2 + "0003", [("赵六", pid(7), "户主", ""), ("赵七", pid(8), "户主", "")])  # 10, 11
    result = run(write_xlsx(tmp_path / "order.xlsx", [first, second, third]))
    assert [e["row"] for e in result.errors] == [4, 5, 9, 10, 11]
    assert [e["column"] for e in result.errors] == ["人数", "联系电话", "与户主关系", "与户主关系", "与户主关系"]


def test_a_household_code_must_begin_with_its_villages_division_code(city, tmp_path):
    moved = wang()
    moved["code"] = V1 + "0002"  # 测试村1's code, but the household is in 测试村2
    result = run(write_gbk_csv(tmp_path / "code.csv", [zhang(), moved]))
    assert rows_named(result) == [(8, "户编号")]
    assert result.errors[0]["reason"] == (f"户编号“{V1}0002”应以所在村（测试镇1测试村2）的区划代码 {V2} 开头")


def test_a_file_naming_townships_and_villages_not_in_the_division_list_says_which(city, tmp_path):
    lost = wang()
    lost["village"] = "白云村"
    result = run(write_xlsx(tmp_path / "missing.xlsx", [zhang(), lost]))
    assert rows_named(result) == [(8, "行政村"), (9, "行政村")]
    assert "区划表中没有文件里的村：测试镇1白云村" in result.message


def test_a_status_change_by_import_is_in_the_households_history_with_who_when_and_which_import(
        city, tmp_path, login):
    from sunshine.core.importjobs import import_job_create

    clerk = city.accounts["township1"]
    first = import_job_create(kind="households", filename="2025.xlsx", stored_path="", sha256="", actor=clerk)
    run(write_xlsx(tmp_path / "v1.xlsx", [zhang(), wang()]), actor=clerk, job_id=first.pk)
    second = import_job_create(kind="households", filename="2026.xlsx", stored_path="", sha256="", actor=clerk)
    result = run(write_xlsx(tmp_path / "v2.xlsx", [zhang(status="已脱贫", year="2020"), wang()]), actor=clerk,
                 job_id=second.pk)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    from auditlog.models import LogEntry

    h = Household.objects.get(code=V1 + "0001")
    entries = list(LogEntry.objects.get_for_object(h).order_by("timestamp", "id"))
    assert [(e.action, e.actor_id, e.additional_data["import_job"]) for e in entries] == [
        (LogEntry.Action.CREATE, clerk.pk, first.pk), (LogEntry.Action.UPDATE, clerk.pk, second.pk)]
    assert entries[1].changes_dict["poverty_status"] == ["poor", "exited"]
    assert entries[1].changes_dict["status_year"] == ["2016", "2020"]
    page = login(city.accounts["office"]).get(f"/desk/households/{h.pk}/").content.decode()
    assert "暂无记录" not in page and "poverty_status" in page and f"导入任务 #{second.pk}" in page
    assert "文件导入“v2.xlsx”" in page and clerk.display_name in page
    # The same file again: no new history row.
    again = run(write_xlsx(tmp_path / "v3.xlsx", [zhang(status="已脱贫", year="2020"), wang()]), actor=clerk)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert LogEntry.objects.get_for_object(h).count() == 2


def test_a_member_added_and_a_relation_reworded_are_recorded_as_a_change(city, tmp_path):
    run(write_xlsx(tmp_path / "v1.xlsx", [zhang(), wang()]))
    grown = wang()
    grown["members"][1] = ("王小妹", pid(6), "女儿", "")
    grown["members"].append(("王小宝", pid(9), "之孙子", ""))
    grown["size"] = 3
    result = run(write_xlsx(tmp_path / "v2.xlsx", [zhang(), grown]))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1), result.errors
    from auditlog.models import LogEntry

    h = Household.objects.get(code=V2 + "0002")
    change = LogEntry.objects.get_for_object(h).filter(action=LogEntry.Action.UPDATE).get().changes_dict
    assert change["member_count"] == ["2", "3"]
    assert change["家庭成员"] == ["王五（户主）、王小妹（之女）", "王五（户主）、王小妹（女儿）、王小宝（之孙子）"]
    assert h.members.get(name="王小妹").relation_text == "女儿"


def test_an_id_number_on_two_rows_is_named_beside_the_files_other_errors(city, tmp_path):
    first, second = zhang(), wang()
    second["members"][1] = ("王小妹", pid(3), "之女", "")  # row 9 repeats 张小兵's ID (row 6)
    first["members"][3] = ("王翠花", pid(4), "儿媳妇的妹妹", "")  # row 7: an unknown relation
    result = run(write_gbk_csv(tmp_path / "dup.csv", [first, second]))
    assert [(e["row"], e["column"], e["reason"]) for e in result.errors] == [
        (7, "与户主关系", "与户主关系“儿媳妇的妹妹”无法识别"), (9, "证件号码", "证件号码与第 6 行重复")]


def test_a_household_whose_rows_are_not_together_is_still_one_household(city, tmp_path):
    first, second = zhang(), wang()
    split = household("测试村1", first["code"], first["members"][:2], size=4)
    rest = household("测试村1", first["code"], first["members"][2:], size=4)
    result = run(write_gbk_csv(tmp_path / "split.csv", [split, second, rest]))  # rows 4–5, 6–7, 8–9
    assert result.ok, result.errors
    h = Household.objects.get(code=first["code"])
    assert h.member_count == 4 and list(h.members.order_by("id").values_list("name", flat=True)) == [
        "张大山", "李秀英", "张小兵", "王翠花"]
    split["size"] = rest["size"] = 5  # 人数 5, but 4 rows: 4, 5, 8, 9
    result = run(write_gbk_csv(tmp_path / "split2.csv", [split, second, rest]))
    assert [(e["row"], e["reason"]) for e in result.errors] == [
        (4, f"户编号 {first['code']} 人数填 5，文件中该户有 4 行：第 4、5、8、9 行")]

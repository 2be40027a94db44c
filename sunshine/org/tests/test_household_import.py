"""Households import: bad rows named and nothing written; the same file twice changes nothing."""
import datetime as dt

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sunshine.core.models import ImportJob
from sunshine.core.validators import make_id_number
from sunshine.org.importers import households_import
from sunshine.org.models import Household, HouseholdMember
from sunshine.org.testing import id_number_ending_in_x

pytestmark = pytest.mark.django_db

HEADER = ["序号", "乡镇", "行政村", "户编号", "姓名", "性别", "证件号码", "与户主关系", "联系电话", "主要致贫原因",
          "脱贫属性", "脱贫年度"]


H001, H002 = "4303811012010001", "4303811012020002"  # 户编号 begin with their village's division code
H003, H100 = "4303811012020003", "4303811022010100"


def ids(n):
    return [make_id_number("430381", dt.date(1970, 1, 1) + dt.timedelta(days=400 * i), i) for i in range(n)]


def good_rows(city):
    p = ids(5)
    return [
        [1, "测试镇1", "测试村1", H001, "张大山", "男", p[0], "户主", "13800138001", "因病", "未脱贫", "2016"],
        [2, "测试镇1", "测试村1", H001, "李秀英", "女", p[1], "配偶", "", "因病", "未脱贫", "2016"],
        [3, "测试镇1", "测试村1", H001, "张小兵", "男", p[2], "之子", "", "因病", "未脱贫", "2016"],
        [4, "测试镇1", "测试村2", H002, "王五", "男", p[3], "户主", "13900139002", "缺技术", "已脱贫", "2018"],
        [5, "测试镇1", "测试村2", H002, "王小妹", "女", p[4], "女儿", "", "缺技术", "已脱贫", "2018"],
    ]


def write_csv(path, rows, encoding="gbk", title=True):
    lines = (["湘乡市建档立卡贫困人口明细表", ""] if title else []) + [",".join(HEADER)]
    lines += [",".join(str(c) for c in r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def run(path, actor=None, **kw):
    return households_import(path=str(path), filename=path.name, actor=actor, **kw)


def test_a_gbk_csv_export_creates_households_with_their_members(city, tmp_path):
    result = run(write_csv(tmp_path / "h.csv", good_rows(city)))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    h1 = Household.objects.get(code=H001)
    assert h1.head_name == "张大山" and h1.member_count == 3 and h1.village == city.villages[0]
    assert h1.poverty_status == "poor" and h1.status_year == 2016 and h1.phone == "13800138001"
    assert set(h1.members.values_list("relation", flat=True)) == {"户主", "配偶", "子女"}
    assert Household.objects.get(code=H002).poverty_status == "exited"


def test_importing_the_same_file_again_changes_nothing(city, tmp_path):
    path = write_csv(tmp_path / "h.csv", good_rows(city))
    run(path)
    before = {(h.code, h.updated_at) for h in Household.objects.all()}
    members_before = set(HouseholdMember.objects.values_list("id", "updated_at"))
    again = run(path)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert {(h.code, h.updated_at) for h in Household.objects.all()} == before
    assert set(HouseholdMember.objects.values_list("id", "updated_at")) == members_before


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(city, tmp_path):
    rows = good_rows(city)
    rows[1][6] = rows[1][6][:17] + ("0" if rows[1][6][17] != "0" else "1")  # wrong check digit, row 5
    rows[2][8] = "0731-5551234"  # a landline cannot receive the payment SMS, row 6
    rows[3][2] = "不存在村"  # row 7
    rows[4][7] = "邻居"  # row 8
    result = run(write_csv(tmp_path / "bad.csv", rows))
    assert not result.ok
    by_row = {e["row"]: e for e in result.errors}
    assert set(by_row) == {5, 6, 7, 8}
    assert "校验位" in by_row[5]["reason"] and by_row[5]["column"] == "证件号码"
    assert "手机号码" in by_row[6]["reason"]
    assert "不存在村" in by_row[7]["reason"]
    assert "邻居" in by_row[8]["reason"]
    assert "未导入" in result.message
    assert Household.objects.count() == 0 and HouseholdMember.objects.count() == 0


def test_a_household_without_a_head_or_with_two_is_rejected(city, tmp_path):
    rows = good_rows(city)
    rows[1][7] = "户主"
    rows[3][7] = "配偶"
    result = run(write_csv(tmp_path / "heads.csv", rows))
    reasons = " ".join(e["reason"] for e in result.errors)
    assert H001 in reasons and "2 名户主" in reasons and H002 in reasons and "没有户主" in reasons
    assert Household.objects.count() == 0


def test_duplicate_id_numbers_in_one_file_are_named(city, tmp_path):
    rows = good_rows(city)
    rows[4][6] = rows[3][6]
    result = run(write_csv(tmp_path / "dup.csv", rows))
    assert any("与第 7 行重复" in e["reason"] and e["row"] == 8 for e in result.errors)


def test_an_xlsx_with_title_rows_merged_codes_full_width_digits_and_lowercase_x(city, tmp_path):
    path = tmp_path / "national.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    text = wb.add_format({"num_format": "@"})
    ws.merge_range("A1:L1", "全国扶贫开发信息系统 贫困人口明细")
    ws.merge_range("A2:L2", "导出时间:2024-05-01")
    ws.write_row(2, 0, HEADER)
    head_id = id_number_ending_in_x()  # written in lower case below
    assert head_id.endswith("X")
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in "13700137003")
    member_id = ids(7)[6]
    for col, value in enumerate(["1", "测试镇2", "测试村3"]):
        ws.merge_range(3, col, 4, col, value)
    ws.merge_range(3, 3, 4, 3, H100)
    ws.write_row(3, 4, ["  赵铁柱 ", "男"])
    ws.write_string(3, 6, head_id.lower(), text)
    ws.write_row(3, 7, ["户主", full_width, "因残", "监测户", "2019"])
    ws.write_row(4, 4, ["赵小花", "女"])
    ws.write_string(4, 6, member_id, text)
    ws.write_row(4, 7, ["之女", "", "因残", "监测户", "2019"])
    wb.close()
    result = run(path)
    assert result.ok, result.errors
    household = Household.objects.get(code=H100)
    assert household.village == city.villages[2] and household.head_name == "赵铁柱"
    assert household.head_id_number == head_id and household.phone == "13700137003"
    assert household.poverty_status == "monitored" and household.member_count == 2


def test_a_changed_file_updates_the_household_and_removes_members_no_longer_listed(city, tmp_path):
    run(write_csv(tmp_path / "v1.csv", good_rows(city)))
    rows = good_rows(city)
    rows[0][10], rows[1][10], rows[2][10] = "已脱贫", "已脱贫", "已脱贫"
    del rows[2]
    result = run(write_csv(tmp_path / "v2.csv", rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    h1 = Household.objects.get(code=H001)
    assert h1.poverty_status == "exited" and h1.member_count == 2 and h1.members.count() == 2


def test_township_staff_cannot_import_households_of_another_township(city, tmp_path):
    rows = good_rows(city)
    rows[3][1], rows[3][2], rows[4][1], rows[4][2] = "测试镇2", "测试村3", "测试镇2", "测试村3"
    result = run(write_csv(tmp_path / "other.csv", rows), actor=city.accounts["township1"])
    assert not result.ok
    assert {e["row"] for e in result.errors} == {7, 8}
    assert "管辖范围" in result.errors[0]["reason"]
    assert Household.objects.count() == 0


def test_an_id_registered_in_another_household_is_a_clash(city, tmp_path):
    run(write_csv(tmp_path / "v1.csv", good_rows(city)))
    original = good_rows(city)
    rows = original[3:]
    for r in rows:
        r[3] = H003
    rows[0][6] = original[0][6]  # H001's head listed again, as head of H003
    result = run(write_csv(tmp_path / "v2.csv", rows))
    assert any(f"已登记在户 {H001}" in e["reason"] for e in result.errors)


def test_an_excel_number_formatted_id_is_reported(city, tmp_path):
    path = tmp_path / "num.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEADER)
    row = good_rows(city)[0]
    ws.write_row(1, 0, row)
    ws.write_number(1, 6, float(row[6][:17]) * 10)
    wb.close()
    result = run(path)
    assert not result.ok and "文本格式" in result.errors[0]["reason"] and result.errors[0]["row"] == 2


def test_the_command_prints_bad_rows_and_fails(city, tmp_path, capsys):
    rows = good_rows(city)
    rows[0][11] = "去年"
    with pytest.raises(CommandError):
        call_command("import_households", str(write_csv(tmp_path / "c.csv", rows)), "--user", "admin",
                     verbosity=0)
    assert "第 4 行" in capsys.readouterr().err
    assert Household.objects.count() == 0


def test_the_command_imports_a_good_file_as_a_recorded_job_with_an_audit_row(city, tmp_path, capsys):
    from auditlog.models import LogEntry

    from sunshine.core.models import ImportJob

    call_command("import_households", str(write_csv(tmp_path / "c.csv", good_rows(city), encoding="utf-8")),
                 "--user", "township1", verbosity=0)
    assert "新增 2 户" in capsys.readouterr().out
    job = ImportJob.objects.get(kind="households")
    assert job.status == ImportJob.Status.SUCCEEDED and job.created_rows == 2
    assert job.created_by == city.accounts["township1"]
    assert LogEntry.objects.get_for_object(job).get(action=LogEntry.Action.CREATE).actor == job.created_by


def test_upload_page_runs_the_job_and_shows_the_result(city, login, tmp_path, settings,
                                                       django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client = login(city.accounts["township1"])
    data = write_csv(tmp_path / "up.csv", good_rows(city)).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/desk/imports/households/", {"file": SimpleUploadedFile("up.csv", data)})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert job.status == "succeeded" and "新增 2 户" in page and "100%" in page
    assert Household.objects.count() == 2


def test_upload_page_lists_the_bad_rows(city, login, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    rows = good_rows(city)
    rows[0][4] = ""
    client = login(city.accounts["township1"])
    data = write_csv(tmp_path / "bad.csv", rows).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/desk/imports/households/", {"file": SimpleUploadedFile("bad.csv", data)})
    page = client.get(response["Location"]).content.decode()
    assert "第 4 行" in page and "姓名为空" in page and "未导入" in page
    assert Household.objects.count() == 0


def test_upload_of_a_wrong_file_type_is_a_400_with_a_message(city, login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = login(city.accounts["township1"])
    response = client.post("/desk/imports/households/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()


def test_village_staff_may_not_import_and_other_units_cannot_see_a_job(city, login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    assert login(city.accounts["village1"]).get("/desk/imports/households/").status_code == 403
    client = login(city.accounts["township1"])
    client.post("/desk/imports/households/",
                {"file": SimpleUploadedFile("up.csv", write_csv(tmp_path / "u.csv", good_rows(city)).read_bytes())})
    job = ImportJob.objects.get()
    assert login(city.accounts["township2"]).get(f"/desk/imports/{job.pk}/").status_code == 404

"""The statistics bureau's division list: levels and parents from the code, idempotent, the city and above accepted,
codes outside the city refused; the command and the desk page."""
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sunshine.core.models import ImportJob
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Region
from sunshine.org.regions_import import regions_import

pytestmark = pytest.mark.django_db

HEADER = ("统计用区划代码", "城乡分类代码", "名称")
COUNTY_EXTRACT = [  # a county's extract as the bureau publishes it: province and prefecture rows first
    ("430000000000", "", "湖南省"),
    ("430300000000", "", "湘潭市"),
    ("430381000000", "", "湘乡市"),
    ("430381103000", "", "白田镇"),
    ("430381103201", "220", "白田村"),
    ("430381103202", "210", "金石村"),
    ("430381001000", "", "望春门街道"),
    ("430381001001", "111", "东山社区"),
]


def write(path, rows, encoding="utf-8"):
    """A CSV of `rows` (tuples of cells) under the header; cells are joined here, as a comma typed beside Chinese
    text in a literal is prose punctuation to the full-width rule."""
    path.write_bytes(("\n".join(",".join(row) for row in [HEADER, *rows]) + "\n").encode(encoding))
    return path


def run(path, **kw):
    return regions_import(path=str(path), filename=path.name, **kw)


def test_an_empty_registry_is_built_from_a_county_extract(tmp_path):
    write_path = write(tmp_path / "list.csv", COUNTY_EXTRACT)
    result = run(write_path)
    assert result.ok, result.errors
    assert result.created == 6  # the city, 2 townships, 3 villages; province and prefecture change nothing
    city = Region.objects.get(code="430381000000")
    assert city.level == RegionLevel.CITY and city.parent is None and city.name == "湘乡市"
    village = Region.objects.get(code="430381103202")
    assert village.level == RegionLevel.VILLAGE and village.parent.code == "430381103000"
    assert village.path == "430381000000/430381103000/430381103202/"
    assert Region.objects.get(code="430381001001").parent.name == "望春门街道"
    assert not Region.objects.filter(code__in=["430000000000", "430300000000"]).exists()
    again = run(write_path)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_against_the_mini_city_new_villages_are_added_and_a_renamed_one_is_renamed(city, tmp_path):
    lines = [("430381000000", "", "湘乡市"), ("430381101000", "", "测试镇1"), ("430381101201", "220", "测试村1（新名）"),
             ("430381101203", "220", "新建村")]
    result = run(write(tmp_path / "more.csv", lines))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Region.objects.get(code="430381101201").name == "测试村1（新名）"
    assert Region.objects.get(code="430381101203").parent == city.townships[0]


def test_codes_outside_the_city_and_broken_rows_are_named_and_nothing_is_written(city, tmp_path):
    lines = [("430382101000", "", "邻县镇"),  # row 2: another county
             ("430381101204", "220", "好村"),  # row 3: fine
             ("43038110120", "220", "短码村"),  # row 4: 11 digits
             ("430381104000", "121", "某镇"),  # row 5: an urban-rural code on a township
             ("430381105201", "220", "孤村"),  # row 6: its township is nowhere
             ("430381101205", "220", "")]  # row 7: no name
    result = run(write(tmp_path / "bad.csv", lines, encoding="gbk"))
    assert [e["row"] for e in result.errors] == [2, 4, 5, 6, 7]
    reasons = {e["row"]: e["reason"] for e in result.errors}
    assert reasons[2] == "区划代码 430382101000 不在本市（430381000000）之下，不能导入"
    assert "12位数字" in reasons[4] and "只用于村级" in reasons[5] and "430381105000" in reasons[6]
    assert not Region.objects.filter(code="430381101204").exists()


def test_an_xlsx_list_with_a_title_row(city, tmp_path):
    path = tmp_path / "list.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    text = wb.add_format({"num_format": "@"})
    ws.write(0, 0, "2023年统计用区划代码和城乡划分代码")
    ws.write_row(1, 0, ["统计用区划代码", "城乡分类代码", "名称"])
    ws.write_string(2, 0, "430381102203", text)
    ws.write_string(2, 1, "220", text)
    ws.write_string(2, 2, "测试村5")
    wb.close()
    result = run(path)
    assert result.ok, result.errors
    assert Region.objects.get(code="430381102203").parent == city.townships[1]


def test_the_command_imports_as_a_recorded_job_and_refuses_staff_without_the_right(city, tmp_path, capsys):
    path = write(tmp_path / "c.csv", [("430381102203", "220", "测试村5")])
    call_command("import_regions", str(path), "--user", "office", verbosity=0)
    assert "新增 1 个区划" in capsys.readouterr().out
    assert ImportJob.objects.get(kind="regions").status == ImportJob.Status.SUCCEEDED
    with pytest.raises(CommandError):
        call_command("import_regions", str(path), "--user", "township1", verbosity=0)


def test_the_desk_page_imports_a_list_and_shows_the_result(city, login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = login(city.accounts["office"])
    page = client.get("/desk/imports/regions/").content.decode()
    assert "统计用区划代码" in page and "下载模板" in page
    data = write(tmp_path / "up.csv", [("430381102203", "220", "测试村5")]).read_bytes()
    response = client.post("/desk/imports/regions/", {"file": SimpleUploadedFile("up.csv", data)})
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "新增 1 个区划" in shown
    assert Region.objects.filter(code="430381102203").exists()
    assert login(city.accounts["township1"]).get("/desk/imports/regions/").status_code == 403

"""The tables inside desk pages (issue #14's review) export through the desk registry: for a reader, the export's rows
are the rows the page draws in the element marked data-rows="<name>"; a reader of another jurisdiction gets none
of them (a 404 for a record out of scope, or only its own rows); numbers quoted in free text are masked."""
from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from sunshine.core.models import AuditRecord
from sunshine.desk.exports import desk_lists
from sunshine.desk.tests.test_exports import _data, _sheet

pytestmark = pytest.mark.django_db
REGISTRY = desk_lists()
ID_NUMBER = "430381196001011234"


VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"}


class _Rows(HTMLParser):
    """The text of each row (a <tr> of the body, or a direct <li> of a list) of the element data-rows=`name`."""

    def __init__(self, name: str):
        super().__init__()
        self.name, self.depth, self.rows, self.current = name, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
            empty = "muted" in (dict(attrs).get("class") or "")  # the "nothing here" line of an empty list
            if ((tag == "tr" and not self.in_head) or (tag == "li" and self.depth == 2)) and not empty:
                self.current, self.row_depth = [], self.depth
            if tag == "thead":
                self.in_head = True
        elif dict(attrs).get("data-rows") == self.name:
            self.depth, self.in_head = 1, False

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "thead":
            self.in_head = False
        if self.current is not None and self.depth == self.row_depth:
            text = " ".join(" ".join(self.current).split())
            if text:
                self.rows.append(text)
            self.current = None
        self.depth -= 1

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def page_rows(html: str, name: str) -> list[str]:
    parser = _Rows(name)
    parser.feed(html)
    assert f'data-rows="{name}"' in html, f"the page draws no table marked {name}"
    return parser.rows


def export_rows(client, name: str, **query) -> list[list]:
    response = client.get(reverse("desk:list_export", args=[name]), query)
    assert response.status_code == 200, response.status_code
    return _data(_sheet(response.content), REGISTRY[name].headers())


def same_rows(page: list[str], data: list[list], key: int):
    """Row for row, the page's row shows the export's key cell."""
    assert len(page) == len(data), (page, data)
    for shown, row in zip(page, data, strict=True):
        assert str(row[key]).lstrip("'") in shown, (shown, row)


# ---- one notice's rows --------------------------------------------------------------------------------------------

def _notice(city):
    from sunshine.desk.tests.test_exports import _payments
    from sunshine.funds.services.notices import notice_create

    made = [p for p in _payments(city) if p.household.village_id == city.villages[0].pk]
    return notice_create(actor=city.accounts["township1"], kind="payment", scope_region=city.villages[0],
                         record_ids=[p.pk for p in made], starts_on=timezone.localdate())


def test_a_notices_rows_export_as_the_page_shows_them_and_not_to_another_township(city, client, login):
    notice = _notice(city)
    login(city.accounts["township1"])
    page = client.get(reverse("desk:funds_notice", args=[notice.pk])).content.decode()
    assert 'data-export="notice-rows"' in page
    data = export_rows(client, "notice-rows", notice=notice.pk)
    assert data and [r[0] for r in data] == list(range(1, len(data) + 1))
    same_rows(page_rows(page, "notice-rows"), data, key=1)
    login(city.accounts["township2"])
    assert client.get(reverse("desk:list_export", args=["notice-rows"]), {"notice": notice.pk}).status_code == 404
    assert client.get(reverse("desk:funds_notice", args=[notice.pk])).status_code == 404


# ---- one village's micro-power list -------------------------------------------------------------------------------

def test_a_villages_micro_power_items_export_and_stay_in_the_township(city, client, login):
    from sunshine.oversight.services.mechanisms import micro_power_add

    village = city.villages[0]
    for title in ("村级重大事项决策", "=村集体资产处置"):
        micro_power_add(actor=city.accounts["office"], village=village, category="重大事项", title=title,
                        responsible_post="村党组织书记", steps=[("提议", "村党组织"), ("公示", "村委会")])
    login(city.accounts["office"])
    url = reverse("desk:campaign_micro_power_village", args=[village.pk])
    page = client.get(url).content.decode()
    data = export_rows(client, "micro-power-items", village=village.pk)
    same_rows(page_rows(page, "micro-power-items"), data, key=1)
    assert "'=村集体资产处置" in [r[1] for r in data]  # neutralised
    assert "提议（村党组织） → 公示（村委会）" in [r[5] for r in data]
    login(city.accounts["township2"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("desk:list_export", args=["micro-power-items"]),
                      {"village": village.pk}).status_code == 404


# ---- an inspection's targets and findings -------------------------------------------------------------------------

def _inspection(city):
    from sunshine.oversight.services.inspections import inspection_create, inspection_finding_add
    from sunshine.oversight.tests.i13b_builders import inspection_account, project

    inspector = inspection_account(city)
    p = project(city, city.accounts["township1"], village=0, name="一村路", applied=dt.date(2026, 1, 10))
    inspection = inspection_create(actor=inspector, kind="inspection", title="巡察测试镇1", region=city.townships[0],
                                   started_on=dt.date(2026, 4, 1), units=[city.township_units[0]], projects=[p])
    inspection_finding_add(actor=inspector, inspection=inspection, unit=city.township_units[0],
                           text=f"低保户（身份证号{ID_NUMBER}）重复领取", deadline=timezone.localdate() + dt.timedelta(30))
    return inspector, inspection


def test_an_inspections_targets_and_findings_export_with_numbers_masked(city, client, login):
    inspector, inspection = _inspection(city)
    login(inspector)
    page = client.get(reverse("desk:campaign_inspection", args=[inspection.pk])).content.decode()
    targets = export_rows(client, "inspection-targets", inspection=inspection.pk)
    same_rows(page_rows(page, "inspection-targets"), targets, key=0)
    assert len(targets) == 2
    findings = export_rows(client, "inspection-findings", inspection=inspection.pk)
    shown = page_rows(page, "inspection-findings")
    same_rows(shown, findings, key=0)
    text = REGISTRY["inspection-findings"].headers().index("问题")
    assert ID_NUMBER in shown[0]  # the page is the record; the export masks unless unmasked with a reason
    assert ID_NUMBER not in findings[0][text] and "1234" in findings[0][text]
    assert not AuditRecord.objects.filter(event="unmask").exists()


def test_another_township_gets_no_inspection_rows(city, client, login):
    _inspector, inspection = _inspection(city)
    login(city.accounts["township2"])
    for name in ("inspection-targets", "inspection-findings"):
        assert client.get(reverse("desk:list_export", args=[name]),
                          {"inspection": inspection.pk}).status_code == 404
    assert client.get(reverse("desk:campaign_inspection", args=[inspection.pk])).status_code == 404


# ---- training coverage by category --------------------------------------------------------------------------------

def _cadres(city):
    from sunshine.org import services as org
    from sunshine.org.choices import Post

    for i, (unit, post) in enumerate(((city.township_units[0], Post.TOWNSHIP_SECRETARY),
                                      (city.village_units[0], Post.VILLAGE_SECRETARY),
                                      (city.township_units[1], Post.TOWNSHIP_SECRETARY))):
        person = org.person_create(actor=None, name=f"干部{i}", unit=unit)
        org.position_start(actor=None, person=person, unit=unit, post=post, start_date=dt.date(2025, 1, 1))


def test_training_coverage_by_category_exports_the_pages_table_in_each_jurisdiction(city, client, login):
    _cadres(city)
    totals = {}
    for who in ("office", "township1", "township2"):
        login(city.accounts[who])
        page = client.get(reverse("desk:campaign_trainings")).content.decode()
        data = export_rows(client, "training-coverage")
        shown = page_rows(page, "training-coverage")
        same_rows(shown, data, key=0)
        assert [f"{r[0]} {int(r[1])} {int(r[2])}" for r in data] == shown
        totals[who] = sum(int(r[1]) for r in data)
    # Each township counts only its own cadres; the office counts them all.
    assert totals["township1"] + totals["township2"] <= totals["office"]
    assert totals["township2"] < totals["office"] and totals["township1"] < totals["office"]


# ---- inspection coverage and the special proposals ----------------------------------------------------------------

def test_uncovered_projects_and_proposals_export_as_the_page_lists_them(city, client, login):
    from sunshine.oversight.tests.i13b_builders import project

    project(city, city.accounts["township1"], village=0, name="一村路", applied=dt.date(2026, 1, 10))
    project(city, city.accounts["admin"], village=2, name="三村渠", applied=dt.date(2026, 1, 10))
    from sunshine.cases.tests.builders import submit

    for _ in range(5):  # clues concentrated in 测试镇1 (5 against 1): proposed for a special inspection
        submit(city, village=0)
    submit(city, village=2)
    login(city.accounts["office"])
    page = client.get(reverse("desk:campaign_inspections")).content.decode()
    data = export_rows(client, "inspection-coverage")
    same_rows(page_rows(page, "inspection-coverage"), data, key=2)
    assert sorted(r[2] for r in data) == ["一村路", "三村渠"]
    sheet = _sheet(client.get(reverse("desk:list_export", args=["inspection-coverage"])).content)
    assert ["扶贫项目已覆盖", "0/2"] in [[str(c) for c in r[:2]] for r in sheet[:6]]  # the page's figures on top
    proposals = export_rows(client, "inspection-proposals")
    same_rows(page_rows(page, "inspection-proposals"), proposals, key=0)
    reasons = {r[0]: r[3] for r in proposals}
    assert reasons["测试镇1"].startswith("问题线索 5 件")
    login(city.accounts["township2"])
    assert [r[2] for r in export_rows(client, "inspection-coverage")] == ["三村渠"]


# ---- the overdue boxes: cases on the staff home, tasks on the campaign's tasks page --------------------------------

def test_the_home_overdue_box_exports_its_cases_and_a_township_only_its_own(city, client, login):
    from sunshine.cases.tests.builders import submit
    from sunshine.stats.tests.test_figures import _backdate, _three_cases

    overdue, _handled, _other = _three_cases(city)
    _, foreign, _ = submit(city, village=2)
    _backdate(foreign, timezone.localdate() - dt.timedelta(days=30))
    login(city.accounts["admin"])
    page = client.get(reverse("desk:home")).content.decode()
    data = export_rows(client, "home-overdue")
    same_rows(page_rows(page, "home-overdue"), data, key=0)
    assert len(data) == 2
    login(city.accounts["township2"])
    mine = export_rows(client, "home-overdue")
    assert [str(r[0]) for r in mine] == [str(foreign.number or foreign.pk)]


def test_the_overdue_tasks_export_is_the_pages_list(city, client, login):
    from sunshine.oversight.services.mechanisms import dept_task_create

    dept = city.accounts["department"]
    year = timezone.localdate().year
    dept_task_create(actor=dept, year=year, title="危房改造", target=40, due_on=dt.date(year, 1, 1))
    login(city.accounts["office"])
    page = client.get(reverse("desk:campaign_tasks"), {"year": year - 1}).content.decode()
    assert export_rows(client, "dept-tasks-overdue", year=year - 1) == [] == page_rows(page, "dept-tasks-overdue")
    if timezone.localdate() > dt.date(year, 1, 1):
        page = client.get(reverse("desk:campaign_tasks")).content.decode()
        data = export_rows(client, "dept-tasks-overdue")
        same_rows(page_rows(page, "dept-tasks-overdue"), data, key=0)
        assert [r[1] for r in data] == ["危房改造"]


# ---- an import job's bad rows -------------------------------------------------------------------------------------

def test_an_import_jobs_bad_rows_export_masked_and_only_in_its_jurisdiction(city, client, login):
    from sunshine.core.models import ImportJob

    job = ImportJob.objects.create(
        kind="households", filename="户籍.xlsx", sha256="0" * 64, status=ImportJob.Status.REJECTED,
        created_by=city.accounts["township1"], unit_id_scope=city.township_units[0].pk,
        errors=[{"row": 3, "column": "身份证号", "reason": f"{ID_NUMBER} 与第 2 行重复"},
                {"row": 5, "column": "户主姓名", "reason": "=不能为空"}])
    login(city.accounts["township1"])
    page = client.get(reverse("desk:import_job", args=[job.pk])).content.decode()
    data = export_rows(client, "import-job-errors", job=job.pk)
    same_rows(page_rows(page, "import-job-errors"), data, key=1)
    assert [r[0] for r in data] == [3, 5] or [str(r[0]) for r in data] == ["3", "5"]
    assert ID_NUMBER not in data[0][2] and "1234" in data[0][2]
    assert data[1][2] == "'=不能为空"
    login(city.accounts["township2"])
    assert client.get(reverse("desk:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("desk:list_export", args=["import-job-errors"]), {"job": job.pk}).status_code == 404


def test_the_page_rows_helper_reads_only_the_marked_element():
    html = ('<ul class="records" data-rows="x"><li>a<ul><li>inner</li></ul></li><li>b</li></ul>'
            '<table data-rows="y"><thead><tr><th>h</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>')
    assert page_rows(html, "x") == ["a inner", "b"]
    assert page_rows(html, "y") == ["1"]
    assert re.search("data-rows", html)


# ---- one project's spending (its page's 资金使用情况) ----------------------------------------------------------------

def test_a_projects_spending_exports_as_its_page_lists_it_and_not_to_another_township(city, client, login):
    from sunshine.desk.tests.test_exports import _projects

    project = _projects(city)[0]
    login(city.accounts["township1"])
    url = reverse("desk:funds_record", args=["project", project.pk])
    page = client.get(url).content.decode()
    data = export_rows(client, "project-spending", project=project.pk)
    same_rows(page_rows(page, "project-spending"), data, key=1)
    assert [r[1] for r in data] == ["宏达建筑"]
    login(city.accounts["township2"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("desk:list_export", args=["project-spending"]),
                      {"project": project.pk}).status_code == 404

"""The pages a reader sees: role homes with their figures and charts, table pages with drill-down, the exports
(opened with calamine, formulas neutralised, personal numbers masked unless unmasked with a reason), the public
page and API with small-cell suppression at the 2/3 boundary, the statistics API, and the brief."""
from __future__ import annotations

import io

import pytest

from sunshine.core.models import AuditRecord
from sunshine.stats import public
from sunshine.stats.tests.test_figures import _three_cases

pytestmark = pytest.mark.django_db


def _sheet(content: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


def test_the_offices_home_shows_overdue_first_then_townships_with_charts(city, client, login):
    overdue, _, _ = _three_cases(city)
    login(city.accounts["office"])
    page = client.get("/desk/").content.decode()
    assert page.index("超期未办") < page.index("各乡镇举报办理") < page.index("举报与案件")
    assert overdue.number in page and 'data-chart="chart-home-reports-region"' in page
    assert "stats/charts.js" in page and "echarts-5.6.0.min.js" in page


def test_the_leaders_home_compares_townships_and_units(city, client, login):
    _three_cases(city)
    login(city.accounts["leader"])
    page = client.get("/desk/").content.decode()
    assert "乡镇与单位对比" in page and "各承办单位办理" in page and "测试镇1" in page
    assert "测试镇1人民政府" in page


def test_a_township_home_shows_its_villages(city, client, login):
    _three_cases(city)
    login(city.accounts["township2"])
    page = client.get("/desk/").content.decode()
    assert "各村情况" in page and "测试村3" in page and "测试村1" not in page


def test_table_page_drills_from_city_to_township_and_links_the_list_behind(city, client, login):
    _three_cases(city)
    login(city.accounts["office"])
    page = client.get("/desk/stats/reports/").content.decode()
    assert f"?region={city.townships[0].pk}" in page and "测试镇1" in page
    assert f"/desk/cases/?all=1&amp;township={city.townships[0].pk}" in page
    village_page = client.get(f"/desk/stats/reports/?region={city.townships[0].pk}").content.decode()
    assert "测试村1" in village_page and "测试村3" not in village_page
    assert client.get("/desk/stats/nope/").status_code == 404


def test_table_export_opens_with_its_filters_and_an_audit_record(city, client, login):
    _three_cases(city)
    login(city.accounts["office"])
    import datetime as dt

    from django.utils import timezone

    since = timezone.localdate() - dt.timedelta(days=10)  # the backdated case came in 30 days ago
    response = client.get(f"/desk/stats/reports/export.xlsx?dim=stage&from={since}")
    rows = _sheet(response.content)
    assert rows[0][0] == "举报与线索" and ["统计口径", "办理阶段"] in [r[:2] for r in rows]
    assert ["期间", f"{since} ~ …"] in [r[:2] for r in rows]
    assert rows[-1][0] == "合计" and rows[-1][1] == 2
    assert AuditRecord.objects.filter(event="export", object_id="stats-reports").exists()


def test_export_neutralises_formulas_and_masks_phones_unless_unmasked_with_a_reason(city, client, login):
    from sunshine.org.testing import make_household
    from sunshine.stats.export import neutralise, workbook

    data, _ = workbook(title="t", filters=[("f", "=1+1")], headers=["a", "b"],
                       rows=[["=HYPERLINK(\"http://x\")", 5], ["+1", -3], ["@SUM(A1)", "-2"]])
    cells = _sheet(data)
    assert cells[1] == ["f", "'=1+1"]
    assert [r[:2] for r in cells[-3:]] == [["'=HYPERLINK(\"http://x\")", 5.0], ["'+1", -3.0], ["'@SUM(A1)", "'-2"]]
    assert neutralise("普通文字") == "普通文字"

    make_household(city.villages[0], head_name="有电话", phone="13800138000")
    make_household(city.villages[0], head_name="无电话", phone="")
    login(city.accounts["discipline"])  # holds stats.unmask; sees townships[0] through its supervised unit
    masked = _sheet(client.get("/desk/stats/lists/no-phone/?format=xlsx").content)
    assert any(r[3] == "无电话" for r in masked)
    login(city.accounts["office"])
    rows = _sheet(client.get("/desk/stats/lists/no-phone/?format=xlsx").content)
    assert [r[3] for r in rows if r[3] in ("有电话", "无电话")] == ["无电话"]


def test_public_suppression_at_the_boundary_two_and_three():
    assert public.suppress(2) == "<3" and public.suppress(3) == 3 and public.suppress(0) == "<3"


def test_public_page_and_api_suppress_small_counts(city, client):
    from sunshine.cases.tests.builders import submit

    for _ in range(3):
        submit(city, village=0)
    for _ in range(2):
        submit(city, village=2)
    body = client.get("/api/v1/public/stats/").json()
    by_name = {t["name"]: t for t in body["townships"]}
    assert by_name["测试镇1"]["reports"] == 3 and by_name["测试镇2"]["reports"] == "<3"
    assert body["total_reports"] == 5
    page = client.get("/numbers/").content.decode()
    assert "测试镇2" in page and "&lt;3" in page


def test_stats_api_one_path_per_table_scoped(city, client, login):
    _three_cases(city)
    login(city.accounts["township2"])
    body = client.get("/api/v1/stats/reports").json()
    assert body["total"]["cases"] == 1 and [r["label"] for r in body["rows"]] == ["测试村3"]
    login(city.accounts["office"])
    assert client.get("/api/v1/stats/reports?dim=stage").json()["total"]["cases"] == 3
    assert client.get("/api/v1/stats/reports?dim=nope").status_code == 400
    schema = client.get("/api/v1/openapi.json").json()["paths"]
    for slug in ("reports", "deadlines", "disclosure", "money", "sms", "spending"):
        assert f"/api/v1/stats/{slug}" in schema
    assert "/api/v1/public/stats/" in schema


def test_the_brief_is_drafted_edited_issued_kept_and_renders(city, client, login):
    import datetime as dt

    from django.utils import timezone

    _three_cases(city)
    login(city.accounts["office"])
    response = client.post("/desk/stats/briefs/new/", {"kind": "weekly", "end": timezone.localdate().isoformat()})
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    from sunshine.stats.models import Brief

    draft = Brief.objects.get(pk=pk)
    # Two came in this week (the third 30 days ago); the township behind is named by its overdue case.
    assert "共收到举报和问题线索 2 件" in draft.text and "超期件较多的乡镇：测试镇1。" in draft.text
    assert "超期件较多的承办单位：测试镇1人民政府" in draft.text
    client.post(f"/desk/stats/briefs/{pk}/", {"title": "第一周工作简报", "text": "一、情况。\n\n二、下步工作：抓整改。"})
    client.post(f"/desk/stats/briefs/{pk}/issue/")

    brief = Brief.objects.get(pk=pk)
    assert (brief.status, brief.number, brief.title) == ("issued", 1, "第一周工作简报")
    assert brief.period_end - brief.period_start == dt.timedelta(days=6)
    refused = client.post(f"/desk/stats/briefs/{pk}/", {"title": "改", "text": "改"})
    assert refused.status_code == 409 and Brief.objects.get(pk=pk).title == "第一周工作简报"
    docx = client.get(f"/desk/stats/briefs/{pk}/brief.docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "2026年第1期" in text or f"{brief.year}年第1期" in text
    assert "下步工作：抓整改" in text and "各乡镇举报受理情况" in text
    pdf = client.get(f"/desk/stats/briefs/{pk}/brief.pdf")
    assert pdf.content[:4] == b"%PDF"
    login(city.accounts["leader"])
    assert client.get(f"/desk/stats/briefs/{pk}/").status_code == 200


def test_the_homes_case_figures_equal_the_queue_counted_by_hand(city):
    """The home's figures (one pass over the reader's cases; the overdue list's count from the same query as its
    first rows) equal the queue filtered and counted one by one, for every reader."""
    from sunshine.cases import selectors as cases
    from sunshine.cases.choices import CaseStatus
    from sunshine.cases.desk_panels import cases_panel
    from sunshine.stats.desk_panels import _overdue
    from sunshine.stats.tests.test_figures import _three_cases

    _three_cases(city)
    seen = {}
    for who in ("office", "township1", "township2", "discipline", "leader"):
        actor = city.accounts[who]
        queue = cases.case_list_visible_to(actor=actor)
        by_hand = {"办理中": sum(1 for c in queue if c.status != CaseStatus.CLOSED),
                   "超期": sum(1 for c in queue if c.is_overdue),
                   "督办中": sum(1 for c in queue if c.is_urged and c.status != CaseStatus.CLOSED)}
        figures = {str(label): value for label, value in cases_panel(actor).figures}
        assert {k: figures[k] for k in by_hand} == by_hand, who
        listed = _overdue(actor)
        open_overdue = [c.pk for c in queue if c.is_overdue and c.status != CaseStatus.CLOSED]
        assert listed["count"] == len(open_overdue), who
        assert [c.pk for c in listed["cases"]] == open_overdue[:10], who
        seen[who] = (figures["办理中"], listed["count"])
    # Not vacuous: the city sees all three cases and the one overdue, a township only its own.
    assert seen["office"] == (3, 1) and seen["township1"] == (2, 1) and seen["township2"] == (1, 0)

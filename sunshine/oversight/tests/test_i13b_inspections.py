"""Inspections and audits (三(三)2): coverage of every project and fund, and the units and fields proposed for
special inspection or audit with the figures that put them there."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sunshine.cases.tests.builders import submit
from sunshine.funds.services.records import allocation_create
from sunshine.oversight.choices_i13b import InspectionKind
from sunshine.oversight.selectors.inspections import inspection_coverage, special_proposals
from sunshine.oversight.services.inspections import inspection_create

from .i13b_builders import inspection_account, project

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _allocation(city, region, amount, recipient_kind="village"):
    return allocation_create(actor=city.accounts["admin"], level="county", document_number=f"湘乡财〔{YEAR}〕{amount}号",
                             fund_type="产业发展资金", amount=amount, allocated_on=dt.date(YEAR, 3, 1),
                             recipient_kind=recipient_kind, region=region)


@pytest.fixture
def records(city):
    applied = dt.date(YEAR, 1, 10)
    return {
        "p1": project(city, city.accounts["township1"], village=0, name="一村路", applied=applied),
        "p2": project(city, city.accounts["admin"], village=2, name="三村渠", applied=applied),
        "p3": project(city, city.accounts["admin"], village=3, name="四村桥", applied=applied),
        "a1": _allocation(city, city.villages[0], "100000"),
        "a2": _allocation(city, city.villages[2], "300000"),
        "a3": _allocation(city, city.townships[1], "100000", recipient_kind="township"),
    }


def test_coverage_counts_projects_and_funds_reached_by_unit_or_named_directly(city, records):
    inspector = inspection_account(city)
    auditor = inspection_account(city, kind="audit", role="audit", name="市审计局经责审计组")
    inspection_create(actor=inspector, kind=InspectionKind.INSPECTION, title="巡察测试镇1", region=city.townships[0],
                      started_on=dt.date(YEAR, 4, 1), units=[city.township_units[0]])
    inspection_create(actor=auditor, kind=InspectionKind.AUDIT, title="审计三村", region=city.city,
                      started_on=dt.date(YEAR, 5, 1), projects=[records["p2"]], allocations=[records["a2"]])
    c = inspection_coverage(actor=city.accounts["office"])
    assert (c.projects_total, c.projects_covered) == (3, 2)
    assert (c.allocations_total, c.allocations_covered) == (3, 2)
    assert (c.money_total, c.money_covered) == (Decimal("500000"), Decimal("400000"))
    assert [p.name for p in c.uncovered_projects] == ["四村桥"]
    assert [a.pk for a in c.uncovered_allocations] == [records["a3"].pk]


def test_an_inspection_needs_a_target(city):
    with pytest.raises(Exception, match="至少选择一个"):
        inspection_create(actor=inspection_account(city), kind="inspection", title="空", region=city.city,
                          started_on=dt.date(YEAR, 1, 1))


def test_townships_with_concentrated_clues_or_large_money_are_proposed_with_their_figures(city, records):
    for _ in range(5):
        submit(city, village=0)
    submit(city, village=2)
    rows = {(p.kind, p.name): p for p in special_proposals(actor=city.accounts["office"], year=YEAR)}
    t1, t2 = rows[("乡镇", "测试镇1")], rows[("乡镇", "测试镇2")]
    # Clues 5 and 1 (average 3.0): 5 ≥ 1.5 × 3 and ≥ 3. Money 100,000 and 400,000 (average 250,000): 400,000 ≥ 1.5 ×.
    assert t1.reasons == ["问题线索 5 件,为平均 3.0 件的 1.7 倍"]
    assert t2.reasons == ["扶贫资金 400,000.00 元,为平均 250,000.00 元的 1.6 倍"]


def test_a_unit_with_one_clue_is_not_proposed(city, records):
    submit(city, village=0)
    names = [p.name for p in special_proposals(actor=city.accounts["office"], year=YEAR) if p.kind == "乡镇"]
    assert "测试镇1" not in names


def test_the_inspections_api_lists_scoped_and_answers_coverage(login, city, records):
    inspector = inspection_account(city)
    inspection_create(actor=inspector, kind=InspectionKind.INSPECTION, title="巡察测试镇1", region=city.townships[0],
                      started_on=dt.date(YEAR, 4, 1), units=[city.township_units[0]])
    body = login(inspector).get("/api/v1/oversight/inspections").json()
    assert body["count"] == 1 and body["items"][0]["targets"] == [
        {"kind": "unit", "id": city.township_units[0].pk, "name": "测试镇1人民政府"}]
    assert login(city.accounts["township2"]).get("/api/v1/oversight/inspections").json()["count"] == 0
    coverage = login(city.accounts["office"]).get("/api/v1/oversight/inspections/coverage").json()
    assert (coverage["projects_covered"], coverage["allocations_covered"]) == (1, 1)


def test_a_finding_becomes_a_rectification_item_of_the_responsible_unit(city, records):
    from sunshine.oversight.models import RectificationItem
    from sunshine.oversight.services.inspections import inspection_finding_add

    inspector = inspection_account(city)
    inspection = inspection_create(actor=inspector, kind=InspectionKind.INSPECTION, title="巡察测试镇1",
                                   region=city.townships[0], started_on=dt.date(YEAR, 4, 1),
                                   units=[city.township_units[0]])
    deadline = timezone.localdate() + dt.timedelta(days=30)
    finding = inspection_finding_add(actor=inspector, inspection=inspection, unit=city.township_units[0],
                                     text="项目资金未按时公示", deadline=deadline, amount=Decimal("12000"))
    item = RectificationItem.objects.get(pk=finding.rectification_id)
    assert (item.source_kind, item.source_id, item.owner_unit, item.deadline, item.status) == (
        "inspection", finding.pk, city.township_units[0], deadline, "open")
    assert finding.status == "sent"

"""Less burden on villages (三(二)4): data requests beyond the annual filing refused, relayed documents flagged,
assessments of villages only from above, project filing handling times and the waiting list."""
import datetime as dt

import pytest

from sunshine.core.errors import ApplicationError
from sunshine.core.plan import plan_value_set
from sunshine.oversight.choices_i13b import AssessmentStatus, BasisLevel, DataRequestKind, DataRequestStatus
from sunshine.oversight.models import DataRequest
from sunshine.oversight.selectors import burden as selectors
from sunshine.oversight.services import burden as services

from .i13b_builders import project

pytestmark = pytest.mark.django_db
API = "/api/v1/oversight"


def _request(city, actor, kind, **extra):
    return services.data_request_register(
        actor=actor, region=city.townships[0], kind=kind, title=extra.pop("title", "年度数据"),
        fields=extra.pop("fields", ["户数", "人口"]), purpose="统计", deadline=dt.date(2026, 12, 1), year=extra.pop("year", 2026), **extra)


def test_the_annual_filing_is_registered_once_and_a_second_one_the_same_year_is_refused(city):
    first = _request(city, city.accounts["office"], DataRequestKind.ANNUAL_FILING)
    second = _request(city, city.accounts["department"], DataRequestKind.ANNUAL_FILING)
    assert first.status == DataRequestStatus.REGISTERED
    assert second.status == DataRequestStatus.REFUSED
    assert "2026 年的建档立卡数据填报已由市专项治理办" in second.refusal_reason
    # Next year has its own filing.
    assert _request(city, city.accounts["office"], DataRequestKind.ANNUAL_FILING,
                    year=2027).status == DataRequestStatus.REGISTERED


def test_any_other_data_request_is_refused_and_offered_what_the_platform_holds(city):
    refused = _request(city, city.accounts["department"], DataRequestKind.OTHER,
                       fields=["贫困户人口", "项目进度", "到户补贴发放"])
    assert refused.status == DataRequestStatus.REFUSED
    assert "三(二)4" in refused.refusal_reason
    assert [a["label"] for a in refused.alternatives] == [
        "建档立卡户名册(可按村导出)", "扶贫项目台账(含审批、备案、进度)", "到户资金发放记录"]
    assert DataRequest.objects.filter(status=DataRequestStatus.REFUSED).count() == 1


def test_the_api_answers_a_refused_request_409_with_the_reason_and_alternatives(login, city):
    client = login(city.accounts["township1"])
    body = {"region_code": city.villages[0].code, "kind": "other", "title": "产业发展情况表",
            "fields": ["种植面积"], "purpose": "汇总", "deadline": "2026-12-20"}
    response = client.post(f"{API}/data-requests", body, content_type="application/json")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "data_request_refused"
    assert data["alternatives"] == [{"label": "建档立卡户名册(可按村导出)", "url": "/desk/households/"}]
    listed = client.get(f"{API}/data-requests").json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "refused"


def test_data_requests_are_scoped_the_other_township_sees_none(login, city):
    _request(city, city.accounts["township1"], DataRequestKind.OTHER)
    assert login(city.accounts["township2"]).get(f"{API}/data-requests").json()["count"] == 0
    assert login(city.accounts["office"]).get(f"{API}/data-requests").json()["count"] == 1


def test_anonymous_callers_get_401(client):
    assert client.get(f"{API}/data-requests").status_code == 401
    assert client.get(f"{API}/documents").status_code == 401


def test_a_forward_without_measures_is_flagged_and_one_with_measures_is_not(city):
    office, township = city.accounts["office"], city.accounts["township1"]
    city_doc = services.document_register(actor=office, number="湘乡治理办〔2026〕1号", title="专项治理方案",
                                          issued_on=dt.date(2026, 3, 1), forwards_number="湘潭纪〔2026〕3号")
    relay = services.document_register(actor=township, number="测试镇〔2026〕5号", title="转发专项治理方案",
                                       issued_on=dt.date(2026, 3, 5), forwards=city_doc)
    own = services.document_register(actor=township, number="测试镇〔2026〕6号", title="本镇实施细则",
                                     issued_on=dt.date(2026, 3, 6), forwards=city_doc, has_measures=True)
    plain = services.document_register(actor=township, number="测试镇〔2026〕7号", title="会议通知",
                                       issued_on=dt.date(2026, 3, 7))
    assert (city_doc.is_relay, relay.is_relay, own.is_relay, plain.is_relay) == (True, True, False, False)
    flagged = selectors.documents_visible(actor=office, relay_only=True)
    assert sorted(d.number for d in flagged) == ["测试镇〔2026〕5号", "湘乡治理办〔2026〕1号"]
    assert [d.number for d in selectors.document_chain(relay)] == ["测试镇〔2026〕5号", "湘乡治理办〔2026〕1号"]


def test_a_document_number_twice_is_refused(city):
    services.document_register(actor=city.accounts["office"], number="X〔2026〕1号", title="甲",
                               issued_on=dt.date(2026, 1, 5))
    with pytest.raises(ApplicationError, match="已登记"):
        services.document_register(actor=city.accounts["office"], number="X〔2026〕1号", title="乙",
                                   issued_on=dt.date(2026, 1, 6))


def test_an_assessment_of_villages_is_registered_only_when_set_from_above(city):
    dept = city.accounts["department"]
    own = services.village_assessment_register(actor=dept, title="农业产业考核", year=2026, region=city.city,
                                               basis_level=BasisLevel.NONE)
    no_document = services.village_assessment_register(actor=dept, title="省级考核", year=2026, region=city.city,
                                                       basis_level=BasisLevel.PROVINCE)
    above = services.village_assessment_register(actor=dept, title="省级考核", year=2026, region=city.city,
                                                 basis_level=BasisLevel.PROVINCE, basis_document="湘扶发〔2026〕2号")
    assert [own.status, no_document.status, above.status] == [
        AssessmentStatus.REFUSED, AssessmentStatus.REFUSED, AssessmentStatus.REGISTERED]
    assert "上级确定的考核评估" in own.refusal_reason


def test_filing_times_per_township_give_the_median_and_the_slowest(city):
    t1 = city.accounts["township1"]
    # 测试镇1: totals 10, 20 and 40 days (median 20, slowest the 40); one not yet filed does not count.
    project(city, t1, name="甲", applied=dt.date(2026, 3, 1), approved=dt.date(2026, 3, 6), filed=dt.date(2026, 3, 11))
    project(city, t1, name="乙", applied=dt.date(2026, 3, 1), approved=dt.date(2026, 3, 11), filed=dt.date(2026, 3, 21))
    project(city, t1, name="丙", village=1, applied=dt.date(2026, 3, 1), approved=dt.date(2026, 3, 31),
            filed=dt.date(2026, 4, 10))
    project(city, t1, name="丁", applied=dt.date(2026, 3, 1), approved=dt.date(2026, 3, 2))
    project(city, city.accounts["township2"], village=2, name="戊", applied=dt.date(2026, 5, 1),
            approved=dt.date(2026, 5, 2), filed=dt.date(2026, 5, 4))
    rows = {u.unit_name: u for u in selectors.filing_times(actor=city.accounts["office"])}
    t = rows["测试镇1"]
    assert (len(t.projects), t.filed_count, t.median_total) == (4, 3, 20)
    assert t.median_approval == 7.5  # 5, 10, 30, 1
    assert t.median_filing == 10  # 5, 10, 10
    assert (t.slowest_total.project.name, t.slowest_total.total) == ("丙", 40)
    assert rows["测试镇2"].median_total == 3
    # Jurisdiction: a township sees its own only.
    assert [u.unit_name for u in selectors.filing_times(actor=t1)] == ["测试镇1"]


def test_projects_waiting_longer_than_the_years_limit_are_listed(city):
    t1 = city.accounts["township1"]
    today = dt.date(2026, 6, 30)
    project(city, t1, name="待审批21天", applied=dt.date(2026, 6, 9))
    project(city, t1, name="待审批20天", applied=dt.date(2026, 6, 10))
    project(city, t1, name="待备案30天", applied=dt.date(2026, 5, 1), approved=dt.date(2026, 5, 31))
    project(city, t1, name="已备案", applied=dt.date(2026, 1, 1), approved=dt.date(2026, 2, 1), filed=dt.date(2026, 5, 1))
    limit, waiting = selectors.filing_waiting(actor=city.accounts["office"], today=today)
    assert limit == 20
    assert [(w.project.name, w.stage, w.days) for w in waiting] == [("待备案30天", "待登记备案", 30),
                                                                     ("待审批21天", "待审批", 21)]
    plan_value_set(actor=city.accounts["admin"], year=2026, param="oversight.filing.wait_days", value=25)
    limit, waiting = selectors.filing_waiting(actor=city.accounts["office"], today=today)
    assert (limit, [w.project.name for w in waiting]) == (25, ["待备案30天"])

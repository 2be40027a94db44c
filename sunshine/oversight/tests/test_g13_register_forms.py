"""The desk forms for training plans, grids (with their workers) and assessments of villages: a POST creates the
record through the service and the list page shows it; an assessment not set from above is refused with the reason."""
import pytest

from sunshine.org import services as org_services

pytestmark = pytest.mark.django_db


def test_the_office_registers_a_training_plan_and_the_trainings_page_shows_it(login, city):
    from sunshine.oversight.models import TrainingPlan

    client = login(city.accounts["office"])
    assert 'href="/desk/oversight/trainings/plans/new/"' in client.get("/desk/oversight/trainings/").content.decode()
    assert client.get("/desk/oversight/trainings/plans/new/").status_code == 200
    response = client.post("/desk/oversight/trainings/plans/new/", {"year": "2026", "title": "2026年扶贫干部培训计划",
                                                                     "content": "分三期"}, follow=True)
    assert response.redirect_chain == [("/desk/oversight/trainings/?year=2026", 302)]
    assert "2026年扶贫干部培训计划" in response.content.decode()
    assert TrainingPlan.objects.filter(year=2026).count() == 1
    again = client.post("/desk/oversight/trainings/plans/new/", {"year": "2026", "title": "重复", "content": ""})
    assert again.status_code == 200 and "2026 年培训计划已登记" in again.content.decode()


def test_a_township_registers_a_grid_with_its_group_and_worker(login, city):
    org_services.person_create(actor=None, name="网格员甲", unit=city.village_units[0])
    client = login(city.accounts["township1"])
    assert 'href="/desk/oversight/grids/new/"' in client.get("/desk/oversight/grids/").content.decode()
    response = client.post("/desk/oversight/grids/new/", {
        "village": str(city.villages[0].pk), "name": "第一网格", "groups": "一组", "workers": "网格员甲"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "第一网格" in html and "网格员甲" in html and "一组" in html
    unknown = client.post("/desk/oversight/grids/new/", {
        "village": str(city.villages[0].pk), "name": "第二网格", "groups": "一组", "workers": "无名氏"})
    html = unknown.content.decode()
    assert unknown.status_code == 200 and "无名氏：查无此人" in html
    taken = client.post("/desk/oversight/grids/new/", {
        "village": str(city.villages[0].pk), "name": "第二网格", "groups": "一组", "workers": ""})
    assert "所选村民小组已划入网格：第一网格" in taken.content.decode()


def test_a_department_registers_an_assessment_set_from_above_and_is_refused_its_own(login, city):
    from sunshine.oversight.models import VillageAssessment

    client = login(city.accounts["department"])
    assert 'href="/desk/oversight/village-assessments/new/"' in client.get(
        "/desk/oversight/documents/").content.decode()
    response = client.post("/desk/oversight/village-assessments/new/", {
        "region": str(city.city.pk), "title": "省级产业考核", "year": "2026", "basis_level": "province",
        "basis_document": "湘扶发〔2026〕2号"}, follow=True)
    assert response.redirect_chain == [("/desk/oversight/documents/", 302)]
    assert "省级产业考核" in response.content.decode()
    refused = client.post("/desk/oversight/village-assessments/new/", {
        "region": str(city.city.pk), "title": "本局自行考核", "year": "2026", "basis_level": "none",
        "basis_document": ""})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "未予登记" in html and "不得单独组织对村的考核评估" in html
    assert list(VillageAssessment.objects.order_by("pk").values_list("title", "status")) == [
        ("省级产业考核", "registered"), ("本局自行考核", "refused")]

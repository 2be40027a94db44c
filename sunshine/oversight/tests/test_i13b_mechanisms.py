"""Lasting mechanisms (三(四)): the public micro-power list (paged), grids with their reports, weak village party
organisations, sector tasks unfinished at year end."""
import datetime as dt

import pytest
from django.utils import timezone

from sunshine.cases.tests.builders import submit
from sunshine.core.errors import ApplicationError
from sunshine.oversight.selectors import mechanisms as selectors
from sunshine.oversight.services import mechanisms as services

pytestmark = pytest.mark.django_db
STEPS = [("提议", "村党支部"), ("商议", "村“两委”"), ("决议", "村民代表会议")]


def _list(city, village=0, n=3):
    for i in range(n):
        services.micro_power_add(actor=city.accounts["township1"], village=city.villages[village], category="决策",
                                 title=f"事项{i + 1}", responsible_post="村党支部书记", steps=STEPS)


def test_the_public_micro_power_list_is_paged_with_items_and_count(client, city):
    _list(city)
    url = f"/api/v1/public/villages/{city.villages[0].code}/micro-powers"
    first = client.get(url, {"limit": 2}).json()
    assert first["count"] == 3
    assert [i["title"] for i in first["items"]] == ["事项1", "事项2"]
    assert first["items"][0]["steps"] == [{"order": 1, "name": "提议", "responsible_post": "村党支部"},
                                          {"order": 2, "name": "商议", "responsible_post": "村“两委”"},
                                          {"order": 3, "name": "决议", "responsible_post": "村民代表会议"}]
    rest = client.get(url, {"limit": 2, "offset": 2}).json()
    assert (rest["count"], [i["order"] for i in rest["items"]]) == (3, [3])
    assert client.get("/api/v1/public/villages/999999999999/micro-powers").status_code == 404
    assert client.get(f"/api/v1/public/villages/{city.villages[1].code}/micro-powers").json() == {
        "items": [], "count": 0}


def test_the_village_page_shows_its_micro_power_list(client, city):
    _list(city, n=1)
    html = client.get(f"/funds/village/{city.villages[0].code}/").content.decode()
    assert "小微权力清单" in html and "事项1" in html and "村民代表会议" in html


def test_a_township_keeps_lists_only_for_its_own_villages_and_copies_one_to_others(city):
    with pytest.raises(ApplicationError):
        services.micro_power_add(actor=city.accounts["township1"], village=city.villages[2], category="决策",
                                 title="越界", responsible_post="书记", steps=STEPS)
    _list(city, n=2)
    assert services.micro_power_list_copy(actor=city.accounts["township1"], source=city.villages[0],
                                          villages=[city.villages[1]]) == 1
    _, items = selectors.micro_powers_of_village(actor=city.accounts["office"], village_id=city.villages[1].pk)
    assert [(i.title, i.steps.count()) for i in items] == [("事项1", 3), ("事项2", 3)]


def test_a_grid_counts_the_reports_of_its_villager_groups(city):
    grid = services.grid_create(actor=city.accounts["township1"], village=city.villages[0], name="第一网格",
                                groups=[city.groups[0]])
    submit(city, region=city.groups[0])
    submit(city, region=city.groups[0])
    submit(city, village=0)  # the village itself, not a grid's group
    rows = selectors.grids_with_counts(actor=city.accounts["office"], year=timezone.localdate().year)
    assert [(r.grid.pk, r.reports) for r in rows] == [(grid.pk, 2)]
    with pytest.raises(ApplicationError, match="已划入网格"):
        services.grid_create(actor=city.accounts["township1"], village=city.villages[0], name="第二网格",
                             groups=[city.groups[0]])


def test_a_weak_organisation_is_designated_once_until_lifted(city):
    office = city.accounts["office"]
    weak = services.weak_org_designate(actor=office, village=city.villages[0], year=2026, reasons="班子不团结",
                                       designated_on=dt.date(2026, 2, 1))
    with pytest.raises(ApplicationError, match="尚未销号"):
        services.weak_org_designate(actor=office, village=city.villages[0], year=2026, reasons="再认定",
                                    designated_on=dt.date(2026, 3, 1))
    lifted = services.weak_org_lift(actor=office, weak_org=weak, lifted_on=dt.date(2026, 9, 1), note="整改到位")
    assert lifted.lifted_on == dt.date(2026, 9, 1)
    assert selectors.weak_orgs_visible(actor=office, active_only=True).count() == 0
    with pytest.raises(ApplicationError):
        services.weak_org_designate(actor=city.accounts["township1"], village=city.villages[0], year=2026,
                                    reasons="乡镇无权认定", designated_on=dt.date(2026, 10, 1))


def test_unfinished_tasks_are_listed_after_year_end_and_past_due_during_the_year(login, city):
    dept = city.accounts["department"]
    a = services.dept_task_create(actor=dept, year=2025, title="危房改造", target=40, due_on=dt.date(2025, 11, 30))
    b = services.dept_task_create(actor=dept, year=2025, title="产业基地", target=3, due_on=dt.date(2025, 12, 31))
    services.dept_task_progress(actor=dept, task=a, completed=40, on_date=dt.date(2025, 11, 20))
    services.dept_task_progress(actor=dept, task=b, completed=2)
    ended, rows = selectors.dept_tasks_unfinished(actor=dept, year=2025, today=dt.date(2026, 1, 5))
    assert ended and [t.title for t in rows] == ["产业基地"]
    c = services.dept_task_create(actor=dept, year=2026, title="饮水工程", target=12, due_on=dt.date(2026, 6, 30))
    services.dept_task_create(actor=dept, year=2026, title="技能培训", target=300, due_on=dt.date(2026, 12, 31))
    ended, rows = selectors.dept_tasks_unfinished(actor=dept, year=2026, today=dt.date(2026, 7, 1))
    assert not ended and [t.pk for t in rows] == [c.pk]
    body = login(city.accounts["office"]).get("/api/v1/oversight/tasks/unfinished?year=2025").json()
    assert (body["year_ended"], body["count"], body["items"][0]["title"]) == (True, 1, "产业基地")
    assert login(city.accounts["township1"]).get("/api/v1/oversight/tasks?year=2025").json()["count"] == 0


def test_a_weak_organisation_is_lifted_only_after_its_rectification_items_are_confirmed(city):
    from sunshine.oversight.models import RectificationItem

    office = city.accounts["office"]
    weak = services.weak_org_designate(actor=office, village=city.villages[0], year=2026, reasons="班子软弱",
                                       designated_on=dt.date(2026, 2, 1))
    item = services.weak_org_rectification_add(actor=office, weak_org=weak, title="调整村两委班子",
                                               deadline=timezone.localdate() + dt.timedelta(days=30))
    assert [i.pk for i in selectors.weak_org_items(weak_org=weak)] == [item.pk]
    assert item.owner_unit == city.village_units[0]
    with pytest.raises(ApplicationError, match="还有 1 项整改未经回头看销号:调整村两委班子"):
        services.weak_org_lift(actor=office, weak_org=weak, lifted_on=timezone.localdate(), note="整改到位")
    RectificationItem.objects.filter(pk=item.pk).update(status="confirmed", done_on=timezone.localdate())
    assert services.weak_org_lift(actor=office, weak_org=weak, lifted_on=timezone.localdate(),
                                  note="整改到位").lifted_on == timezone.localdate()

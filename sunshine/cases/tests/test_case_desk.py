"""The case desk in the officer's words: steps, one transfer mechanism, 承办人, 督办, exposure approval, filters."""
import datetime as dt

import pytest
from django.urls import reverse

from sunshine.cases import selectors, services
from sunshine.cases.choices import CaseStatus, EventKind, ExposureStatus, Priority, TransferKind
from sunshine.cases.models import Case, CaseEvent, CaseTransfer, CaseUrge, ClassifierExample, Exposure
from sunshine.cases.services.deadlines import today_local
from sunshine.cases.transitions import STEPS, allowed_transitions
from sunshine.core.errors import ApplicationError, Forbidden, NotFound
from sunshine.org import services as org_services
from sunshine.org.choices import Post, Role
from sunshine.org.models import ProblemType
from sunshine.org.testing import make_account

from .builders import submit, to_concluded, walk

pytestmark = pytest.mark.django_db
D = dt.date


def make_head(account, post=Post.TOWNSHIP_SECRETARY):
    """Give `account`'s person the head post of their unit (the one who names the 承办人)."""
    org_services.position_start(actor=None, person=account.person, unit=account.unit, post=post, start_date=D(2024, 1, 1))
    return account


@pytest.fixture
def clerk(city):
    """A second officer of 测试镇1人民政府, with no head post."""
    return make_account("clerk1", Role.TOWNSHIP, city.township_units[0])


# ---- the steps in the officer's words ----------------------------------------------------------------------------

def test_every_step_is_named_as_the_officer_says_it_and_says_what_it_does():
    labels = {str(s.label) for s in STEPS}
    assert {"受理", "转办", "初核", "立案审查", "作出结论", "答复举报人", "办结"} <= labels
    assert all(str(s.does) for s in STEPS)


def test_the_reply_is_asked_at_the_reply_step_and_the_reporter_reads_it_from_then_on(city):
    _, case, code = submit(city)
    officer = city.accounts["township1"]
    case = walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED)
    with pytest.raises(ApplicationError) as exc:
        services.case_transition(case=case, to=CaseStatus.REPLY, actor=officer)
    assert exc.value.code == "required" and Case.objects.get(pk=case.pk).status == CaseStatus.CONCLUDED
    services.case_transition(case=case, to=CaseStatus.REPLY, actor=officer, result="经核查属实,已整改。")
    status = selectors.report_status_for_receipt(receipt_code=code)
    assert status.result == "经核查属实,已整改。" and not status.closed
    case = services.case_transition(case=case, to=CaseStatus.CLOSED, actor=officer)
    assert case.status == CaseStatus.CLOSED and case.result_for_reporter == "经核查属实,已整改。"


def test_closing_asks_for_nothing_more(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    case = walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED, CaseStatus.REPLY)
    step = next(s for s in allowed_transitions(case=case, actor=officer) if s.target == CaseStatus.CLOSED)
    assert str(step.label) == "办结" and step.needs == ()


# ---- one transfer mechanism --------------------------------------------------------------------------------------

def test_every_change_of_unit_is_one_transfer_row_of_its_kind(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    walk(case, officer, CaseStatus.SCREENING, CaseStatus.TRANSFERRED,
         **{CaseStatus.TRANSFERRED: {"to_unit": city.department}})
    _, other, _ = submit(city, text="低保评议走过场")
    services.case_mark_suspected(case=other, actor=officer, reason="村干部优亲厚友")
    _, third, _ = submit(city, text="扶贫项目验收走过场", problem_type_number=5)
    services.case_escalate_level(case=third, actor=city.accounts["discipline"], reason="涉及村干部")
    kinds = {c: list(CaseTransfer.objects.filter(case=c).order_by("pk").values_list("kind", flat=True))
             for c in (case, other, third)}
    assert kinds[case] == [TransferKind.ROUTED, TransferKind.HANDOVER]
    assert kinds[other] == [TransferKind.ROUTED, TransferKind.REFERRAL]
    assert kinds[third] == [TransferKind.ROUTED, TransferKind.ESCALATE]
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED and case.handling_unit == city.department


def test_case_transfer_refers_an_open_case_keeping_its_stage_with_a_reason(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    case = walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY)
    case = services.case_transfer(case=case, to_unit=city.discipline_room, actor=officer, reason="涉嫌截留补助")
    assert case.status == CaseStatus.PRELIMINARY and case.handling_unit == city.discipline_room
    assert case.suspected_violation  # a discipline unit has it now
    transfer = CaseTransfer.objects.filter(case=case).latest("pk")
    assert (transfer.kind, transfer.from_unit, transfer.reason) == (TransferKind.REFERRAL, city.township_units[0],
                                                                    "涉嫌截留补助")
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TRANSFER, data__transfer_kind="referral").exists()


def test_case_transfer_refuses_no_reason_the_same_unit_a_closed_case_and_another_units_officer(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    with pytest.raises(ApplicationError) as exc:
        services.case_transfer(case=case, to_unit=city.department, actor=officer, reason=" ")
    assert exc.value.code == "required"
    with pytest.raises(ApplicationError) as exc:
        services.case_transfer(case=case, to_unit=city.township_units[0], actor=officer, reason="移送")
    assert exc.value.code == "same_unit"
    with pytest.raises(Forbidden):
        services.case_transfer(case=case, to_unit=city.department, actor=city.accounts["discipline"], reason="移送")
    with pytest.raises(NotFound):
        services.case_transfer(case=case, to_unit=city.department, actor=city.accounts["township2"], reason="移送")
    closed = walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED,
                  CaseStatus.REPLY, CaseStatus.CLOSED)
    with pytest.raises(ApplicationError) as exc:
        services.case_transfer(case=closed, to_unit=city.department, actor=officer, reason="移送")
    assert exc.value.code == "closed"
    assert CaseTransfer.objects.filter(case=case).count() == 1  # only the routing at intake


# ---- priority ----------------------------------------------------------------------------------------------------

def test_case_set_priority_changes_the_order_and_records_why(city):
    _, case, _ = submit(city, village=1, text="请问村部周末几点开门")
    assert case.priority == Priority.NORMAL
    case = services.case_set_priority(case=case, actor=city.accounts["township1"], priority=Priority.POVERTY,
                                      reason="涉及危房改造补助")
    assert Case.objects.get(pk=case.pk).priority == Priority.POVERTY
    event = CaseEvent.objects.get(case=case, kind=EventKind.PRIORITY)
    assert (event.data, event.reason) == ({"priority": Priority.POVERTY}, "涉及危房改造补助")
    services.case_set_priority(case=case, actor=city.accounts["township1"], priority=Priority.POVERTY)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PRIORITY).count() == 1  # no change, no line


def test_case_set_priority_refuses_an_unknown_priority_and_other_units(city):
    _, case, _ = submit(city)
    with pytest.raises(ApplicationError) as exc:
        services.case_set_priority(case=case, actor=city.accounts["township1"], priority=9)
    assert exc.value.code == "invalid"
    with pytest.raises(Forbidden):
        services.case_set_priority(case=case, actor=city.accounts["leader"], priority=Priority.NORMAL)
    with pytest.raises(NotFound):
        services.case_set_priority(case=case, actor=city.accounts["township2"], priority=Priority.NORMAL)
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.PRIORITY).exists()


# ---- 承办人 ------------------------------------------------------------------------------------------------------

def test_the_units_head_names_a_handler_who_sees_my_cases_and_a_reassignment_is_recorded(city, clerk):
    head = make_head(city.accounts["township1"])
    _, case, _ = submit(city)
    _, other, _ = submit(city, text="另一件")
    services.case_assign_handler(case=case, actor=head, handler_id=clerk.pk)
    mine = selectors.case_list_visible_to(actor=clerk, mine=True)
    assert list(mine) == [Case.objects.get(pk=case.pk)] and other not in mine
    services.case_assign_handler(case=case, actor=head, handler_id=head.pk)
    event = CaseEvent.objects.filter(case=case, kind=EventKind.HANDLER).latest("pk")
    assert event.data == {"handler": head.display_name, "previous": clerk.display_name}
    assert CaseEvent.objects.filter(case=case, kind=EventKind.HANDLER).count() == 2


def test_only_the_head_names_a_handler_and_only_from_the_handling_unit(city, clerk):
    head = make_head(city.accounts["township1"])
    _, case, _ = submit(city)
    with pytest.raises(Forbidden):
        services.case_assign_handler(case=case, actor=clerk, handler_id=clerk.pk)
    with pytest.raises(ApplicationError) as exc:
        services.case_assign_handler(case=case, actor=head, handler_id=city.accounts["township2"].pk)
    assert exc.value.code == "handler_not_in_unit"
    assert Case.objects.get(pk=case.pk).handler is None


def test_a_transfer_clears_the_handler_for_the_new_units_head(city, clerk):
    head = make_head(city.accounts["township1"])
    _, case, _ = submit(city)
    services.case_assign_handler(case=case, actor=head, handler_id=clerk.pk)
    case = services.case_transfer(case=case, to_unit=city.department, actor=clerk, reason="属部门职责")
    assert Case.objects.get(pk=case.pk).handler is None


# ---- 督办 --------------------------------------------------------------------------------------------------------

def test_the_office_and_a_city_leader_urge_a_case_and_it_tops_the_handlers_list(city):
    _, first, _ = submit(city)
    _, urged, _ = submit(city, village=1, text="请问村部周末几点开门")  # normal priority: last without the urge
    due = today_local() + dt.timedelta(days=7)
    services.case_urge(case=urged, actor=city.accounts["office"], note="群众多次反映,请加快办理", due_on=due)
    services.case_urge(case=urged, actor=city.accounts["leader"], note="请按期办结", due_on=due)
    queue = list(selectors.case_list_visible_to(actor=city.accounts["township1"]))
    assert queue[0] == urged and queue[1] == first
    assert [u.case_id for u in selectors.urges_open_for(actor=city.accounts["township1"])] == [urged.pk, urged.pk]
    counts = selectors.urge_counts(actor=city.accounts["office"])
    assert (counts.total, counts.open, counts.open_overdue, counts.cases) == (2, 2, 0, 1)
    assert selectors.urge_counts(actor=city.accounts["township2"]).total == 0  # not in their jurisdiction


def test_urging_is_refused_to_handlers_without_a_note_with_a_past_date_and_on_a_closed_case(city):
    _, case, _ = submit(city)
    due = today_local() + dt.timedelta(days=3)
    with pytest.raises(Forbidden):
        services.case_urge(case=case, actor=city.accounts["township1"], note="快办", due_on=due)
    with pytest.raises(ApplicationError) as exc:
        services.case_urge(case=case, actor=city.accounts["office"], note=" ", due_on=due)
    assert exc.value.code == "required"
    with pytest.raises(ApplicationError) as exc:
        services.case_urge(case=case, actor=city.accounts["office"], note="快办", due_on=today_local() - dt.timedelta(1))
    assert exc.value.code == "past_date"
    closed = walk(case, city.accounts["township1"], CaseStatus.SCREENING, CaseStatus.PRELIMINARY,
                  CaseStatus.CONCLUDED, CaseStatus.REPLY, CaseStatus.CLOSED)
    with pytest.raises(ApplicationError) as exc:
        services.case_urge(case=closed, actor=city.accounts["office"], note="快办", due_on=due)
    assert exc.value.code == "closed"
    assert not CaseUrge.objects.exists()


def test_an_urge_ends_when_the_case_is_closed_and_counts_as_overdue_while_open_past_its_date(city):
    _, case, _ = submit(city)
    services.case_urge(case=case, actor=city.accounts["office"], note="请办理", due_on=today_local())
    later = today_local() + dt.timedelta(days=1)
    assert selectors.urge_counts(actor=city.accounts["office"], today=later).open_overdue == 1
    walk(case, city.accounts["township1"], CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED,
         CaseStatus.REPLY, CaseStatus.CLOSED)
    counts = selectors.urge_counts(actor=city.accounts["office"], today=later)
    assert (counts.total, counts.open, counts.open_overdue) == (1, 0, 0)


# ---- 通报曝光 needs a second person -------------------------------------------------------------------------------

def _proposed(city):
    _, case, _ = submit(city, text="村会计冒领低保金", problem_type_number=16)
    case = to_concluded(case, city.accounts["discipline"])
    return services.exposure_propose(case=case, actor=city.accounts["discipline"], title="关于冒领低保金问题的通报",
                                     body="经查,李会计冒领低保金。",
                                     people=[services.ExposedPerson(name="李会计", title="村会计")])


def test_a_proposed_exposure_is_not_public_until_the_office_approves_it(city):
    exposure = _proposed(city)
    assert exposure.status == ExposureStatus.PENDING and exposure.published_at is None
    assert not selectors.exposure_list_public().exists()
    assert list(selectors.exposures_awaiting_review(actor=city.accounts["office"])) == [exposure]
    services.exposure_review(exposure=exposure, actor=city.accounts["office"], approve=True)
    assert list(selectors.exposure_list_public()) == [exposure]
    exposure.refresh_from_db()
    assert exposure.published_by == city.accounts["office"]


def test_the_office_sends_an_exposure_back_with_a_comment_and_it_is_proposed_again(city):
    exposure = _proposed(city)
    with pytest.raises(ApplicationError) as exc:
        services.exposure_review(exposure=exposure, actor=city.accounts["office"], approve=False)
    assert exc.value.code == "required"
    services.exposure_review(exposure=exposure, actor=city.accounts["office"], approve=False,
                             comment="请写明处分种类")
    exposure.refresh_from_db()
    assert (exposure.status, exposure.review_comment) == (ExposureStatus.RETURNED, "请写明处分种类")
    assert not selectors.exposure_list_public().exists()
    again = services.exposure_propose(case=exposure.case, actor=city.accounts["discipline"],
                                      title="关于冒领低保金问题的通报", body="经查,李会计冒领低保金,受到党内警告处分。",
                                      people=[services.ExposedPerson(name="李会计")])
    assert again.pk == exposure.pk and again.status == ExposureStatus.PENDING
    assert "党内警告" in again.body and Exposure.objects.count() == 1


def test_nobody_approves_their_own_exposure_and_only_the_office_reviews(city):
    exposure = _proposed(city)
    exposure.proposed_by = city.accounts["office"]
    exposure.save(update_fields=["proposed_by"])
    with pytest.raises(Forbidden):
        services.exposure_review(exposure=exposure, actor=city.accounts["office"], approve=True)
    with pytest.raises(Forbidden):
        services.exposure_review(exposure=exposure, actor=city.accounts["discipline"], approve=True)
    exposure.refresh_from_db()
    assert exposure.status == ExposureStatus.PENDING


def test_a_pending_exposure_cannot_be_proposed_twice_nor_reviewed_twice(city):
    exposure = _proposed(city)
    with pytest.raises(ApplicationError) as exc:
        services.exposure_propose(case=exposure.case, actor=city.accounts["discipline"], title="再来", body="x",
                                  people=[])
    assert exc.value.code == "already_exposed"
    services.exposure_review(exposure=exposure, actor=city.accounts["office"], approve=True)
    with pytest.raises(ApplicationError) as exc:
        services.exposure_review(exposure=exposure, actor=city.accounts["office"], approve=False, comment="撤回")
    assert exc.value.code == "not_pending"


# ---- 召回 only within the case -----------------------------------------------------------------------------------

def _work_team_member(city, village_index: int, name: str):
    from sunshine.org.choices import UnitKind

    village = city.villages[village_index]
    team = org_services.unit_create(actor=None, name=f"驻{village.name}工作队", kind=UnitKind.WORK_TEAM, territory=village)
    person = org_services.person_create(actor=None, name=name, unit=team)
    return org_services.position_start(actor=None, person=person, unit=team, post=Post.WORK_TEAM_MEMBER, start_date=D(2024, 1, 1))


def test_a_discipline_room_cannot_recall_a_cadre_of_another_township_unrelated_to_the_case(city):
    _, case, _ = submit(city, problem_type_number=16)  # 测试镇1, handled by the room
    case = to_concluded(case, city.accounts["discipline"])
    elsewhere = _work_team_member(city, 2, "吴队员")  # 测试镇2
    with pytest.raises(NotFound):
        services.recall_record(case=case, actor=city.accounts["discipline"], position=elsewhere,
                               kind="work_team", reason="不在岗")
    elsewhere.refresh_from_db()
    assert elsewhere.end_date is None
    assert list(selectors.recall_candidates(case=case, actor=city.accounts["discipline"])) == []


def test_the_recall_form_offers_the_cases_own_cadres_and_refuses_any_other_id(login, city):
    _, case, _ = submit(city, problem_type_number=16)
    case = to_concluded(case, city.accounts["discipline"])
    here = _work_team_member(city, 1, "郑队员")
    elsewhere = _work_team_member(city, 3, "王队员")
    client = login(city.accounts["discipline"])
    page = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "郑队员" in page and "王队员" not in page
    response = client.post(reverse("desk:case_recall", args=[case.pk]),
                           {"position": elsewhere.pk, "kind": "work_team", "reason": "不在岗"}, follow=True)
    assert "请从本案所涉乡镇" in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.end_date is None
    client.post(reverse("desk:case_recall", args=[case.pk]),
                {"position": here.pk, "kind": "work_team", "reason": "长期不在岗"})
    here.refresh_from_db()
    assert here.end_date is not None


# ---- units named in forms go through the selector ----------------------------------------------------------------

def test_the_api_fetches_the_transfer_unit_through_the_selector(login, city):
    _, case, _ = submit(city)
    client = login(city.accounts["township1"])
    base = f"/api/v1/cases/cases/{case.pk}/transition"
    assert client.post(base, {"to": "screening"}, content_type="application/json").status_code == 200
    response = client.post(base, {"to": "transferred", "to_unit_id": city.village_units[0].pk},
                           content_type="application/json")
    assert response.status_code == 404  # a village committee does not handle cases
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SCREENING
    response = client.post(base, {"to": "transferred", "to_unit_id": city.department.pk},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["handling_unit_id"] == city.department.pk


def test_the_unit_picker_puts_the_likely_units_first_and_groups_villages_by_township(city):
    _, case, _ = submit(city)  # 测试村1 in 测试镇1, supervised by the first room
    groups = selectors.unit_choices(actor=city.accounts["township1"], case=case)
    likely = groups[0]
    assert likely.label == "常用"
    assert likely.units[:2] == [city.discipline_room, city.township_units[0]]
    assert city.governance_office in likely.units
    labels = [g.label for g in groups]
    assert "村(社区)两委 · 测试镇1" in labels and "村(社区)两委 · 测试镇2" in labels
    village_group = next(g for g in groups if g.label == "村(社区)两委 · 测试镇2")
    assert village_group.units == city.village_units[2:4]


# ---- the case list -----------------------------------------------------------------------------------------------

def test_the_case_list_filters_as_an_officer_expects(city, clerk):
    office = city.accounts["office"]
    _, a, _ = submit(city, village=0, text="村主任张富贵把低保给了亲戚", about_person_name="张富贵",
                     problem_type_number=8)
    _, b, _ = submit(city, village=2, text="修路资金去向不明", channel="hotline", actor=city.accounts["township2"],
                     problem_type_number=5)
    Case.objects.filter(pk=b.pk).update(received_on=D(2025, 1, 10))
    head = make_head(city.accounts["township1"])
    services.case_assign_handler(case=a, actor=head, handler_id=clerk.pk)

    def numbers(**kwargs):
        return sorted(c.number for c in selectors.case_list_visible_to(actor=office, **kwargs))

    assert numbers(township_id=city.townships[0].pk) == [a.number]
    assert numbers(unit_id=city.township_units[1].pk) == [b.number]
    assert numbers(problem_type=8) == [a.number]
    assert numbers(channel="hotline") == [b.number]
    assert numbers(status=CaseStatus.RECEIVED) == sorted([a.number, b.number])
    assert numbers(received_from=D(2025, 1, 1), received_to=D(2025, 1, 31)) == [b.number]
    assert numbers(q="张富") == [a.number]  # the person reported, in part
    assert numbers(q="去向不明") == [b.number]  # the report's text
    assert numbers(q=b.number) == [b.number]
    assert [c.number for c in selectors.case_list_visible_to(actor=clerk, mine=True)] == [a.number]


def test_the_queue_page_filters_by_stage_and_finds_by_the_person_reported(login, city):
    _, a, _ = submit(city, village=0, about_person_name="李四")
    _, b, _ = submit(city, village=1, text="另一件事")
    walk(b, city.accounts["township1"], CaseStatus.SCREENING)
    client = login(city.accounts["township1"])
    page = client.get(reverse("desk:cases"), {"status": "screening"}).content.decode()
    assert b.number in page and a.number not in page
    page = client.get(reverse("desk:cases"), {"q": "李四"}).content.decode()
    assert a.number in page and b.number not in page


# ---- the classifier's suggestions in words ------------------------------------------------------------------------

def test_the_case_page_shows_three_suggested_types_in_words_and_the_choice_becomes_a_training_example(login, city):
    report, case, _ = submit(city, text="村干部虚报冒领危房改造补助资金")
    report.suggestions = [[17, 0.91], [16, 0.3], [8, 0.05], [2, 0.01]]
    report.suggested_problem_type = ProblemType.objects.get(number=17)
    report.save(update_fields=["suggestions", "suggested_problem_type"])
    suggestions = selectors.type_suggestions(report=report)
    assert [(s.problem_type.number, s.likelihood) for s in suggestions] == [(17, "很可能"), (16, "可能"), (8, "也许")]
    client = login(city.accounts["discipline"])  # a money matter: the discipline room handles it
    page = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "很可能" in page and "(0.91)" not in page and "0.91" not in page
    client.post(reverse("desk:case_confirm_type", args=[case.pk]), {"problem_type": "16"})
    example = ClassifierExample.objects.get(report=report)
    assert (example.problem_type.number, example.source) == (16, "staff_corrected")
    client.post(reverse("desk:case_confirm_type", args=[case.pk]), {"problem_type": "", "problem_type_other": "3"})
    assert ClassifierExample.objects.get(report=report).problem_type.number == 3


# ---- typed timeline events ---------------------------------------------------------------------------------------

def test_each_event_kind_carries_what_its_constructor_names(city):
    _, case, _ = submit(city)
    head = make_head(city.accounts["township1"])
    services.case_assign_handler(case=case, actor=head, handler_id=head.pk)
    services.case_urge(case=case, actor=city.accounts["office"], note="请加快", due_on=today_local())
    rows = {e.kind: e for e in CaseEvent.objects.filter(case=case)}
    assert rows[EventKind.SUBMITTED].data == {"channel": "online", "real_name": False}
    assert set(rows[EventKind.ROUTED].data) == {"transfer_kind", "from_unit", "to_unit", "rule"}
    assert rows[EventKind.HANDLER].data == {"handler": head.display_name, "previous": ""}
    assert rows[EventKind.URGE].data == {"due_on": today_local().isoformat()} and rows[EventKind.URGE].reason == "请加快"
    assert not rows[EventKind.URGE].public and rows[EventKind.SUBMITTED].public


def test_an_objection_shows_the_record_it_is_about_in_words_not_a_developer_key(login, city):
    report, case, _ = submit(city, about_type="funds.payment", about_id=802)
    page = login(city.accounts["township1"]).get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "funds.payment" not in page and "#802" not in page
    assert "群众对一条公开记录提出异议" in page


def test_the_home_page_counts_urged_cases_and_exposures_awaiting_review(login, city):
    _proposed(city)
    _, case, _ = submit(city)
    services.case_urge(case=case, actor=city.accounts["office"], note="请加快", due_on=today_local())
    office_home = login(city.accounts["office"]).get(reverse("desk:home")).content.decode()
    assert "待审核通报" in office_home and "通报曝光审核" in office_home
    township_home = login(city.accounts["township1"]).get(reverse("desk:home")).content.decode()
    assert "督办中" in township_home and "我承办的案件" in township_home and "待审核通报" not in township_home

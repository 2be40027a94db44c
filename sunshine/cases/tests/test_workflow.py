"""The case state machine: allowed and forbidden edges, capabilities, an event per transition."""
import pytest
from django.db import IntegrityError, transaction

from sunshine.cases import services
from sunshine.cases.choices import CaseStatus, EventKind, Finding
from sunshine.cases.models import Case, CaseEvent
from sunshine.cases.transitions import TRANSITIONS, allowed_transitions
from sunshine.core.errors import ApplicationError, Forbidden, NotFound

from .builders import submit, to_concluded, walk

pytestmark = pytest.mark.django_db


def test_a_new_report_opens_one_received_case_handled_by_the_township(city):
    report, case, code = submit(city)
    assert case.status == CaseStatus.RECEIVED
    assert case.handling_unit == city.township_units[0]
    assert case.number.startswith("XJ")


def test_every_edge_of_the_table_leads_to_a_known_status():
    for source, edges in TRANSITIONS.items():
        assert source in CaseStatus.values
        assert set(edges) <= set(CaseStatus.values)


def test_the_handler_walks_a_case_from_receipt_to_closure_and_each_step_writes_an_event(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    steps = [CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.INVESTIGATION, CaseStatus.CONCLUDED,
             CaseStatus.ACCOUNTABILITY, CaseStatus.REPLY, CaseStatus.CLOSED]
    case = walk(case, officer, *steps)
    assert case.status == CaseStatus.CLOSED
    events = list(CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).values_list(
        "from_status", "to_status", "actor"))
    expected_from = [CaseStatus.RECEIVED, *steps[:-1]]
    assert events == [(f, t, officer.pk) for f, t in zip(expected_from, steps, strict=True)]
    assert case.closed_at is not None and case.finding == Finding.SUBSTANTIATED


def test_a_case_cannot_jump_from_received_to_concluded(city):
    _, case, _ = submit(city)
    with pytest.raises(ApplicationError) as exc:
        services.case_transition(case=case, to=CaseStatus.CONCLUDED, actor=city.accounts["township1"],
                                 finding=Finding.PARTLY, conclusion="x")
    assert exc.value.code == "bad_transition"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).exists()


def test_concluding_requires_a_finding_and_a_conclusion(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    case = walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY)
    with pytest.raises(ApplicationError) as exc:
        services.case_transition(case=case, to=CaseStatus.CONCLUDED, actor=officer, conclusion="核查完毕")
    assert exc.value.code == "finding_required"


def test_a_not_substantiated_case_skips_accountability(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    case = to_concluded(case, officer, Finding.NOT_SUBSTANTIATED)
    with pytest.raises(ApplicationError):
        services.case_transition(case=case, to=CaseStatus.ACCOUNTABILITY, actor=officer)
    case = walk(case, officer, CaseStatus.REPLY, CaseStatus.CLOSED)
    assert case.status == CaseStatus.CLOSED


def test_a_village_account_cannot_handle_cases(city):
    _, case, _ = submit(city)
    with pytest.raises(NotFound):  # the village committee does not even see a township's case
        services.case_transition(case=case, to=CaseStatus.SCREENING, actor=city.accounts["village1"])


def test_another_townships_officer_gets_not_found(city):
    _, case, _ = submit(city)
    with pytest.raises(NotFound):
        services.case_transition(case=case, to=CaseStatus.SCREENING, actor=city.accounts["township2"])


def test_a_supervising_discipline_room_sees_but_does_not_move_a_townships_case(city):
    _, case, _ = submit(city)
    with pytest.raises(Forbidden):
        services.case_transition(case=case, to=CaseStatus.SCREENING, actor=city.accounts["discipline"])


def test_a_city_leader_can_read_but_not_move_cases(city):
    _, case, _ = submit(city)
    with pytest.raises(Forbidden):
        services.case_transition(case=case, to=CaseStatus.SCREENING, actor=city.accounts["leader"])


def test_reopening_a_closed_case_needs_the_reopen_capability_and_a_reason(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    case = walk(case, officer, CaseStatus.SCREENING, CaseStatus.PRELIMINARY, CaseStatus.CONCLUDED,
                CaseStatus.REPLY, CaseStatus.CLOSED)
    with pytest.raises(Forbidden):
        services.case_transition(case=case, to=CaseStatus.SCREENING, actor=officer, reason="群众不满意")
    office = city.accounts["office"]
    with pytest.raises(ApplicationError) as exc:
        services.case_transition(case=case, to=CaseStatus.SCREENING, actor=office)
    assert exc.value.code == "reason_required"
    case = services.case_transition(case=case, to=CaseStatus.SCREENING, actor=office, reason="举报人提出新证据")
    assert case.status == CaseStatus.SCREENING and case.closed_at is None and case.finding == ""
    event = CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).last()
    assert (event.from_status, event.to_status, event.reason) == (CaseStatus.CLOSED, CaseStatus.SCREENING,
                                                                 "举报人提出新证据")


def test_the_database_refuses_a_second_active_case_for_one_report(city):
    report, case, _ = submit(city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(report=report, handling_unit=case.handling_unit, received_on=case.received_on)


def test_a_closed_case_does_not_block_a_new_case_for_the_same_report(city):
    report, case, _ = submit(city)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    Case.objects.create(report=report, handling_unit=case.handling_unit, received_on=case.received_on)
    assert report.cases.count() == 2


def test_transferring_at_screening_moves_the_case_to_the_new_unit_with_a_record(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    case = walk(case, officer, CaseStatus.SCREENING)
    case = services.case_transition(case=case, to=CaseStatus.TRANSFERRED, actor=officer, reason="属农业局职责",
                                    to_unit=city.department)
    assert case.handling_unit == city.department
    transfer = case.transfers.last()
    assert (transfer.from_unit, transfer.to_unit, transfer.reason, transfer.actor) == (
        city.township_units[0], city.department, "属农业局职责", officer)
    # the township no longer handles it, and no longer sees it
    with pytest.raises(NotFound):
        services.case_transition(case=case, to=CaseStatus.PRELIMINARY, actor=officer)
    case = services.case_transition(case=case, to=CaseStatus.PRELIMINARY, actor=city.accounts["department"])
    assert case.status == CaseStatus.PRELIMINARY


def test_marking_a_case_suspected_transfers_it_to_the_supervising_discipline_room(city):
    _, case, _ = submit(city)
    officer = city.accounts["township1"]
    case = services.case_mark_suspected(case=case, actor=officer, reason="村干部涉嫌截留低保金")
    assert case.suspected_violation and case.handling_unit == city.discipline_room
    assert case.transfers.last().rule == "discipline_supervisor"


def test_a_discipline_room_takes_a_supervised_townships_case_up(city):
    _, case, _ = submit(city)
    room = city.accounts["discipline"]
    case = services.case_escalate_level(case=case, actor=room, reason="问题反映集中，提级办理")
    assert case.escalated and case.handling_unit == city.discipline_room
    assert case.events.filter(kind=EventKind.ESCALATE).exists()


def test_a_township_officer_cannot_escalate(city):
    _, case, _ = submit(city)
    with pytest.raises(Forbidden):
        services.case_escalate_level(case=case, actor=city.accounts["township1"], reason="提级")


def test_a_discipline_room_cannot_escalate_a_case_outside_the_units_it_supervises(city):
    _, case, _ = submit(city, village=2)
    with pytest.raises(NotFound):
        services.case_escalate_level(case=case, actor=city.accounts["discipline"], reason="提级")


def test_allowed_transitions_offer_the_handler_only_legal_next_steps(city):
    _, case, _ = submit(city)
    steps = allowed_transitions(case=case, actor=city.accounts["township1"])
    assert [(s.target, str(s.label)) for s in steps] == [(CaseStatus.SCREENING, "受理")]
    assert allowed_transitions(case=case, actor=city.accounts["leader"]) == []

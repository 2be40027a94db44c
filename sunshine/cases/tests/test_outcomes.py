"""Outcomes: accountability, recovered funds returned at once (三(四)1), recall, 一案双查, public exposure."""
import datetime as dt
from decimal import Decimal

import pytest

from sunshine.cases import selectors, services
from sunshine.cases.choices import (
    SANCTIONS_BY_MEASURE,
    AccountabilityMeasure,
    CaseStatus,
    Finding,
    RecallKind,
    Sanction,
)
from sunshine.cases.models import Case
from sunshine.core.errors import ApplicationError
from sunshine.notify.models import SmsMessage
from sunshine.org import services as org_services
from sunshine.org.choices import Post
from sunshine.org.testing import make_household

from .builders import REAL_NAME, submit, to_concluded

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def concluded(city):
    _, case, _ = submit(city, text="村会计冒领低保金两万元", problem_type_number=16, real_name=REAL_NAME)
    return to_concluded(case, city.accounts["discipline"])


def test_accountability_names_a_person_with_a_measure_and_its_sanction(city, concluded):
    item = services.accountability_record(case=concluded, actor=city.accounts["discipline"],
                                          measure=AccountabilityMeasure.DISCIPLINARY, person_name="赵会计",
                                          sanction=Sanction.PARTY_PROBATION, decided_on=D(2025, 11, 3))
    assert item.get_measure_display() == "党纪政务处分"
    assert item.get_sanction_display() == "党纪处分：留党察看"


@pytest.mark.parametrize("measure", [AccountabilityMeasure.DISCIPLINARY, AccountabilityMeasure.ORGANISATIONAL])
def test_a_disciplinary_or_organisational_measure_without_its_kind_is_refused(city, concluded, measure):
    with pytest.raises(ApplicationError) as exc:
        services.accountability_record(case=concluded, actor=city.accounts["discipline"], measure=measure,
                                       person_name="赵会计", decided_on=D(2025, 11, 3))
    assert exc.value.code == "sanction_required"
    assert not concluded.accountabilities.exists()


def test_a_sanction_of_another_measure_is_refused(city, concluded):
    for measure, sanction in ((AccountabilityMeasure.ORGANISATIONAL, Sanction.GOV_DEMERIT),
                              (AccountabilityMeasure.DISCIPLINARY, Sanction.ORG_REMOVAL)):
        with pytest.raises(ApplicationError) as exc:
            services.accountability_record(case=concluded, actor=city.accounts["discipline"], measure=measure,
                                           sanction=sanction, person_name="赵会计", decided_on=D(2025, 11, 3))
        assert exc.value.code == "sanction_required"
    with pytest.raises(ApplicationError) as exc:
        services.accountability_record(case=concluded, actor=city.accounts["discipline"],
                                       measure=AccountabilityMeasure.CRITICISM, sanction=Sanction.GOV_WARNING,
                                       person_name="赵会计", decided_on=D(2025, 11, 3))
    assert exc.value.code == "sanction_not_applicable"


def test_the_sanctions_are_named_as_the_regulations_name_them():
    names = {Sanction(v).label.split("：")[1] for v in SANCTIONS_BY_MEASURE[AccountabilityMeasure.DISCIPLINARY]
             if v.startswith("party_")}
    assert names == {"警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍"}
    names = [Sanction(v).label.split("：")[1] for v in SANCTIONS_BY_MEASURE[AccountabilityMeasure.DISCIPLINARY]
             if v.startswith("gov_")]
    assert names == ["警告", "记过", "记大过", "降级", "撤职", "开除"]
    names = [Sanction(v).label.split("：")[1] for v in SANCTIONS_BY_MEASURE[AccountabilityMeasure.ORGANISATIONAL]]
    assert names == ["停职检查", "调整职务", "责令辞职", "免职", "降职"]


def test_accountability_before_conclusion_is_refused(city):
    _, case, _ = submit(city, problem_type_number=16)
    with pytest.raises(ApplicationError) as exc:
        services.accountability_record(case=case, actor=city.accounts["discipline"], measure="criticism",
                                       person_name="赵某", decided_on=D(2025, 11, 3))
    assert exc.value.code == "not_concluded"


def test_recovered_funds_returned_within_the_limit_are_on_time_and_each_household_gets_an_sms(city, concluded):
    officer = city.accounts["discipline"]
    recovery = services.recovery_record(case=concluded, actor=officer, amount="2000", recovered_on=D(2025, 9, 1))
    h1 = make_household(city.villages[0], head_name="刘大", phone="13700000001")
    h2 = make_household(city.villages[0], head_name="刘二", phone="13700000002")
    services.funds_return_record(recovery=recovery, actor=officer, household=h1, amount="1200",
                                 returned_on=D(2025, 9, 10))
    services.funds_return_record(recovery=recovery, actor=officer, household=h2, amount="800",
                                 returned_on=D(2025, 9, 20))
    status = services.recovery_status(recovery=recovery, today=D(2025, 12, 1))
    assert (status.outstanding, status.days_to_return, status.late) == (Decimal("0"), 19, False)
    sms = SmsMessage.objects.filter(template_code="funds_returned").order_by("phone")
    assert [m.phone for m in sms] == ["13700000001", "13700000002"]
    assert concluded.number in sms[0].text and "追缴的扶贫资金¥1,200.00已于" in sms[0].text


def test_recovered_funds_not_returned_within_thirty_days_are_flagged_late(city, concluded):
    recovery = services.recovery_record(case=concluded, actor=city.accounts["discipline"], amount="500",
                                        recovered_on=D(2025, 9, 1))
    assert not services.recovery_status(recovery=recovery, today=D(2025, 10, 1)).late
    assert services.recovery_status(recovery=recovery, today=D(2025, 10, 2)).late


def test_funds_returned_after_the_limit_stay_flagged_late(city, concluded):
    officer = city.accounts["discipline"]
    recovery = services.recovery_record(case=concluded, actor=officer, amount="500", recovered_on=D(2025, 9, 1))
    household = make_household(city.villages[0])
    services.funds_return_record(recovery=recovery, actor=officer, household=household, amount="500",
                                 returned_on=D(2025, 10, 20))
    assert services.recovery_status(recovery=recovery).late


def test_the_return_limit_is_configurable(city, concluded, settings):
    settings.SUNSHINE_CASES = {**settings.SUNSHINE_CASES, "FUNDS_RETURN_DAYS": 10}
    recovery = services.recovery_record(case=concluded, actor=city.accounts["discipline"], amount="500",
                                        recovered_on=D(2025, 9, 1))
    assert services.recovery_status(recovery=recovery, today=D(2025, 9, 12)).late


def test_more_cannot_be_returned_than_was_recovered(city, concluded):
    officer = city.accounts["discipline"]
    recovery = services.recovery_record(case=concluded, actor=officer, amount="500", recovered_on=D(2025, 9, 1))
    with pytest.raises(ApplicationError) as exc:
        services.funds_return_record(recovery=recovery, actor=officer, household=make_household(city.villages[0]),
                                     amount="600", returned_on=D(2025, 9, 2))
    assert exc.value.code == "over_return"


def test_recalling_a_pairing_cadre_ends_their_position(city, concluded):
    person = org_services.person_create(actor=None, name="孙帮扶", unit=city.department)
    position = org_services.position_start(actor=None, person=person, unit=city.department, post=Post.PAIRING_CADRE,
                                           start_date=D(2024, 1, 1))
    household = make_household(city.villages[1])  # paired in the township the case is about
    household.pairing_cadre = person
    household.save(update_fields=["pairing_cadre"])
    recall = services.recall_record(case=concluded, actor=city.accounts["discipline"], position=position,
                                    kind=RecallKind.PAIRING_CADRE, reason="长期不入户，帮扶走过场",
                                    recalled_on=D(2025, 11, 1))
    position.refresh_from_db()
    assert position.end_date == D(2025, 11, 1) and recall.case == concluded


def test_only_work_team_members_and_pairing_cadres_can_be_recalled(city, concluded):
    person = org_services.person_create(actor=None, name="周主任", unit=city.village_units[0])
    position = org_services.position_start(actor=None, person=person, unit=city.village_units[0], post=Post.VILLAGE_DIRECTOR,
                                           start_date=D(2024, 1, 1))
    with pytest.raises(ApplicationError):
        services.recall_record(case=concluded, actor=city.accounts["discipline"], position=position,
                               kind=RecallKind.PAIRING_CADRE, reason="x")


def test_a_dual_case_on_the_supervisors_is_linked_to_the_original(city, concluded):
    dual = services.dual_case_open(case=concluded, actor=city.accounts["discipline"],
                                   text="镇党委对村级财务监管失职", about_unit=city.township_units[0])
    assert dual.dual_of == concluded and dual.status == CaseStatus.RECEIVED
    assert dual.handling_unit == city.discipline_room
    assert list(concluded.dual_cases.all()) == [dual]


def test_an_exposure_masks_names_except_named_officials_and_never_shows_the_reporter(city, concluded):
    people = [services.ExposedPerson(name="赵会计", title="村会计", measure=AccountabilityMeasure.DISCIPLINARY),
              services.ExposedPerson(name="钱书记", title="镇党委书记", is_named_official=True)]
    body = ("经查，赵会计冒领低保金2万元。钱书记监管不力。举报人王小明（13912345678）反映属实。"
            "赵会计身份证430381197001011235，冒领款转入银行卡6217 0027 1000 0123 456，联系电话13812345678。")
    exposure = services.exposure_propose(case=concluded, actor=city.accounts["discipline"],
                                         title="关于赵会计冒领低保金问题的通报", body=body, people=people)
    services.exposure_review(exposure=exposure, actor=city.accounts["office"], approve=True)
    public = selectors.exposure_get_public(exposure.pk)
    for leaked in ("赵会计", "王小明", "13912345678", "430381197001011235", "6217 0027 1000 0123 456", "13812345678"):
        assert leaked not in public.body and leaked not in public.title
    # The one free-text masking (core.masking.mask_text): IDs, mobiles and bank cards alike.
    assert "430381********1235" in public.body and "**** **** **** 3456" in public.body
    assert "138****5678" in public.body
    assert "赵**" in public.body and "钱书记" in public.body
    assert [p.shown_name for p in public.people.all()] == ["赵**", "钱书记"]


def test_an_unsubstantiated_case_cannot_be_exposed(city):
    _, case, _ = submit(city, problem_type_number=16)
    case = to_concluded(case, city.accounts["discipline"], Finding.NOT_SUBSTANTIATED)
    with pytest.raises(ApplicationError):
        services.exposure_propose(case=case, actor=city.accounts["discipline"], title="通报", body="内容", people=[])


def test_a_township_officer_cannot_propose_an_exposure(city):
    _, case, _ = submit(city)
    case = to_concluded(case, city.accounts["township1"])
    from sunshine.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.exposure_propose(case=case, actor=city.accounts["township1"], title="通报", body="内容", people=[])
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CONCLUDED

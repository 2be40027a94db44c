"""The annual assessment (三(四)1): every indicator computed from the records, weighted by the year's plan values,
each score with the figures behind it — counted by hand below for 测试镇1 in 2025."""
import datetime as dt
from decimal import Decimal

import pytest

from sunshine.cases.models import Case, CaseDeadline
from sunshine.cases.tests.builders import submit
from sunshine.core.plan import plan_value_set
from sunshine.funds.models import HouseholdPayment
from sunshine.funds.services.records import payment_create
from sunshine.org.choices import Post
from sunshine.org.models import Unit
from sunshine.org.testing import make_household
from sunshine.oversight.models import RectificationItem
from sunshine.oversight.selectors.assessments import assessment_get_for, assessments_visible
from sunshine.oversight.services import assessments as services
from sunshine.oversight.services import training
from sunshine.oversight.services.interviews import interview_record
from sunshine.oversight.services.rectifications import rectification_create

from .builders_i13a import appoint, visit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 1, 10)  # the 2025 assessment, made after the year's end


def _aware(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def township(city):
    office, unit = city.accounts["office"], city.township_units[0]
    v0, v1 = city.villages[0], city.villages[1]
    # Visits: the secretary (whole year) saw 1 of 2 villages; the head (from 1 July: 6 months, so 1 of 2 required)
    # saw both; the village secretary saw none of 1 poor household → 1 + 1 + 0 done of 2 + 1 + 1 required.
    secretary = appoint("镇书记", unit, Post.TOWNSHIP_SECRETARY, dt.date(2020, 1, 1))
    head = appoint("镇长", unit, Post.TOWNSHIP_HEAD, dt.date(2025, 7, 1))
    appoint("村书记", city.village_units[0], Post.VILLAGE_SECRETARY, dt.date(2020, 1, 1))
    household = make_household(v0, status="poor")
    visit(office, secretary, v0, dt.date(2025, 3, 1))
    visit(office, head, v0, dt.date(2025, 8, 1))
    visit(office, head, v1, dt.date(2025, 9, 1))
    # Disclosure: paid 20 Dec 2024 (due 19 Jan, in the year) published 5 Jan; paid 10 Jan (due 9 Feb) published
    # 1 Feb; paid 1 Feb (due 3 Mar) published 10 Mar; paid 15 Dec (due 14 Jan 2026, after the year) not counted
    # → 2 of 3.
    for paid, published in [(dt.date(2024, 12, 20), dt.date(2025, 1, 5)), (dt.date(2025, 1, 10), dt.date(2025, 2, 1)),
                            (dt.date(2025, 2, 1), dt.date(2025, 3, 10)), (dt.date(2025, 12, 15), None)]:
        p = payment_create(actor=city.accounts["township1"], household=household, fund_item="产业奖补", amount="500",
                           paid_on=paid, bank_card="6217000011112222333")
        HouseholdPayment.objects.filter(pk=p.pk).update(published_at=_aware(published) if published else None)
    # Cases: deadlines due 10 Mar (met 9 Mar), 10 Apr (met 12 Apr), 1 May (never met), 5 Jan 2026 (after) → 1 of 3.
    for due, met in [(dt.date(2025, 3, 10), dt.date(2025, 3, 9)), (dt.date(2025, 4, 10), dt.date(2025, 4, 12)),
                     (dt.date(2025, 5, 1), None), (dt.date(2026, 1, 5), None)]:
        _, case, _ = submit(city, village=0)
        Case.objects.filter(pk=case.pk).update(handling_unit=unit)
        CaseDeadline.objects.filter(case=case).delete()
        CaseDeadline.objects.create(case=case, kind="transfer", starts_on=due - dt.timedelta(days=7), due_on=due,
                                    working_days=5, met_at=_aware(met) if met else None)
    # Rectification: due 30 Jun (done 20 Jun), 31 Aug (done 5 Sep), 31 Oct (open), 1 Feb 2026 (after) → 1 of 3.
    for deadline, done_on in [(dt.date(2025, 6, 30), dt.date(2025, 6, 20)), (dt.date(2025, 8, 31), dt.date(2025, 9, 5)),
                              (dt.date(2025, 10, 31), None), (dt.date(2026, 2, 1), None)]:
        item = rectification_create(actor=office, source_kind="other", title="整改", owner_unit=unit,
                                    deadline=deadline, today=dt.date(2025, 1, 1))
        if done_on:
            RectificationItem.objects.filter(pk=item.pk).update(status="done", done_on=done_on)
    # Training: 3 cadres (secretary, head, village secretary), the secretary trained in 2025 → 1 of 3.
    session = training.training_session_create(actor=office, title="专题班", held_on=dt.date(2025, 5, 1))
    training.attendance_add(actor=office, session=session, people=[secretary])
    # 四责四诺: two kept, one never checked → 2 of 3.
    for n, kept in enumerate([True, True, None]):
        c = services.commitment_add(actor=office, unit=unit, year=2025, kind="promise", text=f"承诺{n}")
        if kept is not None:
            services.commitment_check(actor=office, commitment=c, kept=kept, note="已兑现")
    return unit


def test_each_figure_of_the_township_and_its_score_by_hand(city, township):
    a = assessment_get_for(actor=city.accounts["office"], unit_id=township.pk, year=2025, today=TODAY)
    figures = {f.key: (f.done, f.due, f.weight, f.score) for f in a.figures}
    assert figures == {
        "visits": (2, 4, Decimal(20), Decimal("10.0")),
        "disclosure": (2, 3, Decimal(15), Decimal("10.0")),
        "cases": (1, 3, Decimal(20), Decimal("6.7")),
        "rectification": (1, 3, Decimal(15), Decimal("5.0")),
        "training": (1, 3, Decimal(10), Decimal("3.3")),
        "interviews": (0, 0, Decimal(10), Decimal("10.0")),  # 约谈 concerns member units only
        "commitments": (2, 3, Decimal(10), Decimal("6.7")),
    }
    assert a.score == Decimal("51.7")
    assert next(f for f in a.figures if f.key == "cases").explanation.endswith(":1/3")


def test_the_years_weights_come_from_the_plan_values(city, township):
    plan_value_set(actor=city.accounts["admin"], year=2025, param="oversight.assessment.weight.cases", value=30)
    a = assessment_get_for(actor=city.accounts["office"], unit_id=township.pk, year=2025, today=TODAY)
    cases = next(f for f in a.figures if f.key == "cases")
    assert (cases.weight, cases.score, a.weight_total) == (Decimal(30), Decimal("10.0"), Decimal(110))


def test_a_member_unit_talked_to_loses_the_interview_points(city):
    member = Unit.objects.get(name="市农业局")
    before = assessment_get_for(actor=city.accounts["office"], unit_id=member.pk, year=2025, today=TODAY)
    assert next(f for f in before.figures if f.key == "interviews").score == Decimal("10.0")
    interview_record(actor=city.accounts["office"], unit=member, year=2025, interviewer="市纪委书记",
                     attendees="局长", outcome="限期整改", held_on=dt.date(2025, 12, 20))
    after = assessment_get_for(actor=city.accounts["office"], unit_id=member.pk, year=2025, today=TODAY)
    interviews = next(f for f in after.figures if f.key == "interviews")
    assert (interviews.done, interviews.due, interviews.score) == (0, 1, Decimal("0.0"))


def test_the_assessment_list_is_scoped_and_the_api_shows_the_figures(login, city, township):
    rows = assessments_visible(actor=city.accounts["township2"], year=2025, kind="township", today=TODAY)
    assert [a.unit.name for a in rows] == ["测试镇2人民政府"]
    body = login(city.accounts["office"]).get(f"/api/v1/oversight/assessments/{township.pk}?year=2025").json()
    assert [f["key"] for f in body["figures"]] == ["visits", "disclosure", "cases", "rectification", "training",
                                                   "interviews", "commitments"]
    assert login(city.accounts["township2"]).get(
        f"/api/v1/oversight/assessments/{township.pk}?year=2025").status_code == 404

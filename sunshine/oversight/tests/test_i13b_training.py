"""Training (三(二)5): coverage of every poverty-alleviation cadre, who was never trained, and sign-in sheets imported
all or nothing with the bad rows named."""
import datetime as dt

import pytest

from sunshine.core.errors import ApplicationError
from sunshine.funds.tests.factories import csv_bytes, xlsx_bytes
from sunshine.org import services as org
from sunshine.org.choices import Post
from sunshine.org.models import Unit
from sunshine.org.testing import make_household
from sunshine.oversight.selectors.training import training_coverage
from sunshine.oversight.services import training

pytestmark = pytest.mark.django_db
HEADER = ["序号", "姓名", "身份证号", "手机号", "单位"]


@pytest.fixture
def cadres(city):
    """Six cadres of the mini city in 2026 and one person who is not a cadre."""
    t_unit, v_unit = city.township_units[0], city.village_units[0]
    member = Unit.objects.get(name="市农业局")

    def person(name, unit, post, start=dt.date(2025, 1, 1), end=None, phone=""):
        p = org.person_create(actor=None, name=name, unit=unit, phone=phone)
        position = org.position_start(actor=None, person=p, unit=unit, post=post, start_date=start)
        if end:
            position.end_date = end
            position.save()
        return p

    c = {
        "secretary": person("镇书记", t_unit, Post.TOWNSHIP_SECRETARY, phone="13900000001"),
        "village": person("村书记", v_unit, Post.VILLAGE_SECRETARY),
        "principal": person("局长", member, Post.PRINCIPAL),
        # Left in March 2026: still a cadre of 2026.
        "left": person("离任村主任", v_unit, Post.VILLAGE_DIRECTOR, end=dt.date(2026, 3, 1)),
        # Left in 2025: not a cadre of 2026.
        "gone": person("早已离任", v_unit, Post.VILLAGE_DIRECTOR, start=dt.date(2020, 1, 1), end=dt.date(2025, 6, 1)),
        "clerk": person("局办事员", member, Post.STAFF),  # a member unit's staff member: not a responsible person
    }
    pairing = org.person_create(actor=None, name="帮扶干部", unit=member)
    household = make_household(city.villages[0])
    household.pairing_cadre = pairing
    household.save()
    c["pairing"] = pairing
    return c


def _session(city, held_on=dt.date(2026, 5, 1)):
    return training.training_session_create(actor=city.accounts["office"], title="专题班", held_on=held_on)


def test_coverage_counts_every_cadre_of_the_year_and_lists_those_never_trained(city, cadres):
    office = city.accounts["office"]
    session = _session(city)
    training.attendance_add(actor=office, session=session, people=[cadres["secretary"], cadres["pairing"]])
    # A session of last year does not count for 2026.
    old = _session(city, held_on=dt.date(2025, 6, 1))
    training.attendance_add(actor=office, session=old, people=[cadres["village"]])
    cov = training_coverage(actor=office, year=2026)
    # 镇书记, 村书记, 局长, 离任村主任, 帮扶干部 (+ the mini city's own account holders hold no positions).
    assert sorted(c.person.name for c in cov.cadres) == sorted(["镇书记", "村书记", "局长", "离任村主任", "帮扶干部"])
    assert (cov.total, cov.trained) == (5, 2)
    assert sorted(c.person.name for c in cov.never_trained) == ["局长", "村书记", "离任村主任"]
    by = {cat: (n, t) for cat, n, t in cov.by_category()}
    assert by["结对帮扶责任人"] == (1, 1) and by["成员单位负责人"] == (1, 0) and by["村干部"] == (2, 0)


def test_a_township_officer_sees_the_cadres_of_their_township_only(city, cadres):
    cov = training_coverage(actor=city.accounts["township1"], year=2026)
    assert sorted(c.person.name for c in cov.cadres) == ["村书记", "离任村主任", "镇书记"]


def test_a_sign_in_sheet_with_one_bad_row_imports_nothing_and_names_the_row(city, cadres):
    session = _session(city)
    rows = [["1", "镇书记", "", "13900000001", ""], ["2", "不存在的人", "", "", ""], ["3", "村书记", "", "", ""],
            ["4", "村书记", "", "", ""]]
    with pytest.raises(ApplicationError) as exc:
        training.attendance_import(actor=city.accounts["office"], session=session,
                                   content=csv_bytes(HEADER, rows), filename="签到表.csv")
    errors = exc.value.extra["errors"]
    assert [(e["row"], e["reason"]) for e in errors] == [(3, "平台人员名册中没有此人"), (5, "与第 4 行是同一人")]
    assert session.attendances.count() == 0


def test_a_good_sign_in_sheet_in_xlsx_records_everyone(city, cadres):
    session = _session(city)
    rows = [["1", "镇书记", "", "13900000001", ""], ["2", "局长", "", "", "市农业局"], ["3", "帮扶干部", "", "", ""]]
    added = training.attendance_import(actor=city.accounts["office"], session=session,
                                       content=xlsx_bytes(HEADER, rows, title="培训签到表"), filename="签到.xlsx")
    assert added == 3
    assert sorted(a.person.name for a in session.attendances.all()) == ["局长", "帮扶干部", "镇书记"]


def test_the_api_imports_a_sheet_and_answers_400_with_the_rows_when_one_is_bad(login, city, cadres):
    session = _session(city)
    client = login(city.accounts["office"])
    bad = csv_bytes(HEADER, [["1", "查无此人", "", "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/api/v1/oversight/trainings/sessions/{session.pk}/sign-in-sheet",
                           {"file": SimpleUploadedFile("s.csv", bad)})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 2, "column": "姓名", "reason": "平台人员名册中没有此人"}]
    good = csv_bytes(HEADER, [["1", "村书记", "", "", ""]])
    response = client.post(f"/api/v1/oversight/trainings/sessions/{session.pk}/sign-in-sheet",
                           {"file": SimpleUploadedFile("s.csv", good)})
    assert response.json() == {"added": 1, "attendance_count": 1}
    body = client.get("/api/v1/oversight/trainings/coverage?year=2026").json()
    assert (body["cadres"], body["trained"]) == (5, 1)
    assert sorted(c["name"] for c in body["never_trained"]) == ["局长", "帮扶干部", "离任村主任", "镇书记"]

"""Likely duplicates: the same matter from several villagers, or again from one, is linked at intake."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sunshine.cases import similarity
from sunshine.cases.choices import Channel
from sunshine.cases.models import Report, ReportSimilarity
from sunshine.cases.services import report_submit


@pytest.fixture(autouse=True)
def model_file(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "model.json")


def submit(text, *, region=None, person="", unit=None, real_name=None):
    report, _code = report_submit(channel=Channel.ONLINE, text=text, region=region, about_person_name=person,
                                  about_unit=unit, real_name=real_name)
    return report


def linked(a, b) -> bool:
    return ReportSimilarity.objects.filter(report=b, similar_to=a).exists()


def test_text_similarity_is_one_for_the_same_words_and_low_for_unrelated_ones():
    assert similarity.text_similarity("修路的钱被村支书拿走了", "修路的钱被村支书拿走了！") == pytest.approx(1.0)
    assert similarity.text_similarity("修路的钱被村支书拿走了", "天天让我们填表") < 0.1
    assert similarity.text_similarity("", "天天让我们填表") == 0.0


def test_two_villagers_reporting_the_same_matter_in_their_own_words_are_linked(city):
    first = submit("村支书王建国把修村道的钱拿走了一大半，路只修了一半", region=city.villages[0], person="王建国")
    second = submit("王建国书记贪了我们村修路的钱，村道修到一半就停了", region=city.villages[0], person="王建国书记")
    assert linked(first, second)
    score = ReportSimilarity.objects.get(report=second, similar_to=first).score
    assert 0.6 <= score <= 1.0


def test_the_same_words_sent_again_from_the_same_village_are_linked(city):
    text = "我家的危房改造补助被村会计扣了一万块"
    first = submit(text, region=city.villages[1])
    second = submit(text, region=city.villages[1])
    assert linked(first, second)


def test_an_unrelated_report_from_the_same_village_is_not_linked(city):
    first = submit("村支书王建国把修村道的钱拿走了一大半", region=city.villages[0], person="王建国")
    second = submit("驻村工作队一个月才来一次，拍个照就走", region=city.villages[0], person="驻村工作队")
    assert not linked(first, second)


def test_the_same_story_about_different_people_in_different_townships_is_not_linked(city):
    first = submit("村会计冒领了死去老人的低保金", region=city.villages[0], person="李会计")
    second = submit("村会计冒领了去世老人的低保", region=city.villages[2], person="赵文书")
    assert not linked(first, second)


def test_a_report_older_than_the_window_is_history_not_a_duplicate(city):
    text = "扶贫的鸡苗一半病死了没人管"
    old = submit(text, region=city.villages[0])
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - similarity.WINDOW - dt.timedelta(days=1))
    new = submit(text, region=city.villages[0])
    assert not linked(old, new)


def test_a_real_name_reporter_repeating_their_report_is_flagged_as_a_repeat(city):
    me = {"name": "刘桂英", "phone": "13812345678"}
    first = submit("村主任把我家的低保给了他亲戚", region=city.villages[0], real_name=me)
    again = submit("村主任把我的低保名额给了他的亲戚，我又来反映", region=city.villages[0], real_name=me)
    other_person = submit("村主任把我家的低保给了他亲戚", region=city.villages[0],
                          real_name={"name": "陈大山", "phone": "13912345678"})
    again.refresh_from_db()
    other_person.refresh_from_db()
    assert linked(first, again) and again.is_repeat
    assert linked(first, other_person) and not other_person.is_repeat


def test_find_similar_ranks_the_closest_report_first(city):
    far = submit("村里的公示栏一直是空的，扶贫款用在哪里不知道", region=city.villages[0])
    near = submit("村会计冒领了死去老人的低保金", region=city.villages[0], person="李会计")
    probe = Report(text="李会计冒领死去老人的低保金好几年了", region=city.villages[0], about_person_name="李会计",
                   created_at=timezone.now())
    results = similarity.find_similar(probe)
    assert results[0][0] == near
    assert far not in [r for r, score in results if score >= 0.6]


def test_a_title_alone_does_not_make_two_people_the_same():
    a = Report(about_person_name="王书记")
    b = Report(about_person_name="王会计")
    c = Report(about_person_name="王建国书记")
    d = Report(about_person_name="王建国")
    assert similarity.target_match(a, b) == 0.0
    assert similarity.target_match(c, d) == 1.0
    assert similarity.target_match(a, Report()) == similarity.NEUTRAL


def test_the_same_person_in_the_same_village_on_another_matter_is_not_linked(city):
    first = submit("村支书把低保给了他亲戚", region=city.villages[0], person="村支书")
    second = submit("村支书把修路的钱拿走了", region=city.villages[0], person="村支书")
    assert not linked(first, second)

"""The reporter's answers through the status page are limited per address (REPLIES_LIMIT): the eleventh within an
hour gets the 429 page and is not saved; another address still answers."""
import pytest

from sunshine.cases.models import Message
from sunshine.portal.tests.test_report_pages import STATUS, receipt_of, report
from sunshine.portal.views_cases import REPLIES_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "classifier.json")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def reply(client, code: str, text: str, address: str = "203.0.113.7"):
    return client.post(STATUS, {"receipt": code, "action": "reply", "text": text}, REMOTE_ADDR=address)


def test_the_eleventh_answer_in_an_hour_is_refused_and_not_saved(client, city):
    assert REPLIES_LIMIT.count == 10
    code = receipt_of(report(client, village=city.villages[0]))
    for n in range(REPLIES_LIMIT.count):
        response = reply(client, code, f"第{n + 1}次补充")
        assert response.status_code == 200 and "已收到您的补充" in response.content.decode()

    refused = reply(client, code, "第11次补充")

    assert refused.status_code == 429
    assert Message.objects.filter(side="reporter").count() == 10
    assert not Message.objects.filter(text="第11次补充").exists()
    # Reading the status is a different limit: the reporter still sees the case.
    assert client.post(STATUS, {"receipt": code}, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_another_address_is_not_held_up_by_the_first(client, city):
    code = receipt_of(report(client, village=city.villages[0]))
    for n in range(REPLIES_LIMIT.count):
        reply(client, code, f"第{n + 1}次补充")
    assert reply(client, code, "换一台手机补充", address="198.51.100.9").status_code == 200
    assert Message.objects.filter(text="换一台手机补充").exists()

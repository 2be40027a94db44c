"""From a villager's anonymous report to a closed case, through the pages both sides use (Django test client)."""
import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from sunshine.cases import selectors, services
from sunshine.cases.models import Case, CaseEvent, Message
from sunshine.core.errors import NotFound
from sunshine.org.testing import login_verified

pytestmark = pytest.mark.django_db


def _status_page(receipt: str, **extra) -> str:
    """The reporter's status page (portal), or the read model behind it when the portal page is not wired."""
    try:
        url = reverse("portal:report_status")
    except NoReverseMatch:
        return str(selectors.report_status_for_receipt(receipt_code=receipt))
    response = Client().post(url, {"receipt": receipt, **extra})
    assert response.status_code == 200
    return response.content.decode()


def test_an_anonymous_report_goes_to_closure_and_the_reporter_reads_the_result(city):
    # 1. A villager reports anonymously and keeps the receipt code.
    report, receipt = services.report_submit(
        channel="online", text="测试村1的村干部把危房改造补助给了自己亲戚，真正的危房户没有得到", region=city.villages[0])
    case = Case.objects.get(report=report)
    assert "已接收" in _status_page(receipt)

    # 2. The handling officer (the township, or the discipline room when the classifier reads money taken)
    #    screens it and asks the reporter a question from the case page.
    handler = next(a for a in city.accounts.values() if a.unit_id == case.handling_unit_id)
    officer = Client()
    login_verified(officer, handler)
    case_url = reverse("desk:case", args=[case.pk])
    assert officer.get(case_url).status_code == 200
    officer.post(reverse("desk:case_transition", args=[case.pk]), {"to": "screening"})
    officer.post(reverse("desk:case_ask", args=[case.pk]), {"text": "请问是哪一户得到了补助？大约什么时间？"})
    assert "请问是哪一户得到了补助" in _status_page(receipt)

    # 3. The reporter answers with the receipt code; nobody learns who they are.
    try:
        reverse("portal:report_status")
        _status_page(receipt, action="reply", text="是村主任的表弟，去年十月发的")
    except NoReverseMatch:
        services.reporter_reply(receipt_code=receipt, text="是村主任的表弟，去年十月发的")
    assert Message.objects.filter(report=report, side="reporter", author__isnull=True).count() == 1
    assert "是村主任的表弟" in officer.get(case_url).content.decode()

    # 4. The officer verifies, concludes, holds people accountable, replies and closes.
    for step in (
        {"to": "preliminary"},
        {"to": "concluded", "finding": "substantiated", "conclusion": "经核查，村主任违规将补助发给亲属"},
        {"to": "accountability"},
        {"to": "reply", "result": "您反映的问题属实，补助已收回并发给符合条件的危房户，相关人员已被问责。"},
        {"to": "closed"},
    ):
        response = officer.post(reverse("desk:case_transition", args=[case.pk]), step, follow=True)
        assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == "closed"
    assert CaseEvent.objects.filter(case=case, kind="transition").count() == 6

    # 5. The reporter sees the result and the whole public timeline.
    page = _status_page(receipt)
    assert "已办结" in page and "补助已收回" in page and "属实" in page
    assert handler.display_name not in page  # no staff names on the public page

    # 6. A wrong code shows nothing.
    with pytest.raises(NotFound):
        selectors.report_status_for_receipt(receipt_code="AAAA-AAAA-AAAA-AAAA-AAAA")

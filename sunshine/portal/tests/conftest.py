"""A village with published disclosures of every kind, a draft nobody may see, and a correction."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import timezone

from sunshine.org.testing import make_household

CARD_A = "6217002710000123456"
CARD_B = "6228480010000567890"
CARD_DRAFT = "6217002710000999888"
ACCOUNT_NUMBER = "43050162360100000123"
PHONE_A = "13912345678"
PHONE_IN_TEXT = "13787654321"


@dataclass
class Disclosed:
    village: object
    township: object
    households: list
    allocation: object
    township_allocation: object
    project: object
    transactions: list
    payments: list  # published, current
    corrected: object  # the published v1 that a correction replaced
    correction: object  # its v2
    draft_payment: object  # recorded, never published
    notices: dict
    secrets: list[str] = field(default_factory=list)  # full ID/phone/card values that must never appear in public


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def disclosed(city) -> Disclosed:
    from sunshine.funds.services.notices import notice_create, notice_publish
    from sunshine.funds.services.projects import project_transition
    from sunshine.funds.services.records import (
        allocation_create,
        payment_create,
        project_create,
        record_correct,
        transaction_create,
        village_account_create,
    )

    actor = city.accounts["township1"]
    village, township = city.villages[0], city.townships[0]
    today = timezone.localdate()
    paid = today - dt.timedelta(days=3)
    wang = make_household(village, head_name="王小明", phone=PHONE_A, members=2)
    li = make_household(village, head_name="李大山", phone="13600001111")
    zhao = make_household(village, head_name="赵未公", phone="13500002222")

    allocation = allocation_create(actor=actor, level="county", document_number="湘乡扶〔2026〕8号",
                                   fund_type="产业发展资金", amount="50000.00", allocated_on=paid,
                                   recipient_kind="village", region=village, purpose="发展油茶产业")
    township_allocation = allocation_create(actor=actor, level="provincial", document_number="湘财农〔2026〕3号",
                                            fund_type="以工代赈资金", amount="200000.00", allocated_on=paid,
                                            recipient_kind="township", region=township)
    project = project_create(actor=actor, village=village, name="测试村1组道路硬化", project_type="基础设施",
                             budget="180000.00", code="XM-2026-001", content="硬化道路1.2公里")
    project = project_transition(actor=actor, project=project, to_status="approved", on_date=paid,
                                 facts={"approval_document": "湘乡扶办〔2026〕12号"})
    account = village_account_create(actor=actor, village=village, account_name="测试村1股份经济合作社",
                                     account_number=ACCOUNT_NUMBER, bank="农商银行")
    txn_in = transaction_create(actor=actor, account=account, occurred_on=paid, direction="in", amount="50000.00",
                                purpose="收县级产业发展资金", counterparty="湘乡市财政局", balance="80000.00")
    txn_out = transaction_create(actor=actor, account=account, occurred_on=paid, direction="out", amount="1200.00",
                                 purpose=f"支付王小明务工费（联系电话{PHONE_IN_TEXT}）", counterparty="王小明",
                                 balance="78800.00")
    pay_a = payment_create(actor=actor, household=wang, fund_item="产业奖补", amount="1500.00", paid_on=paid,
                           bank_card=CARD_A)
    pay_b = payment_create(actor=actor, household=wang, fund_item="教育资助", amount="800.00", paid_on=paid,
                           bank_card=CARD_A)
    pay_c = payment_create(actor=actor, household=li, fund_item="产业奖补", amount="1500.00", paid_on=paid,
                           bank_card=CARD_B)

    notices = {}
    for kind, scope, ids in [
        ("allocation", village, [allocation.pk]),
        ("allocation", township, [township_allocation.pk]),
        ("project", village, [project.pk]),
        ("transaction", village, [txn_in.pk, txn_out.pk]),
        ("payment", village, [pay_a.pk, pay_b.pk, pay_c.pk]),
    ]:
        draft = notice_create(actor=actor, kind=kind, scope_region=scope, record_ids=ids, starts_on=today)
        notices[f"{kind}:{scope.level}"] = notice_publish(actor=actor, notice=draft)

    correction = record_correct(actor=actor, record=pay_c, reason="金额录入错误，应为1200元",
                                changes={"amount": "1200.00"})
    pay_c.refresh_from_db()
    draft_payment = payment_create(actor=actor, household=zhao, fund_item="产业奖补", amount="999.00", paid_on=paid,
                                   bank_card=CARD_DRAFT)
    secrets = [CARD_A, CARD_B, CARD_DRAFT, ACCOUNT_NUMBER, PHONE_A, PHONE_IN_TEXT]
    for h in (wang, li, zhao):
        secrets += [h.head_id_number, h.phone] + [m.id_number for m in h.members.all()]
    return Disclosed(
        village=village, township=township, households=[wang, li, zhao], allocation=allocation,
        township_allocation=township_allocation, project=project, transactions=[txn_in, txn_out],
        payments=[pay_a, pay_b, correction], corrected=pay_c, correction=correction, draft_payment=draft_payment,
        notices=notices, secrets=[s for s in secrets if s],
    )

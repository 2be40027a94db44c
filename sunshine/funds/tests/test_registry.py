"""funds.registry: the one table of the four record types, and the callers that read it agree with it."""
import pytest

from sunshine.funds import public
from sunshine.funds.choices import NoticeKind, RecordType
from sunshine.funds.importers import BY_JOB_KIND, IMPORTERS
from sunshine.funds.models import AccountTransaction, FundAllocation, HouseholdPayment, NoticeItem, Project
from sunshine.funds.registry import RECORD_KINDS, record_kind, record_kind_for_about, record_kind_of
from sunshine.funds.services.records import CORRECTABLE


def test_there_is_one_entry_per_record_type_and_notice_kind():
    assert list(RECORD_KINDS) == ["allocation", "project", "payment", "transaction"]
    assert set(RECORD_KINDS) == set(RecordType.values) == set(NoticeKind.values)
    assert {k.model for k in RECORD_KINDS.values()} == {FundAllocation, Project, HouseholdPayment, AccountTransaction}


@pytest.mark.parametrize("value", RecordType.values)
def test_each_entry_names_real_columns_an_importer_and_a_public_read_model(value):
    kind = record_kind(value)
    assert record_kind(NoticeKind(value)) is kind and record_kind_of(kind.model) is kind
    assert record_kind_for_about(f"funds.{value}") is kind
    assert NoticeItem._meta.get_field(kind.item_field).related_model is kind.model
    model_fields = {f.name for f in kind.model._meta.get_fields()}
    assert kind.region_field in model_fields and kind.amount_field in model_fields
    assert set(kind.related) <= model_fields and set(kind.public_related) <= model_fields
    assert set(kind.correctable) <= model_fields and CORRECTABLE[kind.model] == kind.correctable
    assert IMPORTERS[value] is kind.importer and BY_JOB_KIND[kind.importer.kind] is kind.importer
    assert kind.label == RecordType(value).label and str(kind.import_title).startswith("导入")
    assert callable(getattr(public, f"public_{value}"))


def test_an_unknown_type_is_not_guessed():
    assert record_kind_for_about("funds.household") is None and record_kind_for_about("cases.case") is None
    with pytest.raises(KeyError):
        record_kind("household")


@pytest.mark.django_db
def test_the_public_read_model_of_a_payment_masks_id_and_card(city):
    import datetime as dt
    from decimal import Decimal

    from sunshine.funds.services.records import payment_create
    from sunshine.funds.tests.factories import households

    [household] = households(city, 1)
    payment = payment_create(actor=city.accounts["township1"], household=household, fund_item="健康扶贫",
                             amount=Decimal("300"), paid_on=dt.date(2026, 3, 1), bank_card="6217000011112222333")
    shown = record_kind("payment").to_public(payment, notice_code="ABC")
    assert shown.payee_id_masked[:6] == payment.payee_id_number[:6] and "*" in shown.payee_id_masked
    assert payment.payee_id_number[6:14] not in shown.payee_id_masked
    assert "6217000011112222333" not in shown.card_masked and shown.card_masked.endswith("2333")
    assert shown.notice_code == "ABC" and shown.amount == Decimal("300")

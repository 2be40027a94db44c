"""Payments keep no per-row foreign-key check on their household; a trigger refuses to delete a paid household."""
from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from sunshine.funds.importers import PaymentImporter, run_import
from sunshine.funds.models import HouseholdPayment
from sunshine.org.models import Household

from .factories import PAYMENT_HEADER, csv_bytes, households, payment_rows, write

pytestmark = pytest.mark.django_db


def _delete_by_sql(household_id: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM org_householdmember WHERE household_id = %s", [household_id])
        cursor.execute("DELETE FROM org_household WHERE id = %s", [household_id])


def test_a_household_with_payments_cannot_be_deleted_even_by_sql(city, tmp_path):
    paid, unpaid = households(city, 2)
    assert run_import(PaymentImporter(scope=None), source=write(tmp_path, "p.csv", csv_bytes(
        PAYMENT_HEADER, payment_rows([paid]))), filename="p.csv").ok

    with pytest.raises(IntegrityError):
        _delete_by_sql(paid.pk)
    _delete_by_sql(unpaid.pk)

    assert Household.objects.filter(pk=paid.pk).exists() and not Household.objects.filter(pk=unpaid.pk).exists()
    assert HouseholdPayment.objects.filter(household_id=paid.pk).count() == 1


def test_the_orm_refuses_too_before_any_sql(city, tmp_path):
    (paid,) = households(city, 1)
    run_import(PaymentImporter(scope=None), source=write(tmp_path, "p.csv", csv_bytes(
        PAYMENT_HEADER, payment_rows([paid]))), filename="p.csv")

    with pytest.raises(ProtectedError):
        Household.objects.get(pk=paid.pk).delete()

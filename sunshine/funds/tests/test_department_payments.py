"""A sector department pays households across townships: it imports payments of the items it funds for households
anywhere in the city, sees those payments (and nobody else's) through the jurisdiction mechanism, and cannot import
another department's item."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sunshine.core.models import ImportJob
from sunshine.funds.importers import PaymentImporter, run_import
from sunshine.funds.models import DepartmentFundItem, HouseholdPayment
from sunshine.funds.selectors import payment_list_visible_to
from sunshine.org.choices import UnitKind
from sunshine.org.models import Unit

from .factories import PAYMENT_HEADER, csv_bytes, households, payment_rows, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(city):
    water = Unit.objects.create(name="市水利局（测试）", kind=UnitKind.DEPARTMENT)
    DepartmentFundItem.objects.create(name="产业奖补", unit=city.department)
    DepartmentFundItem.objects.create(name="饮水安全补助", unit=water)
    return water


def test_a_departments_city_wide_payment_file_imports_through_the_desk_and_it_sees_its_payments(
        city, items, login, tmp_path, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    north, south = households(city, 2, village_index=0), households(city, 2, village_index=2)  # two townships
    data = csv_bytes(PAYMENT_HEADER, payment_rows(north + south))
    client = login(city.accounts["department"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/desk/funds/imports/payment/", {"file": SimpleUploadedFile("agri.csv", data)})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.created_rows == 4
    payments = HouseholdPayment.objects.all()
    assert {p.owner_unit_id for p in payments} == {city.department.pk}
    assert {p.village_id for p in payments} == {city.villages[0].pk, city.villages[2].pk}
    seen = payment_list_visible_to(actor=city.accounts["department"])
    assert sorted(p.household_id for p in seen) == sorted(h.pk for h in north + south)
    # Each township sees the payments to its own households, whoever paid them.
    assert {p.household_id for p in payment_list_visible_to(actor=city.accounts["township2"])} == {
        h.pk for h in south}


def test_a_department_sees_none_of_a_townships_or_another_departments_payments(city, items, tmp_path):
    hhs = households(city, 2)
    township = run_import(PaymentImporter(scope=None, unit=city.township_units[0]),
                          source=write(tmp_path, "t.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs, item="低保金"))),
                          filename="t.csv")
    water = run_import(PaymentImporter(scope=None, unit=items),
                       source=write(tmp_path, "w.csv", csv_bytes(PAYMENT_HEADER,
                                                                 payment_rows(hhs, item="饮水安全补助"))),
                       filename="w.csv")
    assert township.ok and water.ok
    assert HouseholdPayment.objects.count() == 4
    assert payment_list_visible_to(actor=city.accounts["department"]).count() == 0


def test_a_department_cannot_import_another_departments_item(city, items, tmp_path):
    hhs = households(city, 2, village_index=3)
    rows = payment_rows(hhs)
    rows[1][3] = "饮水安全补助"  # the water bureau's item, row 3
    result = run_import(PaymentImporter(scope=None, unit=city.department),
                        source=write(tmp_path, "mixed.csv", csv_bytes(PAYMENT_HEADER, rows)), filename="mixed.csv")
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "补贴项目")]
    assert "不是市农业局归口的资金项目" in result.errors[0]["reason"]
    assert HouseholdPayment.objects.count() == 0

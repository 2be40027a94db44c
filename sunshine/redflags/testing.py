"""Test builders for the data comparison: registry rows written directly (the importers have their own tests)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sunshine.core.masking import mask_id_number

from .choices import RegistryKind
from .idkeys import id_key
from .models import (
    BusinessRole,
    DeathRecord,
    DisabilityRecord,
    FundStandard,
    Official,
    OfficialRelative,
    PensionEnrolment,
    PropertyPurchase,
    RegistryBatch,
    Vehicle,
)

DATA_DATE = dt.date(2026, 3, 31)


def batch(kind: str) -> RegistryBatch:
    return RegistryBatch.objects.create(kind=kind, source=f"测试{RegistryKind(kind).label}", data_date=DATA_DATE)


def _who(number: str) -> dict:
    return {"id_key": id_key(number), "id_masked": mask_id_number(number)}


def official(number: str, *, name: str = "李干部", kind: str = "cadre", unit_name: str = "测试村村委会",
             relatives: tuple = (), b: RegistryBatch | None = None) -> Official:
    b = b or batch(RegistryKind.OFFICIALS)
    o = Official.objects.create(batch=b, name=name, kind=kind, unit_name=unit_name, post="村主任", **_who(number))
    for rel_number, rel_name, relation in relatives:
        OfficialRelative.objects.create(batch=b, official=o, name=rel_name, relation=relation, **_who(rel_number))
    return o


def death(number: str, died_on: dt.date, *, name: str = "王故") -> DeathRecord:
    return DeathRecord.objects.create(batch=batch(RegistryKind.DEATHS), name=name, died_on=died_on, kind="death",
                                      **_who(number))


def vehicle(number: str, plate: str, vehicle_type: str = "小型轿车") -> Vehicle:
    return Vehicle.objects.create(batch=batch(RegistryKind.VEHICLES), plate=plate, owner_key=id_key(number),
                                  owner_masked=mask_id_number(number), owner_name="车主", vehicle_type=vehicle_type,
                                  registered_on=dt.date(2024, 5, 1))


def business(number: str, credit_code: str, role: str = "legal_rep") -> BusinessRole:
    return BusinessRole.objects.create(batch=batch(RegistryKind.BUSINESS), credit_code=credit_code,
                                       company_name="测试公司", id_key=id_key(number),
                                       id_masked=mask_id_number(number), person_name="股东", role=role,
                                       registered_on=dt.date(2020, 1, 1))


def purchase(number: str, certificate: str, amount) -> PropertyPurchase:
    return PropertyPurchase.objects.create(batch=batch(RegistryKind.PROPERTY), certificate=certificate,
                                           buyer_key=id_key(number), buyer_masked=mask_id_number(number),
                                           buyer_name="买房人", location="湘乡市某小区", amount=Decimal(amount),
                                           bought_on=dt.date(2025, 6, 1))


def pension(number: str) -> PensionEnrolment:
    return PensionEnrolment.objects.create(batch=batch(RegistryKind.PENSION), name="参保人", employer="某公司",
                                           enrolled_on=dt.date(2023, 1, 1), **_who(number))


def disability(number: str) -> DisabilityRecord:
    return DisabilityRecord.objects.create(batch=batch(RegistryKind.DISABILITY), name="残疾人",
                                           certificate=f"C{number[-8:]}", grade="二级", **_who(number))


def standard(fund_item: str, basis: str, amount, *, valid_from=dt.date(2026, 1, 1),
             valid_to=dt.date(2026, 12, 31)) -> FundStandard:
    return FundStandard.objects.create(batch=batch(RegistryKind.STANDARDS), fund_item=fund_item, basis=basis,
                                       amount=Decimal(amount), valid_from=valid_from, valid_to=valid_to)

"""Builders for oversight's field-work tests: people in posts, visits made through the real service."""
from __future__ import annotations

import datetime as dt

from sunshine.org import services as org_services
from sunshine.org.choices import Post, UnitKind
from sunshine.org.models import Unit

YEAR = 2025
YEAR_END = dt.date(YEAR, 12, 31)


def city_party(city):
    unit = Unit.objects.filter(kind=UnitKind.CITY_PARTY_GOV).first()
    return unit or org_services.unit_create(actor=None, name="中共湘乡市委", kind=UnitKind.CITY_PARTY_GOV, territory=city.city)


def appoint(name: str, unit, post: str, start: dt.date, *, title: str = ""):
    person = org_services.person_create(actor=None, name=name, unit=unit)
    org_services.position_start(actor=None, person=person, unit=unit, post=post, start_date=start, title=title)
    return person


def visit(actor, person, village, on: dt.date, *, household=None, findings: str = "", **kwargs):
    from sunshine.oversight.services.visits import visit_record

    return visit_record(actor=actor, visitor=person, village=village, household=household, visited_on=on,
                        method="four_not_two", findings=findings, today=YEAR_END, **kwargs)


def leaders(city):
    """The party secretary (whole year), the mayor (from 1 July 2025) and one city leader (whole year)."""
    party = city_party(city)
    return {
        "secretary": appoint("书记甲", party, Post.PARTY_SECRETARY, dt.date(2020, 1, 1)),
        "mayor": appoint("市长乙", party, Post.MAYOR, dt.date(YEAR, 7, 1)),
        "leader": appoint("领导丙", party, Post.CITY_LEADER, dt.date(2019, 3, 1)),
    }

"""Routing of a clue to the unit that handles it: a small rule table, evaluated in order, first match wins.

三(三)1: departments screen clues and transfer suspected violations of discipline by procedure; 三(三)2: clues go
fast to discipline offices. A village matter is for its township government, a department matter for that member
unit; suspected violations (problem types 15–19 money and projects, 27 concealment, or staff's mark) go to the
discipline room that supervises the competent unit.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sunshine.org.choices import RegionLevel, UnitKind

# 二(四)15–19 (irregular fund management and project implementation) and 二(六)27 (concealment): discipline matters.
DISCIPLINE_PROBLEM_TYPES = frozenset({15, 16, 17, 18, 19, 27})
DEPARTMENT_KINDS = {UnitKind.MEMBER_UNIT, UnitKind.DEPARTMENT, UnitKind.AUDIT, UnitKind.INSPECTION}
DISCIPLINE_KINDS = {UnitKind.DISCIPLINE_ROOM, UnitKind.DISCIPLINE_GROUP, UnitKind.DISCIPLINE_COMMISSION}
# A township commission handles its villages' clues but takes nobody's clue up (提级 is for the city's rooms).
TOWNSHIP_DISCIPLINE_KINDS = {UnitKind.TOWNSHIP_DISCIPLINE}


@dataclass(frozen=True)
class Clue:
    """What routing looks at: where, about which unit, which problem type, whether staff marked 涉嫌违纪."""

    region: object | None = None  # org.Region (village or township)
    about_unit: object | None = None  # org.Unit
    problem_type_number: int | None = None
    suspected_violation: bool = False


@dataclass(frozen=True)
class Route:
    unit: object  # org.Unit
    rule: str
    reason: str


@dataclass(frozen=True)
class Rule:
    name: str
    reason: str
    applies: Callable[[Clue], bool]
    target: Callable[[Clue], object | None]  # the unit, or None when this rule cannot place the clue


def is_discipline_matter(clue: Clue) -> bool:
    return clue.suspected_violation or clue.problem_type_number in DISCIPLINE_PROBLEM_TYPES


def township_of(region):
    if region is None:
        return None
    if region.level == RegionLevel.TOWNSHIP:
        return region
    if region.level in (RegionLevel.VILLAGE, RegionLevel.GROUP):
        node = region
        while node is not None and node.level > RegionLevel.TOWNSHIP:
            node = node.parent
        return node
    return None


def township_government(region):
    from sunshine.org.models import Unit

    township = township_of(region)
    if township is None:
        return None
    return Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOV, territory=township).order_by("pk").first()


def competent_unit(clue: Clue):
    """The unit responsible for the matter itself: the member unit reported on, else the township government."""
    if clue.about_unit is not None and clue.about_unit.kind in DEPARTMENT_KINDS:
        return clue.about_unit
    if clue.about_unit is not None and clue.about_unit.kind == UnitKind.TOWNSHIP_GOV:
        return clue.about_unit
    if clue.about_unit is not None and clue.about_unit.kind in (UnitKind.VILLAGE_COMMITTEE, UnitKind.WORK_TEAM):
        return township_government(clue.about_unit.territory) or township_government(clue.region)
    return township_government(clue.region)


def supervising_discipline_unit(unit):
    """The discipline room or dispatched group that supervises `unit` (三(一)3), if one is on record."""
    if unit is None:
        return None
    return unit.supervisors.filter(kind__in=[UnitKind.DISCIPLINE_ROOM, UnitKind.DISCIPLINE_GROUP]).order_by("pk").first()


def township_discipline_commission(clue: Clue):
    """三(一)3: a discipline clue about a township's own village (or its village committee or work team) goes to
    that township's discipline commission (乡镇纪委) first; the city room supervising the township may take it up
    (提级办理). A clue about the township government itself is not the township commission's to handle."""
    from sunshine.org.models import Unit

    about = clue.about_unit
    if about is not None and about.kind not in (UnitKind.VILLAGE_COMMITTEE, UnitKind.WORK_TEAM):
        return None
    region = about.territory if about is not None and about.territory_id else clue.region
    if region is None or region.level not in (RegionLevel.VILLAGE, RegionLevel.GROUP):
        return None
    township = township_of(region)
    return Unit.objects.filter(kind=UnitKind.TOWNSHIP_DISCIPLINE, territory=township).order_by("pk").first()


def discipline_commission():
    from sunshine.org.models import Unit

    return Unit.objects.filter(kind=UnitKind.DISCIPLINE_COMMISSION).order_by("pk").first()


def governance_office():
    from sunshine.org.models import Unit

    return Unit.objects.filter(kind=UnitKind.GOVERNANCE_OFFICE).order_by("pk").first()


RULES: tuple[Rule, ...] = (
    Rule("township_discipline", "涉嫌违纪问题线索,反映本乡镇(街道)所辖村的问题,先由乡镇(街道)纪(工)委办理",
         is_discipline_matter, township_discipline_commission),
    Rule("discipline_supervisor", "涉嫌违纪问题线索,按程序移送监督该单位的纪检监察机构",
         is_discipline_matter, lambda c: supervising_discipline_unit(competent_unit(c))),
    Rule("discipline_commission", "涉嫌违纪问题线索,移送市纪委监委",
         is_discipline_matter, lambda c: discipline_commission()),
    # The special governance office sits in the discipline commission: a discipline matter never falls back to
    # the township it concerns.
    Rule("discipline_office", "涉嫌违纪问题线索,移送市专项治理办(市纪委监委)",
         is_discipline_matter, lambda c: governance_office()),
    Rule("member_unit", "反映市直单位问题,交由该成员单位办理",
         lambda c: c.about_unit is not None and c.about_unit.kind in DEPARTMENT_KINDS, lambda c: c.about_unit),
    Rule("township", "反映乡镇(村)问题,交由属地乡镇(街道)办理",
         lambda c: c.region is not None or c.about_unit is not None, competent_unit),
    Rule("governance_office", "无法确定承办单位,由市专项治理办甄别分办", lambda c: True, lambda c: governance_office()),
)


def route(clue: Clue) -> Route:
    """The first rule that applies and can name a unit; raises LookupError if even the fallback has no unit."""
    for rule in RULES:
        if rule.applies(clue):
            unit = rule.target(clue)
            if unit is not None:
                return Route(unit=unit, rule=rule.name, reason=rule.reason)
    raise LookupError("no unit to route the clue to: create the special governance office (市专项治理办) unit")


def is_city_level(unit) -> bool:
    """A unit above the townships (its territory is the city, or it has none: departments, discipline rooms)."""
    if unit is None:
        return False
    return unit.territory_id is None or unit.territory.level == RegionLevel.CITY


def skipped_level(*, channel: str, received_by, competent) -> bool:
    """越级: a township or village matter that reached the city (transfer from above, or taken at a city desk)."""
    from .choices import Channel

    if competent is None or competent.kind != UnitKind.TOWNSHIP_GOV:
        return False
    return channel == Channel.TRANSFER_FROM_ABOVE or (received_by is not None and is_city_level(received_by))


__all__ = ["Clue", "Route", "RULES", "route", "competent_unit", "skipped_level", "DISCIPLINE_PROBLEM_TYPES"]

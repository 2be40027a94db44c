"""Reads of training (三(二)5): plans, sessions, and coverage of every poverty-alleviation cadre."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from sunshine.org.capabilities import require
from sunshine.org.choices import Post, UnitKind
from sunshine.org.jurisdiction import get_visible, visible
from sunshine.org.models import Household, Person, Position

from ..capabilities import Capability
from ..models import TrainingAttendance, TrainingPlan, TrainingSession

# 三(二)5 "扶贫干部全员培训": who counts as a poverty-alleviation cadre, by category.
CATEGORY_WORK_TEAM = "驻村工作队员"
CATEGORY_PAIRING = "结对帮扶责任人"
CATEGORY_TOWNSHIP = "乡镇干部"
CATEGORY_VILLAGE = "村干部"
CATEGORY_MEMBER_UNIT = "成员单位负责人"
CATEGORIES = [CATEGORY_WORK_TEAM, CATEGORY_PAIRING, CATEGORY_TOWNSHIP, CATEGORY_VILLAGE, CATEGORY_MEMBER_UNIT]
# 三(一)2: the member units' 主要负责人、分管负责人、具体负责人.
MEMBER_UNIT_POSTS = {Post.PRINCIPAL, Post.IN_CHARGE, Post.SPECIFIC}


def training_plans(*, actor) -> QuerySet[TrainingPlan]:
    """The city's plans: one per year, read by every staff member who reads the registers."""
    require(actor, Capability.VIEW_REGISTERS)
    return (TrainingPlan.objects.select_related("organiser").annotate(session_count=Count("sessions"))
            .order_by("-year"))


def sessions_visible(*, actor, year: int | None = None) -> QuerySet[TrainingSession]:
    require(actor, Capability.VIEW_REGISTERS)
    qs = visible(TrainingSession.objects.select_related("organiser", "plan"), actor=actor)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.annotate(attendance_count=Count("attendances")).order_by("-held_on", "-id")


def session_get_for(*, actor, pk: int) -> TrainingSession:
    require(actor, Capability.VIEW_REGISTERS)
    return get_visible(TrainingSession.objects.select_related("organiser", "plan"), actor=actor, pk=pk)


def session_attendance(*, session: TrainingSession) -> QuerySet[TrainingAttendance]:
    return session.attendances.select_related("person", "person__unit").order_by("person__name", "id")


@dataclass
class Cadre:
    person: Person
    categories: set[str] = field(default_factory=set)
    sessions: int = 0

    @property
    def trained(self) -> bool:
        return self.sessions > 0


@dataclass
class Coverage:
    year: int
    cadres: list[Cadre]

    @property
    def total(self) -> int:
        return len(self.cadres)

    @property
    def trained(self) -> int:
        return sum(1 for c in self.cadres if c.trained)

    @property
    def rate(self) -> float | None:
        return self.trained / self.total if self.total else None

    @property
    def never_trained(self) -> list[Cadre]:
        return [c for c in self.cadres if not c.trained]

    def by_category(self) -> list[tuple[str, int, int]]:
        return [(cat, sum(1 for c in self.cadres if cat in c.categories),
                 sum(1 for c in self.cadres if cat in c.categories and c.trained)) for cat in CATEGORIES]


def _in_year(year: int) -> Q:
    return Q(start_date__lte=dt.date(year, 12, 31)) & (Q(end_date__isnull=True) | Q(end_date__gte=dt.date(year, 1, 1)))


def cadre_categories(*, year: int, people: QuerySet[Person] | None = None) -> dict[int, set[str]]:
    """Person id → the categories that make them a poverty-alleviation cadre in `year` (a post held at any time
    in the year, or pairing a registered household)."""
    positions = Position.objects.filter(_in_year(year)).filter(
        Q(post__in=[Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER, Post.PAIRING_CADRE])
        | Q(unit__kind__in=[UnitKind.TOWNSHIP_GOV, UnitKind.VILLAGE_COMMITTEE, UnitKind.WORK_TEAM])
        | Q(unit__kind=UnitKind.MEMBER_UNIT, post__in=MEMBER_UNIT_POSTS))
    if people is not None:
        positions = positions.filter(person__in=people)
    found: dict[int, set[str]] = {}
    for person_id, post, kind in positions.values_list("person_id", "post", "unit__kind"):
        if post in (Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER) or kind == UnitKind.WORK_TEAM:
            category = CATEGORY_WORK_TEAM
        elif post == Post.PAIRING_CADRE:
            category = CATEGORY_PAIRING
        elif kind == UnitKind.TOWNSHIP_GOV:
            category = CATEGORY_TOWNSHIP
        elif kind == UnitKind.VILLAGE_COMMITTEE:
            category = CATEGORY_VILLAGE
        else:
            category = CATEGORY_MEMBER_UNIT
        found.setdefault(person_id, set()).add(category)
    pairing = Household.objects.filter(pairing_cadre__isnull=False)
    if people is not None:
        pairing = pairing.filter(pairing_cadre__in=people)
    for person_id in pairing.values_list("pairing_cadre_id", flat=True).distinct():
        found.setdefault(person_id, set()).add(CATEGORY_PAIRING)
    return found


def training_coverage(*, actor, year: int) -> Coverage:
    """Every poverty-alleviation cadre the actor may see, and how many sessions of `year` each attended."""
    require(actor, Capability.VIEW_REGISTERS)
    people = visible(Person.objects.all(), actor=actor)
    categories = cadre_categories(year=year, people=people)
    attended = dict(TrainingAttendance.objects.filter(session__held_on__year=year, person_id__in=list(categories))
                    .values("person_id").annotate(n=Count("session", distinct=True)).values_list("person_id", "n"))
    persons = Person.objects.filter(pk__in=list(categories)).select_related("unit").order_by("unit__name", "name", "id")
    return Coverage(year=year, cadres=[Cadre(person=p, categories=categories[p.pk], sessions=attended.get(p.pk, 0))
                                       for p in persons])


def training_coverage_of_people(*, year: int, people: QuerySet[Person]) -> tuple[int, int]:
    """(cadres, trained) among `people` — the assessment's training figure, the same rule as the coverage page."""
    categories = cadre_categories(year=year, people=people)
    trained = (TrainingAttendance.objects.filter(session__held_on__year=year, person_id__in=list(categories))
               .values("person_id").distinct().count())
    return len(categories), trained

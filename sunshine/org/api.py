"""Staff read endpoints for regions, units, people and households, scoped by jurisdiction."""

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sunshine.core.schemas import ErrorOut

from . import selectors
from .schemas import (
    HouseholdDetailOut,
    HouseholdOut,
    PersonDetailOut,
    PersonOut,
    ProblemTypeOut,
    RegionStaffOut,
    UnitOut,
)

router = Router(tags=["org"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class RegionFilter(Schema):
    parent_id: int | None = None
    level: int | None = None


class UnitFilter(Schema):
    kind: str | None = None
    q: str = ""


class PersonFilter(Schema):
    unit_id: int | None = None
    post: str | None = None
    q: str = ""


class HouseholdFilter(Schema):
    region_id: int | None = None
    status: str | None = None
    q: str = ""


@router.get("/regions", response={200: list[RegionStaffOut], **ERRORS})
@paginate
def list_regions(request, filters: Query[RegionFilter]):
    return selectors.region_list_visible_to(actor=request.auth, parent_id=filters.parent_id, level=filters.level)


@router.get("/regions/{region_id}", response={200: RegionStaffOut, **ERRORS})
def get_region(request, region_id: int):
    return selectors.region_get_for(actor=request.auth, pk=region_id)


@router.get("/units", response={200: list[UnitOut], **ERRORS})
@paginate
def list_units(request, filters: Query[UnitFilter]):
    return selectors.unit_list_visible_to(actor=request.auth, kind=filters.kind, q=filters.q)


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS})
def get_unit(request, unit_id: int):
    return selectors.unit_get_for(actor=request.auth, pk=unit_id)


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@paginate
def list_people(request, filters: Query[PersonFilter]):
    return selectors.person_list_visible_to(
        actor=request.auth, unit_id=filters.unit_id, post=filters.post, q=filters.q
    )


@router.get("/people/{person_id}", response={200: PersonDetailOut, **ERRORS})
def get_person(request, person_id: int):
    person = selectors.person_get_for(actor=request.auth, pk=person_id)
    person.positions_list = list(selectors.positions_of(person=person))
    return person


@router.get("/households", response={200: list[HouseholdOut], **ERRORS})
@paginate
def list_households(request, filters: Query[HouseholdFilter]):
    return selectors.household_list_visible_to(
        actor=request.auth, region_id=filters.region_id, status=filters.status, q=filters.q
    )


@router.get("/households/{household_id}", response={200: HouseholdDetailOut, **ERRORS})
def get_household(request, household_id: int):
    return selectors.household_get_for(actor=request.auth, pk=household_id)


@router.get("/problem-types", response={200: list[ProblemTypeOut], **ERRORS})
def list_problem_types(request):
    return selectors.problem_types()

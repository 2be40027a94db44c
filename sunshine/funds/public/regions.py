"""Townships and villages as the public sees them."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext

from sunshine.core.errors import NotFound
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Region


@dataclass(frozen=True)
class PublicRegion:
    id: int
    code: str
    name: str
    level: int
    is_poor_village: bool
    parent_id: int | None = None
    parent_code: str | None = None
    parent_name: str | None = None
    child_count: int = 0


def _public_region(region: Region, *, child_count: int = 0) -> PublicRegion:
    parent = region.parent if region.parent_id and region.level > RegionLevel.TOWNSHIP else None
    return PublicRegion(
        id=region.pk, code=region.code, name=region.name, level=region.level,
        is_poor_village=region.is_poor_village, parent_id=parent.pk if parent else None,
        parent_code=parent.code if parent else None,
        parent_name=parent.name if parent else None, child_count=child_count,
    )


def township_list() -> list[PublicRegion]:
    """Every township/street with the number of its villages (one query)."""
    qs = (
        Region.objects.filter(level=RegionLevel.TOWNSHIP)
        .annotate(n=Count("children", filter=Q(children__level=RegionLevel.VILLAGE)))
        .order_by("code")
    )
    return [_public_region(r, child_count=r.n) for r in qs]


def township_get(*, code: str) -> PublicRegion:
    region = Region.objects.filter(level=RegionLevel.TOWNSHIP, code=code).first()
    if region is None:
        raise NotFound(gettext("未找到该乡镇(街道)"))
    return _public_region(region)


def village_list(*, township_code: str) -> list[PublicRegion]:
    qs = Region.objects.filter(level=RegionLevel.VILLAGE, parent__code=township_code).order_by("code")
    return [_public_region(r) for r in qs.select_related("parent")]


@dataclass(frozen=True)
class TownshipVillages:
    code: str
    name: str
    villages: list[PublicRegion]


def village_choices() -> list[TownshipVillages]:
    """Every village grouped by township, for the self-check form's picker (two queries)."""
    townships = {r.pk: TownshipVillages(r.code, r.name, []) for r in
                 Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code").only("code", "name")}
    for v in Region.objects.filter(level=RegionLevel.VILLAGE).order_by("code").only(
            "code", "name", "level", "parent_id", "is_poor_village"):
        if v.parent_id in townships:
            townships[v.parent_id].villages.append(
                PublicRegion(id=v.pk, code=v.code, name=v.name, level=v.level, is_poor_village=v.is_poor_village))
    return list(townships.values())


def village_get(*, code: str) -> PublicRegion:
    region = Region.objects.select_related("parent").filter(level=RegionLevel.VILLAGE, code=code).first()
    if region is None:
        raise NotFound(gettext("未找到该村(社区)"))
    return _public_region(region)


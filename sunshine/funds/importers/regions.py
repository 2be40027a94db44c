"""Townships and villages by the names files use ("龙洞镇"/"龙洞", "泉塘村"/"泉塘"), or by division code."""
from __future__ import annotations

from sunshine.org.choices import RegionLevel
from sunshine.org.models import Region

TOWNSHIP_SUFFIXES = ("镇", "乡", "街道", "街道办事处")
VILLAGE_SUFFIXES = ("村", "社区", "村委会", "居委会")


def _bare(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class RegionLookup:
    def __init__(self):
        regions = list(Region.objects.filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]).only(
            "id", "name", "code", "level", "parent_id", "path"))
        self.by_id = {r.pk: r for r in regions}
        self.by_code = {r.code: r for r in regions}
        self.townships: dict[str, Region] = {}
        self.villages: dict[tuple[int, str], Region] = {}
        by_bare_village: dict[str, list[Region]] = {}
        for r in regions:
            if r.level == RegionLevel.TOWNSHIP:
                self.townships[_bare(r.name, TOWNSHIP_SUFFIXES)] = r
            else:
                bare = _bare(r.name, VILLAGE_SUFFIXES)
                self.villages[(r.parent_id, bare)] = r
                by_bare_village.setdefault(bare, []).append(r)
        # A village name alone places a row only when no two townships have a village of that name.
        self.unique_villages = {name: rs[0] for name, rs in by_bare_village.items() if len(rs) == 1}

    def township(self, name: str) -> Region | None:
        if name in self.by_code and self.by_code[name].level == RegionLevel.TOWNSHIP:
            return self.by_code[name]
        return self.townships.get(_bare(name, TOWNSHIP_SUFFIXES))

    def village(self, name: str, township: Region | None = None) -> tuple[Region | None, str]:
        """The village, or None and the reason it could not be placed."""
        if name in self.by_code and self.by_code[name].level == RegionLevel.VILLAGE:
            return self.by_code[name], ""
        bare = _bare(name, VILLAGE_SUFFIXES)
        if township is not None:
            found = self.villages.get((township.pk, bare))
            return found, "" if found else f"{township.name}没有“{name}”这个村"
        found = self.unique_villages.get(bare)
        if found is None:
            several = any(key[1] == bare for key in self.villages)
            return None, (f"有多个乡镇都有“{name}”，请填写乡镇" if several else f"没有“{name}”这个村")
        return found, ""

"""The demo city: an invented 湘乡市 with its organisation (三(一)), 建档立卡 households and one account per role.

Everything is drawn from ctx.rng, so the same seed and date give the same city. Townships, villages and people
are invented: names come from Faker's zh_CN tables, and no name of a real person in the work plan is produced.
City, township and member-unit officials go through org services; the village cadres, pairing cadres, households
and members, whose numbers grow with the city (to a million households for benchmarks), are written in batches:
COPY on PostgreSQL, executemany on SQLite, with ids reserved first so rows can point at each other.

draw.py: names, ID numbers, phones · city.py: regions, units, officials, accounts · households.py: the registry ·
bulk.py: batch writes · accounts.py: the `demo_accounts` table.
"""
from __future__ import annotations

from sunshine.core.demo import DemoContext, register_demo_step
from sunshine.org.models import Person, Unit

from .accounts import demo_account_rows, jurisdiction_summary
from .city import (
    CITY_CODE,
    CITY_LEADERS,
    CITY_NAME,
    DEMO_ACCOUNTS,
    DISCIPLINE_GROUPS,
    MAX_TOWNSHIPS,
    MAX_VILLAGES_PER_TOWNSHIP,
    CitySeeder,
)
from .draw import REAL_NAMES_IN_PLAN, NameMaker
from .households import seed_households

__all__ = [
    "CITY_CODE", "CITY_LEADERS", "CITY_NAME", "DEMO_ACCOUNTS", "DISCIPLINE_GROUPS", "REAL_NAMES_IN_PLAN", "NameMaker",
    "demo_account_rows", "jurisdiction_summary", "seed", "size_problem",
]


def size_problem(*, townships: int, villages: int) -> str | None:
    """Why a city of this size cannot be built (the division codes have room for so many), or None."""
    if not 1 <= townships <= MAX_TOWNSHIPS:
        return f"乡镇（街道）数须在 1 到 {MAX_TOWNSHIPS} 之间"
    if not townships <= villages <= townships * MAX_VILLAGES_PER_TOWNSHIP:
        return f"村（社区）数须不少于乡镇数，且每个乡镇不超过 {MAX_VILLAGES_PER_TOWNSHIP} 个"
    return None


@register_demo_step("org", order=10)
def seed(ctx: DemoContext) -> None:
    """Build the organisation, the households and the demo accounts; fill ctx.accounts."""
    problem = size_problem(townships=ctx.townships, villages=ctx.villages)
    if problem:
        raise ValueError(problem)
    seeder = CitySeeder(ctx)
    seeder.build_regions(townships=ctx.townships, villages=ctx.villages)
    seeder.build_units()
    seeder.build_officials()
    seeder.build_village_cadres()
    ctx.write(f"  组织机构：{ctx.townships} 个乡镇（街道）、{ctx.villages} 个村（社区）、"
              f"{Unit.objects.count()} 个单位、{Person.objects.count()} 名干部")
    writer = seed_households(seeder, ctx.households)
    ctx.write(f"  建档立卡户 {writer.households} 户、家庭成员 {writer.members} 人、"
              f"结对帮扶责任人 {writer.cadre_count} 名")
    ctx.accounts.update(seeder.build_accounts())


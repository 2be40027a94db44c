"""The demo accounts table printed by `sunshine demo_accounts`."""
from __future__ import annotations

from sunshine.core.demo import DEMO_PASSWORD
from sunshine.org.choices import RegionLevel, Role, UnitKind
from sunshine.org.jurisdiction import scope_for
from sunshine.org.models import Account, Region

from .city import DEMO_ACCOUNTS


def demo_account_rows() -> list[dict[str, str]]:
    """One row per demo account that exists: username, password, role, person, unit and post, what it sees."""
    by_username = {a.username: a for a in Account.objects.select_related("unit", "person").filter(
        username__in=[username for _, username, _ in DEMO_ACCOUNTS])}
    rows = []
    for _, username, _ in DEMO_ACCOUNTS:
        account = by_username.get(username)
        if account is None:
            continue
        title = ""
        if account.person_id:
            position = account.person.positions.filter(end_date__isnull=True).order_by("start_date").first()
            title = position.title if position else ""
        rows.append({
            "username": username,
            "password": DEMO_PASSWORD,
            "role": str(Role(account.role).label),
            "person": account.person.name if account.person_id else "—",
            "unit": " ".join(part for part in (account.unit.name if account.unit_id else "", title) if part) or "—",
            "sees": jurisdiction_summary(account),
        })
    return rows


def jurisdiction_summary(account: Account) -> str:
    """What the account sees, in a few words of Chinese."""
    scope = scope_for(account)
    if scope.whole_city:
        return "全市"
    regions = list(Region.objects.filter(path__in=scope.region_paths).order_by("code"))
    if account.unit_id and account.unit.kind in (UnitKind.DISCIPLINE_ROOM, UnitKind.DISCIPLINE_GROUP):
        names = [r.name for r in regions] or [u.name for u in account.unit.supervised_units.order_by("name")]
        shown = "、".join(names[:3]) + (f"等{len(names)}个" if len(names) > 3 else "")
        return f"监督联系：{shown}" + ("乡镇（街道）及其村" if regions else "单位")
    if regions:
        return "、".join(
            f"{r.name}及其{r.children.count()}个村（社区）" if r.level == RegionLevel.TOWNSHIP else r.full_name
            for r in regions
        )
    return f"本单位（{account.unit.name}）的记录" if account.unit_id else "无"

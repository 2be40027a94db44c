"""The demo city's regions, units, officials and accounts (三(一)), built through the org services."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter

from sunshine.core.demo import DEMO_PASSWORD, DemoContext
from sunshine.org import services
from sunshine.org.choices import Post, RegionLevel, Role, UnitKind
from sunshine.org.models import Account, Person, Region, Unit

from .bulk import StaffBatch, StaffDraft
from .draw import DIVISION_CODE, Draw

CITY_CODE = "430381000000"
CITY_NAME = "湘乡市"

# Invented township names (none is a real 湘乡 township); more are composed from PLACE_* when asked for.
STREET_NAMES = ["云门", "桂花", "翠竹", "锦绣", "紫薇", "玉屏"]
TOWN_NAMES = ["龙泉", "石鼓", "凤岭", "白鹭", "竹塘", "双溪", "松坡", "清溪", "莲花", "杉木", "梓桥", "枫林",
              "青山", "杏坪", "茶亭", "金鸡", "鹤鸣", "峡口"]
XIANG_NAMES = ["大坪", "柳塘", "茶园", "高田", "石笋", "马家"]
PLACE_FIRST = "红新金石桃杏柳松竹梅兰荷枫樟茶枣杉桂云青白黄龙凤鹤燕狮马东南西北上下大小长高福兴和平安永"
PLACE_SECOND = "山塘桥坪冲湾岭田溪铺坳湖洲岗坡庄园林峰泉港坝垅"
CN_DIGITS = "零一二三四五六七八九"

# Digits 7–9 of a township's division code: streets 0xx, towns 1xx, xiang 2xx; a village's digits 10–12:
# communities from 001, villages from 201.
TOWNSHIP_CODE_BASE = {"street": 0, "town": 100, "xiang": 200}
MAX_TOWNSHIPS = 120  # keeps the towns within 101–199
MAX_VILLAGES_PER_TOWNSHIP = 799

POOR_VILLAGE_SHARE = 1 / 3
GROUPS_PER_VILLAGE = (6, 12)
GROUPS_PER_GRID_WORKER = 3
HISTORY_SHARE = {"principal": 0.2, "township": 0.25, "village": 0.15}  # posts whose holder has a predecessor
DISCIPLINE_GROUPS = 6
TOWNSHIPS_PER_DISCIPLINE_ROOM = 5
MEMBER_UNITS_LINKED_PER_TOWNSHIP = 3  # member units whose cadres pair with a township's households

# The demo accounts: ctx.accounts key, username (password DEMO_PASSWORD), role.
DEMO_ACCOUNTS = [
    ("admin", "admin", Role.ADMIN),
    ("party_secretary", "secretary", Role.CITY_LEADER),
    ("mayor", "mayor", Role.CITY_LEADER),
    ("leader", "leader", Role.CITY_LEADER),
    ("office", "office", Role.GOVERNANCE_OFFICE),
    ("discipline", "discipline", Role.DISCIPLINE),
    # 三(一)3: the home township's discipline commission, which takes its villages' discipline clues first.
    ("township_discipline", "towndisc", Role.DISCIPLINE),
    ("inspection", "inspection", Role.INSPECTION),
    ("audit", "audit", Role.AUDIT),
    ("department", "department", Role.DEPARTMENT),
    ("township", "township", Role.TOWNSHIP),
    ("village", "village", Role.VILLAGE),
    # 三权分立: besides the system administrator (`admin`), the security and the audit administrator.
    ("security_admin", "security", Role.SECURITY_ADMIN),
    ("audit_admin", "auditor", Role.AUDIT_ADMIN),
]

CITY_LEADERS = [  # (unit, title); the first, who heads the governance leading group, has the `leader` account
    ("中共湘乡市委", "市委副书记、专项治理工作领导小组组长"),
    ("市纪委监委", "市委常委、市纪委书记、市监委主任"),
    ("中共湘乡市委", "市委常委、组织部部长"),
    ("中共湘乡市委", "市委常委、宣传部部长"),
    ("湘乡市人民政府", "市委常委、常务副市长"),
    ("湘乡市人民政府", "副市长（分管农业农村、扶贫）"),
    ("湘乡市人民政府", "副市长（分管教育、卫生）"),
    ("湘乡市人民政府", "副市长（分管住建、交通）"),
]
# 三(一)3: members of the special-governance leading group that are not among the 31 member units.
EXTRA_DEPARTMENTS = ["市委政法委", "市信访局", "市委督查室", "市政府督查室"]


@dataclasses.dataclass
class Village:
    region: Region
    unit: Unit | None = None
    group_ids: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Township:
    region: Region
    kind: str  # "street", "town" or "xiang"
    unit: Unit | None = None
    commission: Unit | None = None  # the township's discipline commission (乡镇纪委 / 街道纪工委)
    villages: list[Village] = dataclasses.field(default_factory=list)
    linked_units: list[Unit] = dataclasses.field(default_factory=list)  # member units whose cadres pair here


class CitySeeder:
    """Builds the demo city's regions, units, officials and accounts from one DemoContext."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.draw = Draw(ctx)
        self.units: dict[str, Unit] = {}
        self.townships: list[Township] = []
        self.account_people: dict[str, int | Person] = {}  # account key -> Person, or StaffBatch index
        self.staff = StaffBatch()

    # regions --------------------------------------------------------------------------------------------------
    def build_regions(self, *, townships: int, villages: int) -> None:
        """The city's townships and villages through the division list import (sunshine import_regions), as a
        deployment builds them from the statistics bureau's list: a CSV written here, then imported."""
        from sunshine.org.regions_import import regions_import

        kinds = township_kinds(townships)
        per_township = [len(share) for share in split_evenly(list(range(villages)), townships)]
        numbers: Counter = Counter()
        # CSV rows built from their cells: a comma typed next to Chinese text would be taken for prose punctuation
        lines = [",".join(row) for row in (("统计用区划代码", "城乡分类代码", "名称"),
                                           (f"{CITY_CODE[:2]}0000000000", "", "湖南省"),
                                           (f"{CITY_CODE[:4]}00000000", "", "湘潭市"), (CITY_CODE, "", CITY_NAME))]
        plan: list[tuple[str, str, list[tuple[str, bool]]]] = []
        for kind, name, n_villages in zip(kinds, township_names(self.rng, kinds), per_township, strict=True):
            numbers[kind] += 1
            code = f"{DIVISION_CODE}{TOWNSHIP_CODE_BASE[kind] + numbers[kind]:03d}000"
            community = kind == "street"
            lines.append(f"{code},,{name}")
            village_plan = []
            for i, village_name in enumerate(place_names(self.rng, n_villages)):
                poor = not community and self.rng.random() < POOR_VILLAGE_SHARE
                village_code = code[:9] + f"{(1 if community else 201) + i:03d}"
                lines.append(f"{village_code},{111 if community else 220},{village_name}{'社区' if community else '村'}")
                village_plan.append((village_code, poor))
            plan.append((code, kind, village_plan))
        result = regions_import(path=("\n".join(lines) + "\n").encode(), filename="区划代码.csv", actor=None)
        if not result.ok:
            raise RuntimeError(f"demo division list refused: {result.errors[:3]}")
        regions = {r.code: r for r in Region.objects.filter(level__lte=RegionLevel.VILLAGE)}
        self.city = regions[CITY_CODE]
        poor_codes = [code for _, _, village_plan in plan for code, poor in village_plan if poor]
        Region.objects.filter(code__in=poor_codes).update(is_poor_village=True)
        for code, kind, village_plan in plan:
            township = Township(regions[code], kind)
            for village_code, poor in village_plan:
                region = regions[village_code]
                region.is_poor_village = poor
                township.villages.append(Village(region))
            self.townships.append(township)
        # The demo accounts' own village is poor, so it shows the whole picture: work team, pairing cadres.
        home = self.home_village.region
        if not home.is_poor_village:
            home.is_poor_village = True
            home.save(update_fields=["is_poor_village"])
        self._build_groups()

    @property
    def home_township(self) -> Township:
        return next((t for t in self.townships if t.kind == "town"), self.townships[0])

    @property
    def home_village(self) -> Village:
        return self.home_township.villages[0]

    def villages(self):
        for township in self.townships:
            yield from township.villages

    def _build_groups(self) -> None:
        # Villager groups are many and alike: one bulk insert. Their codes extend the village's by 3 digits.
        groups = []
        for village in self.villages():
            for number in range(1, self.rng.randint(*GROUPS_PER_VILLAGE) + 1):
                code = village.region.code + f"{number:03d}"
                groups.append(Region(code=code, name=cn_number(number) + "组", level=RegionLevel.GROUP,
                                     parent=village.region, path=village.region.path + code + "/"))
        Region.objects.bulk_create(groups, batch_size=2000)
        by_village: dict[int, list[int]] = {}
        for row in Region.objects.filter(level=RegionLevel.GROUP).order_by("code").values("id", "parent_id"):
            by_village.setdefault(row["parent_id"], []).append(row["id"])
        for village in self.villages():
            village.group_ids = by_village.get(village.region.pk, [])

    # units (三(一)2–3) ------------------------------------------------------------------------------------------
    def unit(self, name: str, kind: str, **kwargs) -> Unit:
        self.units[name] = unit = services.unit_create(actor=None, name=name, kind=kind, **kwargs)
        return unit

    def build_units(self) -> None:
        city = self.city
        party = self.unit("中共湘乡市委", UnitKind.CITY_PARTY_GOV, territory=city, short_name="市委")
        government = self.unit("湘乡市人民政府", UnitKind.CITY_PARTY_GOV, territory=city, short_name="市政府")
        commission = self.unit("市纪委监委", UnitKind.DISCIPLINE_COMMISSION, territory=city, parent=party)
        self.office = self.unit("市专项治理办", UnitKind.GOVERNANCE_OFFICE, territory=city, parent=commission,
                                short_name="专项治理办")
        self.inspection = self.unit("市委巡察办", UnitKind.INSPECTION, territory=city, parent=party)
        for name in EXTRA_DEPARTMENTS:
            self.unit(name, UnitKind.DEPARTMENT)
        for member in Unit.objects.filter(member_order__isnull=False).order_by("member_order"):
            self.units[member.name] = member  # the 31 member units come with the reference data (org 0002)
        members = self.member_units()
        for t_index, township in enumerate(self.townships):
            street = township.kind == "street"
            township.unit = self.unit(
                township.region.name + ("办事处" if street else "人民政府"), UnitKind.TOWNSHIP_GOV,
                territory=township.region, parent=government, short_name=township.region.name,
            )
            township.linked_units = [members[(t_index * MEMBER_UNITS_LINKED_PER_TOWNSHIP + k) % len(members)]
                                     for k in range(MEMBER_UNITS_LINKED_PER_TOWNSHIP)]
            for village in township.villages:
                village.unit = self.unit(
                    township.region.name + village.region.name + ("居委会" if street else "村委会"),
                    UnitKind.VILLAGE_COMMITTEE, territory=village.region, parent=township.unit,
                    short_name=village.region.name,
                )
            # 三(一)3: every township (street) has its discipline commission (纪委; 纪工委 in a street).
            township.commission = self.unit(
                township.region.name + ("纪工委" if street else "纪委"), UnitKind.TOWNSHIP_DISCIPLINE,
                territory=township.region, parent=township.unit,
                short_name=township.region.name + ("纪工委" if street else "纪委"),
            )
        self._build_discipline(commission)

    def _build_discipline(self, commission: Unit) -> None:
        # 三(一)3: discipline rooms watch the townships linked to them; dispatched groups watch the departments.
        n_rooms = max(1, math.ceil(len(self.townships) / TOWNSHIPS_PER_DISCIPLINE_ROOM))
        self.rooms = []
        for i, share in enumerate(split_evenly([t.unit for t in self.townships], n_rooms), start=1):
            room = self.unit(f"市纪委监委第{cn_number(i)}纪检监察室", UnitKind.DISCIPLINE_ROOM, parent=commission,
                             short_name=f"第{cn_number(i)}纪检监察室")
            services.unit_set_supervised(actor=None, supervisor=room, units=share)
            self.rooms.append((room, share))
        departments = self.member_units() + [self.units[n] for n in EXTRA_DEPARTMENTS]
        self.discipline_groups = []
        for i, share in enumerate(split_evenly(departments, DISCIPLINE_GROUPS), start=1):
            group = self.unit(f"市纪委监委派驻第{cn_number(i)}纪检组", UnitKind.DISCIPLINE_GROUP,
                              parent=commission, short_name=f"派驻第{cn_number(i)}纪检组")
            services.unit_set_supervised(actor=None, supervisor=group, units=share)
            self.discipline_groups.append(group)

    def member_units(self) -> list[Unit]:
        return sorted((u for u in self.units.values() if u.member_order), key=lambda u: u.member_order)

    # officials through the services ---------------------------------------------------------------------------
    def appoint(self, unit: Unit, post: str, title: str, *, history: float = 0.0, born=(1965, 1985)) -> Person:
        """Appoint an invented person; with probability `history` a predecessor held the post until then."""
        start = self.draw.days_ago(120, 2200)
        if self.rng.random() < history:
            predecessor = self._person(unit, (born[0] - 8, born[1] - 8))
            earlier = services.position_start(actor=None, person=predecessor, unit=unit, post=post, title=title,
                                              start_date=start - dt.timedelta(days=self.rng.randint(700, 2000)))
            services.position_end(actor=None, position=earlier, end_date=start - dt.timedelta(days=1))
        person = self._person(unit, born)
        services.position_start(actor=None, person=person, unit=unit, post=post, start_date=start, title=title)
        return person

    def _person(self, unit: Unit, born: tuple[int, int]) -> Person:
        name, gender, id_number, phone = self.draw.person(born)
        return services.person_create(actor=None, name=name, gender=gender, id_number=id_number, phone=phone, unit=unit)

    def build_officials(self) -> None:
        u, people = self.units, self.account_people
        people["party_secretary"] = self.appoint(u["中共湘乡市委"], Post.PARTY_SECRETARY, "市委书记", history=1.0,
                                                 born=(1966, 1974))
        people["mayor"] = self.appoint(u["湘乡市人民政府"], Post.MAYOR, "市委副书记、市长", history=0.5,
                                       born=(1968, 1976))
        leaders = [self.appoint(u[unit], Post.CITY_LEADER, title) for unit, title in CITY_LEADERS]
        people["leader"] = leaders[0]
        # 三(一)3: the office sits in the discipline commission; its director is a deputy secretary there.
        people["office"] = self.appoint(self.office, Post.PRINCIPAL, "市纪委副书记、市监委副主任，市专项治理办主任")
        self.appoint(self.office, Post.DISCIPLINE_OFFICER, "市纪委常委、市监委委员，市专项治理办副主任")
        self.appoint(self.office, Post.DISCIPLINE_OFFICER, "市纪委监委党风政风监督室主任，市专项治理办副主任")
        self.appoint(self.office, Post.STAFF, "党风政风监督室干部", born=(1985, 1996))
        home_room = next(room for room, share in self.rooms if self.home_township.unit in share)
        for room, _ in self.rooms:
            director = self.appoint(room, Post.PRINCIPAL, "主任")
            if room == home_room:
                people["discipline"] = director
            for _ in range(2):
                self.appoint(room, Post.DISCIPLINE_OFFICER, "纪检监察员", born=(1980, 1995))
        for group in self.discipline_groups:
            self.appoint(group, Post.PRINCIPAL, "组长")
            self.appoint(group, Post.DISCIPLINE_OFFICER, "纪检监察员", born=(1980, 1995))
        people["inspection"] = self.appoint(self.inspection, Post.PRINCIPAL, "市委巡察办主任")
        self.appoint(self.inspection, Post.STAFF, "巡察干部", born=(1980, 1995))
        # 三(一)2: the principal, in-charge and specific responsible person of every member unit.
        for member in self.member_units():
            head = principal_title(member.name)
            self.appoint(member, Post.PRINCIPAL, head, history=HISTORY_SHARE["principal"])
            self.appoint(member, Post.IN_CHARGE, "副" + head)
            specific = self.appoint(member, Post.SPECIFIC, "业务股室负责人（本单位扶贫办）", born=(1975, 1990))
            if member.name == "市农业局":
                people["department"] = specific
            elif member.name == "市审计局":
                people["audit"] = specific
        for name in EXTRA_DEPARTMENTS:
            self.appoint(u[name], Post.PRINCIPAL, principal_title(name))
        for township in self.townships:
            head_title = {"street": "街道办事处主任", "town": "镇长", "xiang": "乡长"}[township.kind]
            secretary = self.appoint(township.unit, Post.TOWNSHIP_SECRETARY,
                                     "党工委书记" if township.kind == "street" else "党委书记",
                                     history=HISTORY_SHARE["township"], born=(1970, 1982))
            self.appoint(township.unit, Post.TOWNSHIP_HEAD, head_title, history=HISTORY_SHARE["township"],
                         born=(1972, 1985))
            for _ in range(2):
                self.appoint(township.unit, Post.STAFF, "扶贫专干", born=(1985, 1996))
            discipline_secretary = self.appoint(
                township.commission, Post.PRINCIPAL, "纪工委书记" if township.kind == "street" else "纪委书记",
                born=(1972, 1988))
            self.appoint(township.commission, Post.DISCIPLINE_OFFICER, "纪检专干", born=(1985, 1996))
            if township is self.home_township:
                people["township"] = secretary
                people["township_discipline"] = discipline_secretary

    # village cadres and work teams, in one batch ---------------------------------------------------------------
    def enlist(self, unit: Unit, post: str, title: str, *, born=(1965, 1985), history: float = 0.0) -> int:
        start = self.draw.days_ago(120, 2200)
        if self.rng.random() < history:
            name, gender, id_number, phone = self.draw.person((born[0] - 8, born[1] - 8))
            earlier = start - dt.timedelta(days=self.rng.randint(700, 2000))
            self.staff.add(StaffDraft(name, gender, id_number, phone, unit.pk,
                                      [(post, title, earlier, start - dt.timedelta(days=1))]))
        name, gender, id_number, phone = self.draw.person(born)
        return self.staff.add(StaffDraft(name, gender, id_number, phone, unit.pk, [(post, title, start, None)]))

    def build_village_cadres(self) -> None:
        for township in self.townships:
            street = township.kind == "street"
            for village in township.villages:
                unit = village.unit
                self.enlist(unit, Post.VILLAGE_SECRETARY, "社区党支部书记" if street else "村党支部书记",
                            born=(1960, 1985), history=HISTORY_SHARE["village"])
                self.enlist(unit, Post.VILLAGE_DIRECTOR, "社区居委会主任" if street else "村委会主任",
                            born=(1962, 1988))
                # 三(二)3: village supervisors get an SMS for every movement on the village bank account.
                for _ in range(self.rng.randint(1, 2)):
                    self.enlist(unit, Post.VILLAGE_SUPERVISOR, "村级监督员", born=(1955, 1985))
                grid = [self.enlist(unit, Post.GRID_WORKER, "网格员", born=(1975, 1995))
                        for _ in range(max(1, len(village.group_ids) // GROUPS_PER_GRID_WORKER))]
                if village is self.home_village:
                    self.account_people["village"] = grid[0]
                if village.region.is_poor_village:
                    self._work_team(township, village)
        ids = self.staff.flush()
        if isinstance(self.account_people.get("village"), int):
            self.account_people["village"] = Person.objects.get(pk=ids[self.account_people["village"]])

    def _work_team(self, township: Township, village: Village) -> None:
        # 三(一)2: every poor village has a work team (驻村工作队) sent by a member unit.
        sender = self.rng.choice(township.linked_units)
        team = self.unit(f"{sender.name}驻{township.region.name}{village.region.name}工作队", UnitKind.WORK_TEAM,
                         territory=village.region, parent=sender, short_name=f"驻{village.region.name}工作队")
        self.enlist(team, Post.WORK_TEAM_LEADER, "驻村第一书记、工作队队长", born=(1972, 1990))
        for _ in range(self.rng.randint(1, 2)):
            self.enlist(team, Post.WORK_TEAM_MEMBER, "工作队员", born=(1975, 1996))

    # accounts ----------------------------------------------------------------------------------------------------
    def build_accounts(self) -> dict[str, Account]:
        accounts = {}
        for key, username, role in DEMO_ACCOUNTS:
            person = self.account_people.get(key)
            accounts[key] = services.account_create(actor=None, 
                username=username, password=DEMO_PASSWORD, role=role, person=person,
                unit=person.unit if person else None,
                is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
            )
        return accounts


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (一, 十二, 二十)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def township_kinds(n: int) -> list[str]:
    """Streets, then towns, then xiang, in the proportions of a county-level city."""
    if n < 4:
        return ["town"] * n
    streets = xiang = max(1, round(n * 0.15))
    return ["street"] * streets + ["town"] * (n - streets - xiang) + ["xiang"] * xiang


def township_names(rng, kinds: list[str]) -> list[str]:
    suffix = {"street": "街道", "town": "镇", "xiang": "乡"}
    curated = {"street": list(STREET_NAMES), "town": list(TOWN_NAMES), "xiang": list(XIANG_NAMES)}
    taken = {name for names in curated.values() for name in names}
    composed = [a + b for a in PLACE_FIRST for b in PLACE_SECOND if a + b not in taken]
    rng.shuffle(composed)
    return [(curated[kind].pop(0) if curated[kind] else composed.pop()) + suffix[kind] for kind in kinds]


def place_names(rng, n: int) -> list[str]:
    """`n` distinct two-character village names."""
    return rng.sample([a + b for a in PLACE_FIRST for b in PLACE_SECOND], n)


def principal_title(unit_name: str) -> str:
    for ending, title in (("局", "局长"), ("部", "部长"), ("委", "书记"), ("办", "主任"), ("室", "主任"),
                          ("残联", "理事长"), ("会", "主席"), ("联", "主席"), ("支行", "行长"), ("公司", "总经理")):
        if unit_name.endswith(ending):
            return title
    return "主要负责人"


def split_evenly(items: list, parts: int) -> list[list]:
    """Contiguous shares whose sizes differ by at most one."""
    size, extra = divmod(len(items), parts)
    shares, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        shares.append(items[start:end])
        start = end
    return shares


"""Test builders shared by every app's tests: a small city with two townships, accounts per role.

They live in org, the lowest app that knows regions, units and households (the kernel knows no domain)."""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from sunshine.core.validators import make_id_number

_seq = itertools.count(1)


@dataclass
class MiniCity:
    city: object
    townships: list
    villages: list  # villages[0], [1] in townships[0]; [2], [3] in townships[1]
    groups: list
    township_units: list
    village_units: list
    governance_office: object
    discipline_room: object  # supervises townships[0] only
    department: object
    accounts: dict = field(default_factory=dict)


def build_mini_city() -> MiniCity:
    from sunshine.org import services
    from sunshine.org.choices import RegionLevel, Role, UnitKind
    from sunshine.org.models import Unit

    city = services.region_create(actor=None, code="430381000000", name="湘乡市", level=RegionLevel.CITY)
    townships, villages, groups, t_units, v_units = [], [], [], [], []
    for t in range(2):
        tw = services.region_create(actor=None, code=f"430381{101 + t:03d}000", name=f"测试镇{t + 1}",
                                    level=RegionLevel.TOWNSHIP, parent=city)
        townships.append(tw)
        t_units.append(services.unit_create(actor=None, name=f"测试镇{t + 1}人民政府", kind=UnitKind.TOWNSHIP_GOV, territory=tw))
        for v in range(2):
            vi = services.region_create(actor=None, code=f"430381{101 + t:03d}{201 + v:03d}", name=f"测试村{t * 2 + v + 1}",
                                        level=RegionLevel.VILLAGE, parent=tw, is_poor_village=(v == 0))
            villages.append(vi)
            v_units.append(services.unit_create(actor=None, name=f"测试村{t * 2 + v + 1}村委会", kind=UnitKind.VILLAGE_COMMITTEE,
                                                territory=vi, parent=t_units[-1]))
            groups.append(services.region_create(actor=None, code=vi.code + "001", name="一组", level=RegionLevel.GROUP,
                                                 parent=vi))
    office = services.unit_create(actor=None, name="市专项治理办", kind=UnitKind.GOVERNANCE_OFFICE, territory=city)
    room = services.unit_create(actor=None, name="市纪委监委第一纪检监察室", kind=UnitKind.DISCIPLINE_ROOM)
    services.unit_set_supervised(actor=None, supervisor=room, units=[t_units[0]])
    department = Unit.objects.get(name="市农业局")
    mc = MiniCity(city, townships, villages, groups, t_units, v_units, office, room, department)
    mc.accounts = {
        "admin": make_account("admin", Role.ADMIN, None, is_superuser=True, is_staff=True),
        "office": make_account("office", Role.GOVERNANCE_OFFICE, office),
        "discipline": make_account("discipline", Role.DISCIPLINE, room),
        "township1": make_account("township1", Role.TOWNSHIP, t_units[0]),
        "township2": make_account("township2", Role.TOWNSHIP, t_units[1]),
        "village1": make_account("village1", Role.VILLAGE, v_units[0]),
        "department": make_account("department", Role.DEPARTMENT, department),
        "leader": make_account("leader", Role.CITY_LEADER, None),
    }
    return mc


def make_account(username: str, role: str, unit, **flags):
    from sunshine.org import services

    person = services.person_create(actor=None, name=f"测试{username}", unit=unit)
    return services.account_create(actor=None, username=username, password="test-pass-123", role=role, unit=unit,
                                   person=person, **flags)


def make_household(village, *, code: str | None = None, head_name: str = "张三", status: str = "poor",
                   year: int = 2016, phone: str = "13800138000", members: int = 1, head_id_number: str | None = None):
    from sunshine.org.models import Household, HouseholdMember

    n = next(_seq)
    head_id = head_id_number or make_id_number("430381", dt.date(1960, 1, 1) + dt.timedelta(days=n), n % 1000)
    household = Household.objects.create(
        code=code or f"H{village.code}{n:05d}", village=village, head_name=head_name, head_id_number=head_id,
        phone=phone, member_count=members, poverty_status=status, status_year=year,
    )
    HouseholdMember.objects.create(household=household, name=head_name, id_number=head_id, relation="户主")
    for i in range(1, members):
        mid = make_id_number("430381", dt.date(1990, 1, 1) + dt.timedelta(days=n * 10 + i), (n + i) % 1000)
        HouseholdMember.objects.create(household=household, name=f"{head_name}{i}", id_number=mid, relation="子女")
    return household


def id_number_ending_in_x(region6: str = "430381", birth: dt.date = dt.date(1957, 3, 8)) -> str:
    """A valid ID number whose check character is X (the first sequence number that gives one)."""
    for seq in range(1000):
        number = make_id_number(region6, birth, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence number gives an X check character")


# ---- logging staff in the way production does: password, then a verified second factor -------------------------
TEST_PASSWORD = "test-pass-123"


def totp_device(account):
    """The account's confirmed TOTP device (created once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=account, name="测试验证器", confirmed=True)


def totp_code(device, *, offset_steps: int = 0) -> str:
    """The code the authenticator app shows now (or `offset_steps` periods later)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset_steps):0{device.digits}d}"


def unused_totp_code(device) -> str:
    """A code the device accepts now: a code is good once, so a second login within the same 30 seconds takes
    the next period's (within the device's tolerance of one step), or waits for it."""
    import time

    device.refresh_from_db()
    while True:
        current = int(time.time() - device.t0) // device.step
        ahead = max(0, (device.last_t if device.last_t is not None else -1) - current + 1)
        if ahead <= device.tolerance:
            return totp_code(device, offset_steps=ahead)
        time.sleep(1)


def login_verified(client, account):
    """Log the test client in as `account` with its second factor passed, as after a real two-step login."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = totp_device(account)
    client.force_login(account)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def browser_login(page, base_url: str, account, *, password: str = TEST_PASSWORD) -> None:
    """Log in through the real pages in a browser: user name and password, then the authenticator's code."""
    device = totp_device(account)
    page.goto(f"{base_url}/desk/login/")
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/desk/2fa/verify/**")
    page.fill("input[name=code]", unused_totp_code(device))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/desk/")

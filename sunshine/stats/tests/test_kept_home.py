"""The staff home page's totals over households and payments are kept counts (sunshine.core.kept): computed once
for the whole city and filtered by each reader's jurisdiction, they equal the records counted by hand for every
role; a write shows after the next refresh (the statistics beat) or once the kept rows are older than their
maximum age; the page says when they were computed."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sunshine.core import kept
from sunshine.core.models import Kept
from sunshine.funds import selectors as funds_selectors
from sunshine.funds.desk_panels import KEPT_PAYMENTS
from sunshine.funds.models import HouseholdPayment
from sunshine.funds.services.records import payment_create
from sunshine.org import selectors as org_selectors
from sunshine.org.choices import PovertyStatus
from sunshine.org.desk_panels import KEPT_HOUSEHOLDS
from sunshine.org.jurisdiction import scope_for
from sunshine.org.testing import make_household
from sunshine.stats.summary import refresh_all

pytestmark = pytest.mark.django_db

READERS = ("admin", "office", "leader", "discipline", "township1", "township2", "village1", "department")


def _records(city):
    """Households of every status in three villages; payments in two, one of them paid by the department."""
    statuses = [PovertyStatus.POOR, PovertyStatus.POOR, PovertyStatus.MONITORED, "exited"]
    households = [make_household(city.villages[v], status=statuses[(v + i) % len(statuses)])
                  for v in (0, 1, 2) for i in range(v + 2)]
    township = {0: city.accounts["township1"], 1: city.accounts["township1"], 2: city.accounts["township2"]}
    payments = []
    for n, h in enumerate(households[:7]):
        v = city.villages.index(h.village)
        payments.append(payment_create(actor=township[v], household=h, fund_item="产业奖补", amount=Decimal("500.00"),
                                       paid_on=dt.date(2026, 5, 1 + n), bank_card=f"62170000000000{h.pk:05d}"))
    # A department pays households anywhere and sees those payments through its unit (HouseholdPayment.jurisdiction).
    HouseholdPayment.objects.filter(pk=payments[-1].pk).update(owner_unit=city.department)
    return households, payments


def _hand_counted(account):
    households = org_selectors.household_list_visible_to(actor=account)
    return {"households": households.count(), "poor": households.filter(poverty_status=PovertyStatus.POOR).count(),
            "monitored": households.filter(poverty_status=PovertyStatus.MONITORED).count(),
            "payments": funds_selectors.payment_list_visible_to(actor=account).count()}


def _kept(account):
    households = kept.counts_for(KEPT_HOUSEHOLDS, scope=scope_for(account))
    payments = kept.counts_for(KEPT_PAYMENTS, scope=scope_for(account))
    return {"households": households.total, "poor": households[PovertyStatus.POOR],
            "monitored": households[PovertyStatus.MONITORED], "payments": payments.total}


def test_kept_home_totals_equal_the_records_counted_by_hand_for_every_reader(city):
    _records(city)
    done = refresh_all()
    assert {name for slug, name, _ in done if slug == "kept"} >= {KEPT_HOUSEHOLDS, KEPT_PAYMENTS}
    seen = {}
    for who in READERS:
        account = city.accounts[who]
        if not org_selectors_can(account):
            continue
        assert _kept(account) == _hand_counted(account), who
        seen[who] = _kept(account)
    # The scoping is real: a township sees only its own, the department only what it paid.
    assert seen["office"]["households"] == 9 and seen["township1"]["households"] == 5
    assert seen["township2"]["households"] == 4 and seen["township2"]["payments"] == 2
    assert seen["township1"]["payments"] == 5


def org_selectors_can(account) -> bool:
    from sunshine.funds.capabilities import Capability as FundsCapability
    from sunshine.org.capabilities import Capability, has_capability

    return has_capability(account, Capability.VIEW_HOUSEHOLDS) and has_capability(account, FundsCapability.VIEW)


def test_a_write_shows_in_the_kept_totals_after_the_refresh_or_once_they_are_too_old(city, settings):
    settings.SUNSHINE_KEPT_MAX_AGE_SECONDS = 600
    households, _ = _records(city)
    refresh_all()
    office = city.accounts["office"]
    before = _kept(office)
    make_household(city.villages[3], status=PovertyStatus.MONITORED)
    payment_create(actor=city.accounts["township2"], household=households[-1], fund_item="教育资助",
                   amount=Decimal("300.00"), paid_on=dt.date(2026, 6, 1), bank_card="6217000000000099999")
    assert _kept(office) == before  # kept: no reader counts the big tables
    refresh_all()  # the statistics beat
    assert _kept(office) == _hand_counted(office) == {**before, "households": before["households"] + 1,
                                                      "monitored": before["monitored"] + 1,
                                                      "payments": before["payments"] + 1}
    make_household(city.villages[0])
    Kept.objects.update(computed_at=timezone.now() - dt.timedelta(seconds=601))
    assert _kept(office) == _hand_counted(office)  # too old: the next reader recomputes them


def test_without_a_maximum_age_every_read_counts_afresh(city, settings):
    settings.SUNSHINE_KEPT_MAX_AGE_SECONDS = 0
    _records(city)
    office = city.accounts["office"]
    assert _kept(office) == _hand_counted(office)
    make_household(city.villages[2])
    assert _kept(office) == _hand_counted(office)
    assert not Kept.objects.filter(name__in=[KEPT_HOUSEHOLDS, KEPT_PAYMENTS]).exists()


def test_the_home_page_shows_the_kept_totals_and_when_they_were_computed(city, client, login):
    _records(city)
    refresh_all()
    login(city.accounts["township1"])
    page = client.get("/desk/").content.decode()
    stamp = timezone.localtime(Kept.objects.get(name=KEPT_HOUSEHOLDS).computed_at).strftime("%Y-%m-%d %H:%M")
    assert "数据计算时间" in page and stamp in page
    assert "<dt>建档立卡户</dt><dd>5</dd>" in page and "<dt>到户发放笔数</dt><dd>5</dd>" in page


def test_the_statistics_summaries_and_the_home_counts_are_kept_in_one_table(city, settings):
    """core.Kept holds both (the statistics tables' base rows under "stats.<table>", keyed by dimension and period):
    one store of figures with the time they were computed, read the same way."""
    from sunshine.stats import registry, summary
    from sunshine.stats.registry import Params

    settings.SUNSHINE_STATS_MAX_AGE_SECONDS = 600
    _records(city)
    refresh_all()
    names = set(Kept.objects.values_list("name", flat=True))
    assert {KEPT_HOUSEHOLDS, KEPT_PAYMENTS, "stats.reports", "stats.disclosure"} <= names
    table = registry.table("disclosure")
    stored = Kept.objects.get(name="stats.disclosure", key=Params(dim="region").base_key("region"))
    rows, computed_at = summary.base_rows(table, "region", Params(dim="region"))
    assert computed_at == stored.computed_at and len(rows) == len(stored.rows)
    Kept.objects.filter(name="stats.disclosure").update(computed_at=timezone.now() - dt.timedelta(seconds=601))
    _, again = summary.base_rows(table, "region", Params(dim="region"))
    assert again > stored.computed_at  # too old: the reader computed them afresh and kept them
    assert Kept.objects.get(pk=stored.pk).computed_at == again

"""Scoping resolves region paths through the small tables (regions, units) to ids first (sunshine.core.scoping):
the same rows as the path prefix across the joins, for every scoped model and reader; cases filtered by their
handling units' ids; a unit created after a scope was used is seen at once. (Here, above org, because it walks
every app's models and builds cases.)"""
import pytest

from sunshine.org.jurisdiction import scope_for
from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db



def _old_q(scope, model):
    """The filter as it was written before ids were resolved: `path LIKE … OR unit IN …` across the joins."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    spec = model.jurisdiction
    parts = [Q(**{f"{spec.region_path}__startswith": p}) for p in scope.region_paths] if spec.region_path else []
    if spec.unit and scope.unit_ids:
        parts.append(Q(**{f"{spec.unit}__in": sorted(scope.unit_ids)}))
    return reduce(or_, parts) if parts else Q(pk__in=[])


@pytest.mark.parametrize("who", ["township1", "township2", "discipline", "village1", "department"])
def test_resolved_ids_select_the_same_rows_as_the_path_prefix_across_the_join(city, who):
    from django.apps import apps

    from sunshine.cases.tests.builders import submit

    for v in range(4):
        make_household(city.villages[v])
        submit(city, village=v)
    scope = scope_for(city.accounts[who])
    checked = 0
    for model in apps.get_models():
        spec = getattr(model, "jurisdiction", None)
        if spec is None or not spec.region_path:
            continue
        resolved = set(model._default_manager.filter(scope.q_for(model)).values_list("pk", flat=True))
        joined = set(model._default_manager.filter(_old_q(scope, model)).values_list("pk", flat=True))
        assert resolved == joined, model.__name__
        checked += 1
    assert checked > 20


def test_a_case_is_filtered_by_its_handling_units_ids_not_a_path_prefix(city):
    from sunshine.cases.models import Case

    sql = str(Case.objects.filter(scope_for(city.accounts["township1"]).q_for(Case)).query)
    assert "LIKE" not in sql and "org_region" not in sql and '"handling_unit_id" IN' in sql


def test_a_unit_created_after_the_scope_was_used_is_seen_at_once(city):
    from sunshine.cases.models import Case
    from sunshine.cases.tests.builders import submit
    from sunshine.org import services
    from sunshine.org.choices import UnitKind

    township = city.accounts["township1"]
    assert not Case.objects.filter(scope_for(township).q_for(Case), handling_unit__name="测试村新单位").exists()
    unit = services.unit_create(actor=None, name="测试村新单位", kind=UnitKind.VILLAGE_COMMITTEE,
                                territory=city.villages[1])
    _, case, _ = submit(city, village=1)
    Case.objects.filter(pk=case.pk).update(handling_unit=unit)
    assert Case.objects.filter(scope_for(township).q_for(Case), pk=case.pk).exists()  # the same actor object

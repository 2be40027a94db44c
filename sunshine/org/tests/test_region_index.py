"""'Everything under X' is one prefix query that the database can answer from the path index."""
import re

import pytest
from django.db import connection

from sunshine.org import selectors

pytestmark = pytest.mark.django_db


def test_subtree_is_a_single_query(city, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [r.name for r in selectors.region_subtree(region=city.townships[1])]
    assert names == ["测试镇2", "测试村3", "一组", "测试村4", "一组"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan check")
def test_subtree_query_can_use_the_path_index_on_postgresql(city):
    sql, params = selectors.region_subtree(region=city.townships[0]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a four-row table would otherwise be scanned
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(r"Index Scan (using|on) org_region_path\w*_like", plan), plan

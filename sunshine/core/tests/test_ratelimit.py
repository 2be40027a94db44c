import pytest
from django.core.cache import cache

from sunshine.core.ratelimit import Limit, RateLimited, hit


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_the_limit_allows_its_count_then_refuses_with_a_wait_time():
    limit = Limit("t", count=3, seconds=60)
    for _ in range(3):
        hit(limit, "1.2.3.4")
    with pytest.raises(RateLimited) as exc:
        hit(limit, "1.2.3.4")
    assert exc.value.status == 429
    assert 1 <= exc.value.retry_after <= 60
    assert "秒后再试" in exc.value.message


def test_keys_are_counted_apart():
    limit = Limit("t2", count=1, seconds=60)
    hit(limit, "a")
    hit(limit, "b")
    with pytest.raises(RateLimited):
        hit(limit, "a")

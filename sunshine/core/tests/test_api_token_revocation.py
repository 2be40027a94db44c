"""API tokens: a revoked token authenticates nobody from the next request on; only its owner (or a superuser)
revokes it; issue and revocation are each one audit record."""
import pytest

from sunshine.core.api_auth import token_issue, token_revoke
from sunshine.core.errors import NotFound
from sunshine.core.models import ApiToken, AuditRecord

pytestmark = pytest.mark.django_db
HOUSEHOLDS = "/api/v1/org/households"


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_revoked_token_is_refused_from_the_next_request_on(city, client):
    owner = city.accounts["township1"]
    raw = token_issue(account=owner, name="统计脚本")
    assert client.get(HOUSEHOLDS, **bearer(raw)).status_code == 200

    token = token_revoke(actor=owner, token_id=ApiToken.objects.get().pk)

    assert token.revoked_at is not None
    assert client.get(HOUSEHOLDS, **bearer(raw)).status_code == 401


def test_revoking_leaves_other_tokens_of_the_account_working(city, client):
    owner = city.accounts["township1"]
    kept, dropped = token_issue(account=owner, name="保留"), token_issue(account=owner, name="作废")
    token_revoke(actor=owner, token_id=ApiToken.objects.get(name="作废").pk)
    assert client.get(HOUSEHOLDS, **bearer(kept)).status_code == 200
    assert client.get(HOUSEHOLDS, **bearer(dropped)).status_code == 401


def test_another_account_cannot_revoke_a_token_and_learns_nothing_of_it(city, client):
    raw = token_issue(account=city.accounts["township1"], name="统计脚本")
    token_id = ApiToken.objects.get().pk
    with pytest.raises(NotFound):
        token_revoke(actor=city.accounts["township2"], token_id=token_id)
    with pytest.raises(NotFound):
        token_revoke(actor=city.accounts["township2"], token_id=token_id + 1000)
    assert client.get(HOUSEHOLDS, **bearer(raw)).status_code == 200


def test_a_superuser_revokes_any_token_and_twice_is_one_record(city, client):
    raw = token_issue(account=city.accounts["township1"], name="统计脚本")
    token_id = ApiToken.objects.get().pk
    token_revoke(actor=city.accounts["admin"], token_id=token_id)
    token_revoke(actor=city.accounts["admin"], token_id=token_id)
    assert client.get(HOUSEHOLDS, **bearer(raw)).status_code == 401
    events = list(AuditRecord.objects.filter(event__startswith="token_").order_by("id")
                  .values_list("event", "actor_name", "object_id"))
    assert events == [("token_issued", "township1", str(token_id)), ("token_revoked", "admin", str(token_id))]


def test_a_deactivated_account_s_token_stops_working_too(city, client):
    owner = city.accounts["township1"]
    raw = token_issue(account=owner, name="统计脚本")
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert client.get(HOUSEHOLDS, **bearer(raw)).status_code == 401

"""Property-based fuzzing of the whole JSON API from its OpenAPI document: no request, however malformed, is a 500,
and every answer matches the schema's declared statuses and shapes."""
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
FUZZ = settings(max_examples=12, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The raw WSGI app fires request signals that close "old" connections, which would close the test's
    transaction on PostgreSQL; Django's own test Client disconnects the same handler."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(city):
    from sunshine.core.api_auth import token_issue

    return token_issue(account=city.accounts["office"], name="fuzz")


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_the_api_never_answers_500_and_keeps_to_its_schema(case, token):
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
    assert response.status_code < 500

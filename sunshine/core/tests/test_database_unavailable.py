"""A database connection lost mid-request answers 503 with a Retry-After hint, on pages and in the API, and the
next request is served again. Simulated at the database layer (every query fails as a dropped connection does)
and, on PostgreSQL, by terminating the application's own backend with pg_terminate_backend."""
from __future__ import annotations

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client, RequestFactory

from sunshine.core.middleware import DATABASE_RETRY_AFTER_SECONDS, server_error


def _connection_lost(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_a_public_page_that_loses_the_database_answers_503_with_a_retry_hint(client):
    with connection.execute_wrapper(_connection_lost):
        response = client.get("/funds/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert "请稍后刷新" in response.content.decode()
    assert client.get("/funds/").status_code == 200


@pytest.mark.django_db
def test_an_api_call_that_loses_the_database_answers_503_json(client):
    with connection.execute_wrapper(_connection_lost):
        response = client.get("/api/v1/public/townships")
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert response.json()["code"] == "database_unavailable"


@pytest.mark.django_db
def test_a_staff_page_whose_session_cannot_be_read_answers_503(city):
    client = Client(raise_request_exception=False)
    client.force_login(city.accounts["township1"])
    with connection.execute_wrapper(_connection_lost):
        response = client.get("/desk/")
    assert response.status_code == 503 and response["Retry-After"]


def test_a_lost_database_outside_any_view_is_a_503_too_and_other_errors_stay_500():
    """Django calls handler500 for an exception a middleware raised (e.g. while saving the session)."""
    request = RequestFactory().get("/desk/")
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_terminating_the_backend_mid_request_answers_503_and_the_next_request_reconnects(client):
    import psycopg

    assert client.get("/api/v1/public/townships").status_code == 200
    backend_pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    api = client.get("/api/v1/public/townships")
    assert api.status_code == 503 and api["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    close_old_connections()  # what the end of a real request does (the test client skips it): drop the dead one
    assert client.get("/api/v1/public/townships").status_code == 200

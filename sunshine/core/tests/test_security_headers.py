"""core.middleware.SecurityHeadersMiddleware: every answer carries the CSP and the permissions policy; staff pages
and the admin are never cached; a page that sets its own header keeps it."""
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from sunshine.core.middleware import CONTENT_SECURITY_POLICY, SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_the_public_home_page_allows_only_its_own_scripts_and_may_be_cached(client):
    response = client.get("/")
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"  # no inline scripts, no third party
    assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'self'"
    assert response.headers["Permissions-Policy"] == "geolocation=(), camera=(), microphone=()"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_staff_pages_and_the_admin_are_not_stored_by_a_shared_phone(client):
    for path in ("/desk/login/", "/admin/login/"):
        response = client.get(path)
        assert "no-store" in response.headers["Cache-Control"], path
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_api_and_its_errors_carry_the_same_headers(client):
    response = client.get("/api/v1/org/households")  # not logged in: 401
    assert response.status_code == 401
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Permissions-Policy" in response.headers


def test_a_response_that_sets_its_own_policy_keeps_it():
    own = "default-src 'none'"
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse(headers={"Content-Security-Policy": own}))
    response = middleware(RequestFactory().get("/desk/x/"))
    assert response.headers["Content-Security-Policy"] == own
    assert response.headers["Cache-Control"] == "no-store"


def test_no_template_uses_an_inline_event_handler_the_policy_would_block():
    from pathlib import Path

    import sunshine

    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [str(p) for p in Path(sunshine.__file__).parent.rglob("*.html") if handler.search(p.read_text("utf-8"))]
    assert offenders == []

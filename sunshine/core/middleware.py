"""Middleware and error views in one place, with the reasons: security headers, error pages, a lost database."""
from __future__ import annotations

import logging

from auditlog.middleware import AuditlogMiddleware

from sunshine.core.errors import CoreErrorCode

logger = logging.getLogger(__name__)

# Pages load only our own scripts, styles and images: government intranets are offline and the portal takes no
# third-party code. 'unsafe-inline' for styles only, for ECharts' inline style attributes.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # The portal is read on shared village phones: no caching of staff pages.
        if request.path.startswith(("/desk/", "/admin/")):
            response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


class ApplicationErrorMiddleware:
    """Pages show an ApplicationError's message with its status (404 for out-of-jurisdiction), never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import render

        from .audit import audit_denied
        from .errors import ApplicationError

        if isinstance(exception, PermissionDenied) and not request.path.startswith("/api/"):
            audit_denied(request)  # Django answers it with its 403 page
            return None
        if not isinstance(exception, ApplicationError) or request.path.startswith("/api/"):
            return None
        if exception.status == 403:
            audit_denied(request, reason=exception.code)
        template = "partials/error.html" if getattr(request, "htmx", False) else "error.html"
        return render(request, template, {"error": exception}, status=exception.status)


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the visitor chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a villager's borrowed phone or an
    office PC set to English must still show the Chinese platform, so only an explicit choice changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


NUL = "\x00"


def _has_nul(request) -> bool:
    if NUL in request.path:
        return True
    if any(NUL in value for _, values in request.GET.lists() for value in values):
        return True
    if request.method in ("POST", "PUT", "PATCH"):
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            # Form fields only: uploaded files may contain NUL bytes legitimately.
            return any(NUL in value for _, values in request.POST.lists() for value in values)
    return False


class RejectNulMiddleware:
    """A NUL character in a parameter is never meaningful here, and PostgreSQL refuses it in text (a 500 later):
    answer 400 at the door, on pages and API alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            from django.http import JsonResponse
            from django.shortcuts import render

            from .errors import ApplicationError

            error = ApplicationError("请求中含有无效字符", code=CoreErrorCode.INVALID_CHARACTERS)
            if request.path.startswith("/api/"):
                return JsonResponse(error.as_dict(), status=error.status)
            return render(request, "error.html", {"error": error}, status=error.status)
        return self.get_response(request)


class AddresslessAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (the actor of each field change) without the client's address or port.

    AUDITLOG_DISABLE_REMOTE_ADDR drops the address; the port (from X-Forwarded-Port) is dropped here, so no log
    row says anything about where a request came from: an anonymous reporter must not be traceable.
    """

    @staticmethod
    def _get_remote_addr(request):
        return None

    @staticmethod
    def _get_remote_port(request):
        return None


# A lost database connection (a restart, a failover, a terminated backend) heals at the next request: Django
# discards the broken connection when the request ends and opens a new one. Tell the client to come back shortly.
DATABASE_RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE_MESSAGE = "数据库暂时不可用，请稍后重试"


def is_database_unavailable(exception: BaseException | None) -> bool:
    """A connection that failed or was lost (not a query the database refused: those stay 500s or 4xx)."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exception, (OperationalError, InterfaceError))


def database_unavailable_response(request):
    """503 with Retry-After, JSON under /api/, else a page that needs no database (no session, no user)."""
    from django.http import HttpResponse, JsonResponse
    from django.template import loader

    code = CoreErrorCode.DATABASE_UNAVAILABLE
    if request is not None and request.path.startswith("/api/"):
        response = JsonResponse({"detail": DATABASE_UNAVAILABLE_MESSAGE, "code": code}, status=int(code.kind))
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=int(code.kind))
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (page or API) that loses the database answers 503 with a retry hint instead of 500. Failures outside
    views (another middleware reading the session) reach `server_error` below, which answers the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.error("database unavailable during %s %s", request.method, request.path, exc_info=exception)
        return database_unavailable_response(request)


def server_error(request, *args, **kwargs):
    """handler500: a lost database anywhere in the request is a 503 with Retry-After; anything else Django's 500."""
    import sys

    from django.views.defaults import server_error as django_server_error

    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return django_server_error(request, *args, **kwargs)

"""The JSON API under /api/v1/: one NinjaAPI, authentication on by default, one router per app.

Public endpoints are the explicit exceptions (auth=None on the route): health and, from the disclosure work,
/api/v1/public/…. Every error is one JSON shape: {"detail": message, "code": code}.
"""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from sunshine.core.api_auth import ApiTokenAuth
from sunshine.core.audit import audit_denied
from sunshine.core.errors import ApplicationError, CoreErrorCode, Kind

logger = logging.getLogger(__name__)

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail", "code"],
}


class SunshineAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also declares the error answers every route can give.

    The exception handlers below answer an ApplicationError with its kind's status (core.errors.Kind: 400, 403, 404,
    409, 429), and 401 and 422 for any route; declaring them once
    here keeps the document true for clients and fuzzers without repeating them on each route.
    """

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for item in schema.get("paths", {}).values():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                # ninja keys responses by int status; normalise so a declared 404 and ours are one key
                responses = operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
                has_input = bool(operation.get("parameters") or operation.get("requestBody"))
                wanted = {"400": "请求无法处理"}
                if has_input:
                    wanted["422"] = "请求参数有误"
                if operation.get("security"):
                    wanted["401"] = "未登录"
                    wanted["403"] = "没有执行此操作的权限"
                if method != "get":
                    wanted["409"] = "与记录当前状态冲突(例如不允许的状态变更)"
                if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                    wanted["404"] = "未找到(或不在您的管辖范围内)"
                wanted["503"] = "数据库暂时不可用,请稍后重试(见 Retry-After)"
                for status, description in wanted.items():
                    responses.setdefault(status, {"description": description, **error})
        return schema


api = SunshineAPI(
    title="阳光监督 Sunshine API",
    version="1",
    description="扶贫领域“互联网+监督”平台接口。Staff endpoints need a session or an API token; /public/ needs none.",
    auth=[django_auth, ApiTokenAuth()],
    urls_namespace="api",
)


@api.exception_handler(ApplicationError)
def _application_error(request, exc: ApplicationError):
    if exc.status == 403:
        audit_denied(request, reason=exc.code)
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录", "code": CoreErrorCode.UNAUTHENTICATED},
                               status=Kind.UNAUTHENTICATED)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "未找到该记录", "code": CoreErrorCode.NOT_FOUND},
                               status=Kind.NOT_FOUND)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    audit_denied(request)
    return api.create_response(request, {"detail": "您没有执行此操作的权限", "code": CoreErrorCode.FORBIDDEN},
                               status=Kind.FORBIDDEN)


@api.exception_handler(DjangoValidationError)
def _django_validation(request, exc: DjangoValidationError):
    return api.create_response(request, {"detail": "; ".join(exc.messages), "code": CoreErrorCode.INVALID},
                               status=Kind.INVALID)


@api.exception_handler(NinjaValidationError)
def _request_validation(request, exc: NinjaValidationError):
    return api.create_response(
        request, {"detail": "请求参数有误", "code": CoreErrorCode.INVALID_REQUEST, "errors": exc.errors},
        status=Kind.REQUEST_SHAPE
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc), "code": CoreErrorCode.HTTP_ERROR}, status=exc.status_code)


@api.get("/health", auth=None, tags=["meta"], response={200: dict, 503: dict},
         summary="Each dependency (database, cache, broker) and backlog; ok, degraded or down")
def health(request):
    from ninja import Status

    from sunshine.core.health import health_report

    return Status(*health_report())


def _mount_routers() -> None:
    # Each app's api.py exposes `router`; mounted here so the schema is one document.
    from importlib import import_module

    for prefix, module in [
        ("/org/", "sunshine.org.api"),
        ("/funds/", "sunshine.funds.api"),
        ("/notify/", "sunshine.notify.api"),
        ("/cases/", "sunshine.cases.api"),
        ("/oversight/", "sunshine.oversight.api"),
        ("/redflags/", "sunshine.redflags.api"),
        ("/stats/", "sunshine.stats.api"),
        ("/public/stats/", "sunshine.stats.api_public"),
        ("/public/", "sunshine.portal.api"),
    ]:
        try:
            mod = import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        api.add_router(prefix, mod.router)


_mount_routers()

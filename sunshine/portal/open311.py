"""Open311 GeoReport v2 (JSON) over the public report intake, so civic-reporting clients file reports unchanged.

GET  /open311/v2/services.json   the 27 problem types (二、治理重点) as services, open to anyone.
POST /open311/v2/requests.json   a service request = a report. Open311 clients cannot answer the form's question,
                                 so they send the api_key the special governance office issued to them (revocable);
                                 limits count per client. The receipt code comes back once, in `token`, for the
                                 client to hand to the reporter; `service_request_id` is the case number.

Location: `address_id` takes a village's or township's 统计用区划代码 (the report is routed as any report from
there); `address_string` is kept in the text for the handler; lat/long are accepted and not stored (nothing maps a
coordinate to a village here). `media_url` is not fetched: the portal makes no request to another host.
Errors are Open311's shape: [{"code": 400, "description": "..."}].
"""
from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sunshine.cases import services
from sunshine.cases.attachments import clean_uploads
from sunshine.cases.choices import Channel
from sunshine.core.errors import ApplicationError
from sunshine.core.ratelimit import RateLimited, client_ip
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Region
from sunshine.org.selectors import problem_types

from . import reporting
from .caching import public_cache

MAX_DESCRIPTION = 5000
# Wrong keys per address: a guessed 192-bit key never succeeds; this keeps the noise out of the logs.
WRONG_KEYS_PER_ADDRESS = reporting.Limit("open311_bad_key", 20, 60 * 60)


def _error(status: int, description: str, *, retry_after: int | None = None) -> JsonResponse:
    response = JsonResponse([{"code": status, "description": description}], status=status, safe=False,
                            json_dumps_params={"ensure_ascii": False})
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_GET
@public_cache
def services_list(request):
    """GET services.json: one realtime service per problem type, grouped as in the plan."""
    return JsonResponse([
        {"service_code": str(t.number), "service_name": t.short_title, "description": t.text, "metadata": False,
         "type": "realtime", "keywords": "", "group": t.group.title}
        for t in problem_types()
    ], safe=False, json_dumps_params={"ensure_ascii": False})


def _region(address_id: str) -> Region | None:
    code = (address_id or "").strip()
    if not code:
        return None
    return Region.objects.filter(code=code, level__in=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)).first()


@csrf_exempt  # a machine client with an API key, no browser session to protect
@require_POST
def requests_create(request):
    """POST requests.json: file a report for a client holding an active key."""
    data = request.POST
    try:
        reporting.check(WRONG_KEYS_PER_ADDRESS, client_ip(request))
    except RateLimited as exc:
        return _error(429, "密钥错误次数过多,请稍后再试", retry_after=exc.retry_after)
    client = services.api_client_for_key(data.get("api_key", ""))
    if client is None:
        reporting.hit_quietly(WRONG_KEYS_PER_ADDRESS, client_ip(request))
        return _error(403, "api_key 无效或已吊销,请向市专项治理办公室申请")
    code = (data.get("service_code") or "").strip()
    if not code.isdigit() or not problem_types().filter(number=int(code)).exists():
        return _error(400, "service_code 无效:请用 services.json 列出的 1–27")
    description = (data.get("description") or "").strip()
    if not description:
        return _error(400, "description 必填:发生了什么")
    if len(description) > MAX_DESCRIPTION:
        return _error(400, f"description 太长,请控制在{MAX_DESCRIPTION}字以内")
    address_id, address_string = data.get("address_id", ""), (data.get("address_string") or "").strip()
    region = _region(address_id)
    if address_id.strip() and region is None:
        return _error(400, "address_id 应为村(社区)或乡镇(街道)的统计用区划代码")
    if region is None and not address_string and not (data.get("lat") and data.get("long")):
        return _error(400, "请给出地点:address_id(区划代码)、address_string 或 lat/long")
    text = description if not address_string else f"{description}\n地点:{address_string[:200]}"
    identity = None
    name = f"{data.get('last_name', '')}{data.get('first_name', '')}".strip()
    if name and data.get("phone"):
        identity = {"name": name, "phone": data.get("phone", ""), "id_number": ""}
    try:
        reporting.report_limits_check(request, client=str(client.pk))
        uploads = clean_uploads(request.FILES.getlist("media"))
        report, receipt = services.report_submit(
            channel=Channel.ONLINE, text=text[:MAX_DESCRIPTION], region=region, problem_type_number=int(code),
            real_name=identity, attachments=uploads, actor=None, source_ip=client_ip(request), api_client=client)
    except RateLimited as exc:
        return _error(429, exc.message, retry_after=exc.retry_after)
    except ApplicationError as exc:
        return _error(400 if exc.status == 422 else exc.status, exc.message)
    reporting.report_limits_count(request, client=str(client.pk))
    case = report.cases.order_by("pk").first()
    return JsonResponse([{
        "service_request_id": case.number if case else "",
        "token": receipt,
        "service_notice": "请把 token(查询码)交给举报人:只返回这一次,平台不保存。凭查询码可在网站“查进度”查看办理情况。",
        "account_id": None,
    }], status=201, safe=False, json_dumps_params={"ensure_ascii": False})

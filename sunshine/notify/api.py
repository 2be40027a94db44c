"""SMS outbox endpoints: staff reads (scoped, phones masked) and the gateways' delivery-receipt push (public,
verified by a shared token)."""
import hmac
import json

from django.conf import settings
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sunshine.core.errors import ApplicationError, Forbidden, NotFound
from sunshine.core.masking import mask_phone
from sunshine.core.pagination import Pagination
from sunshine.notify.errors import NotifyErrorCode
from sunshine.org.capabilities import has_capability, require

from . import selectors
from .capabilities import Capability
from .models import PROTECTED_LABEL
from .providers import PROVIDER_NAMES
from .schemas import ErrorOut, ReceiptAckOut, SmsCountsOut, SmsMessageDetailOut, SmsMessageOut
from .services import sms_phones_unmasked, sms_receipts_apply

router = Router(tags=["notify"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
RECEIPT_BODY_MAX = 1024 * 1024


class MessageFilter(Schema):
    status: str | None = None
    template: str | None = None
    q: str = ""


def _out(message, *, full_phone: bool) -> dict:
    return {
        "id": message.pk, "template_code": message.template_code,
        "phone": (str(PROTECTED_LABEL) if message.protected
                  else message.phone if full_phone else mask_phone(message.phone)),
        "text": message.shown_text,
        "purpose": message.purpose, "related_type": message.related_type, "related_id": message.related_id,
        "status": message.status, "status_name": message.get_status_display(), "attempts": message.attempts,
        "last_error": message.last_error, "provider": message.provider,
        "provider_message_id": message.provider_message_id, "created_at": message.created_at,
        "sent_at": message.sent_at, "delivered_at": message.delivered_at, "failed_at": message.failed_at,
    }


@router.get("/messages", response={200: list[SmsMessageOut], **ERRORS})
@paginate(Pagination)
def list_messages(request, filters: Query[MessageFilter]):
    require(request.auth, Capability.VIEW_OUTBOX)
    full = has_capability(request.auth, Capability.VIEW_FULL_PHONE)
    qs = selectors.sms_list_visible_to(actor=request.auth, status=filters.status, template=filters.template,
                                       q=filters.q.strip())
    return _MaskedPage(qs, full, request.auth)


class _MaskedPage:
    """A lazily sliced queryset whose rows come out masked (pagination slices before anything is read); a page
    shown with whole numbers is one UNMASK audit record."""

    def __init__(self, qs, full: bool, actor=None):
        self.qs, self.full, self.actor = qs, full, actor

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        rows = list(self.qs[item])
        if self.full:
            sms_phones_unmasked(actor=self.actor, messages=rows)
        return [_out(m, full_phone=self.full) for m in rows]


@router.get("/messages/counts", response={200: SmsCountsOut, **ERRORS})
def message_counts(request, template: str | None = None):
    require(request.auth, Capability.VIEW_OUTBOX)
    return selectors.sms_status_counts(actor=request.auth, template=template)


@router.get("/messages/{message_id}", response={200: SmsMessageDetailOut, **ERRORS})
def get_message(request, message_id: int):
    require(request.auth, Capability.VIEW_OUTBOX)
    message = selectors.sms_get_for(actor=request.auth, pk=message_id)
    sms_phones_unmasked(actor=request.auth, messages=[message])  # a whole number shown: one audit record
    body = _out(message, full_phone=has_capability(request.auth, Capability.VIEW_FULL_PHONE))
    body["history"] = list(selectors.sms_attempts_of(message=message))
    return body


@router.post("/receipts/{provider}", auth=None, response={200: ReceiptAckOut, 400: ErrorOut, 403: ErrorOut,
                                                          404: ErrorOut}, exclude_none=True)
def push_receipts(request, provider: str, token: str = ""):
    """Delivery reports pushed by the gateway (Aliyun SmsReport, Tencent status callback). The URL configured at
    the gateway carries the shared secret: /api/v1/notify/receipts/<provider>?token=<SMS_RECEIPT_TOKEN>."""
    expected = getattr(settings, "SMS_RECEIPT_TOKEN", "")
    if not expected or provider not in PROVIDER_NAMES:
        raise NotFound()
    given = request.headers.get("X-Sunshine-Receipt-Token") or token
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden("回执令牌无效", code=NotifyErrorCode.RECEIPT_TOKEN_INVALID)
    if len(request.body) > RECEIPT_BODY_MAX:
        raise ApplicationError("回执内容过大", code=NotifyErrorCode.RECEIPT_TOO_LARGE)
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        raise ApplicationError("回执不是有效的 JSON", code=NotifyErrorCode.RECEIPT_INVALID_JSON) from None
    gateway = _receipt_parser(provider)
    sms_receipts_apply(provider=provider, receipts=gateway.parse_receipts(payload))
    return gateway.receipt_ack


def _receipt_parser(provider: str):
    # Parsing a push needs no credentials, so the bare client class does (whatever SMS_PROVIDER is now: receipts
    # for messages sent before a switch of gateway still arrive).
    if provider == "aliyun":
        from .providers.aliyun import AliyunProvider

        return AliyunProvider()
    if provider == "tencent":
        from .providers.tencent import TencentProvider

        return TencentProvider()
    from .providers.console import ConsoleProvider

    return ConsoleProvider()

"""Aliyun SMS (dysmsapi 2017-05-25) through its official SDK: SendSms, QuerySendDetails, SmsReport receipts.

Our idempotency key travels as OutId: the status query and the delivery receipts carry it back, which is how a
send whose answer was lost is recognised without sending it twice.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from ._network import never_reached_gateway, parse_code_map
from .base import OutgoingSms, QueryOutcome, QueryResult, Receipt, SendOutcome, SendResult, SmsProvider

logger = logging.getLogger(__name__)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

# Answer codes meaning "not now": flow control, the gateway's own trouble. Everything else not OK is final
# (illegal number, template or signature refused, bad credentials), and retrying would only repeat it.
RETRY_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "isv.OUT_OF_SERVICE",
    "isp.GATEWAY_ERROR", "Throttling", "Throttling.User", "Throttling.Api", "ServiceUnavailable",
    "InternalError",
}
# QuerySendDetails SendStatus: 1 waiting for the carrier's report, 2 failed, 3 delivered.
QUERY_WAITING, QUERY_FAILED, QUERY_DELIVERED = 1, 2, 3
QUERY_PAGE_SIZE = 50


@dataclass
class AliyunProvider(SmsProvider):
    name: str = "aliyun"
    access_key_id: str = ""
    access_key_secret: str = ""
    sign_name: str = ""
    template_codes: dict[str, str] = field(default_factory=dict)
    endpoint: str = "dysmsapi.aliyuncs.com"
    protocol: str = "https"
    timeout_seconds: float = 10
    # QuerySendDetails lists a message seconds after SendSms accepted it.
    settle_after: dt.timedelta = field(default_factory=lambda: dt.timedelta(minutes=2))

    @classmethod
    def from_settings(cls) -> AliyunProvider:
        key_id, secret = settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET
        if not (key_id and secret and settings.SMS_SIGN_NAME):
            raise ImproperlyConfigured(
                "SMS_PROVIDER=aliyun needs SMS_ALIYUN_ACCESS_KEY_ID, SMS_ALIYUN_ACCESS_KEY_SECRET and SMS_SIGN_NAME")
        return cls(access_key_id=key_id, access_key_secret=secret, sign_name=settings.SMS_SIGN_NAME,
                   template_codes=parse_code_map(settings.SMS_ALIYUN_TEMPLATE_CODES),
                   endpoint=settings.SMS_ALIYUN_ENDPOINT, protocol=settings.SMS_GATEWAY_PROTOCOL,
                   timeout_seconds=settings.SMS_TIMEOUT_SECONDS)

    def _client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        config = Config(access_key_id=self.access_key_id, access_key_secret=self.access_key_secret,
                        endpoint=self.endpoint, protocol=self.protocol)
        return Client(config)

    def _runtime(self):
        from darabonba.runtime import RuntimeOptions

        ms = int(self.timeout_seconds * 1000)
        # autoretry off: a resend is the dispatcher's decision, made only after asking the gateway.
        return RuntimeOptions(autoretry=False, max_attempts=0, read_timeout=ms, connect_timeout=ms)

    def send(self, message: OutgoingSms) -> SendResult:
        from alibabacloud_dysmsapi20170525 import models

        template_code = self.template_codes.get(message.template_code)
        if not template_code:
            return SendResult(SendOutcome.FAILED,
                              error=f"未配置阿里云短信模板代码（SMS_ALIYUN_TEMPLATE_CODES 中缺少 {message.template_code}）")
        request = models.SendSmsRequest(
            phone_numbers=message.phone, sign_name=self.sign_name, template_code=template_code,
            template_param=json.dumps(dict(message.params), ensure_ascii=False), out_id=message.idempotency_key,
        )
        try:
            response = self._client().send_sms_with_options(request, self._runtime())
        except Exception as exc:  # the SDK raises for HTTP errors and network failures alike
            return self._send_error(exc)
        body = response.body
        if body.code == "OK":
            return SendResult(SendOutcome.ACCEPTED, provider_message_id=body.biz_id or "")
        error = f"{body.code}: {body.message}"
        if body.code in RETRY_CODES:
            return SendResult(SendOutcome.RETRY, error=error)
        return SendResult(SendOutcome.FAILED, error=error)

    def _send_error(self, exc: Exception) -> SendResult:
        from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException

        if isinstance(exc, ThrottlingException):
            return SendResult(SendOutcome.RETRY, error=f"{exc.code}: {exc.message}",
                              retry_after=(exc.retry_after or 0) / 1000 or None)
        if isinstance(exc, ClientException):
            outcome = SendOutcome.RETRY if exc.code in RETRY_CODES else SendOutcome.FAILED
            return SendResult(outcome, error=f"{exc.code}: {exc.message}")
        if isinstance(exc, ServerException):
            # A 5xx may come after the message was taken: ask before resending.
            return SendResult(SendOutcome.UNKNOWN, error=f"{exc.code}: {exc.message}")
        text = f"{type(exc).__name__}: {getattr(exc, 'message', '') or exc}"
        inner = getattr(exc, "inner_exception", None)
        if inner is not None:
            text += f" ({type(inner).__name__}: {getattr(inner, 'message', '') or inner})"
        if never_reached_gateway(text):
            return SendResult(SendOutcome.RETRY, error=text)
        return SendResult(SendOutcome.UNKNOWN, error=text)

    def query(self, message: OutgoingSms) -> QueryResult:
        """QuerySendDetails for the number on the day of the last attempt, matched by OutId."""
        from alibabacloud_dysmsapi20170525 import models

        when = (message.last_attempt_at or message.queued_at).astimezone(SHANGHAI)
        page = 1
        try:
            while True:
                request = models.QuerySendDetailsRequest(
                    phone_number=message.phone, send_date=when.strftime("%Y%m%d"), page_size=QUERY_PAGE_SIZE,
                    current_page=page, biz_id=message.provider_message_id or None,
                )
                body = self._client().query_send_details_with_options(request, self._runtime()).body
                if body.code != "OK":
                    return QueryResult(QueryOutcome.UNKNOWN, error=f"{body.code}: {body.message}")
                details = body.sms_send_detail_dtos.sms_send_detail_dto if body.sms_send_detail_dtos else []
                for detail in details or []:
                    if detail.out_id == message.idempotency_key:
                        if detail.send_status == QUERY_DELIVERED:
                            return QueryResult(QueryOutcome.DELIVERED, provider_message_id=message.provider_message_id)
                        if detail.send_status == QUERY_FAILED:
                            return QueryResult(QueryOutcome.FAILED, provider_message_id=message.provider_message_id,
                                               error=f"{detail.err_code}")
                        return QueryResult(QueryOutcome.SENT, provider_message_id=message.provider_message_id)
                total = int(body.total_count or 0)
                if page * QUERY_PAGE_SIZE >= total:
                    return QueryResult(QueryOutcome.NOT_FOUND)
                page += 1
        except Exception as exc:
            return QueryResult(QueryOutcome.UNKNOWN, error=f"{type(exc).__name__}: {getattr(exc, 'message', exc)}")

    def parse_receipts(self, payload: object) -> list[Receipt]:
        """SmsReport HTTP push: a JSON array of {phone_number, success, err_code, err_msg, biz_id, out_id, …}."""
        items = payload if isinstance(payload, list) else [payload]
        receipts = []
        for item in items:
            if not isinstance(item, dict) or not (item.get("out_id") or item.get("biz_id")):
                continue
            delivered = item.get("success") in (True, "true", "True", 1)
            receipts.append(Receipt(
                delivered=delivered, provider_message_id=str(item.get("biz_id") or ""),
                idempotency_key=str(item.get("out_id") or ""),
                error="" if delivered else f"{item.get('err_code', '')}: {item.get('err_msg', '')}",
                at=_parse_local(item.get("report_time")),
            ))
        return receipts

    receipt_ack: dict = field(default_factory=lambda: {"code": 0, "msg": "接收成功"})


def _parse_local(value) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    except (TypeError, ValueError):
        return timezone.now()

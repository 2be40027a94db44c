"""Tencent Cloud SMS (sms 2021-01-11) through its official SDK: SendSms, PullSmsSendStatusByPhoneNumber, callbacks.

Our idempotency key travels as SessionContext, which the status pull returns, so a send whose answer was lost is
recognised without sending it twice. Tencent lists a message only once the carrier has reported on it, so
"not found" proves nothing until `settle_after` has passed.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from ._network import never_reached_gateway, parse_code_map
from .base import OutgoingSms, QueryOutcome, QueryResult, Receipt, SendOutcome, SendResult, SmsProvider

logger = logging.getLogger(__name__)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
PULL_LIMIT = 100
PULL_LOOKBACK_SECONDS = 120  # the gateway's clock may lag ours a little


def _is_retryable(code: str) -> bool:
    # Flow control and the gateway's own trouble; "InternalError.Timeout" is handled as unknown before this.
    return code.startswith(("LimitExceeded", "RequestLimitExceeded", "InternalError", "ResourceUnavailable"))


@dataclass
class TencentProvider(SmsProvider):
    name: str = "tencent"
    secret_id: str = ""
    secret_key: str = ""
    sdk_app_id: str = ""
    sign_name: str = ""
    template_ids: dict[str, str] = field(default_factory=dict)
    region: str = "ap-guangzhou"
    endpoint: str = "sms.tencentcloudapi.com"
    protocol: str = "https"
    timeout_seconds: float = 10
    settle_after: dt.timedelta = field(default_factory=lambda: dt.timedelta(minutes=60))

    @classmethod
    def from_settings(cls) -> TencentProvider:
        if not (settings.SMS_TENCENT_SECRET_ID and settings.SMS_TENCENT_SECRET_KEY and settings.SMS_TENCENT_SDK_APP_ID
                and settings.SMS_SIGN_NAME):
            raise ImproperlyConfigured("SMS_PROVIDER=tencent needs SMS_TENCENT_SECRET_ID, SMS_TENCENT_SECRET_KEY, "
                                       "SMS_TENCENT_SDK_APP_ID and SMS_SIGN_NAME")
        return cls(secret_id=settings.SMS_TENCENT_SECRET_ID, secret_key=settings.SMS_TENCENT_SECRET_KEY,
                   sdk_app_id=settings.SMS_TENCENT_SDK_APP_ID, sign_name=settings.SMS_SIGN_NAME,
                   template_ids=parse_code_map(settings.SMS_TENCENT_TEMPLATE_IDS), region=settings.SMS_TENCENT_REGION,
                   endpoint=settings.SMS_TENCENT_ENDPOINT, protocol=settings.SMS_GATEWAY_PROTOCOL,
                   timeout_seconds=settings.SMS_TIMEOUT_SECONDS,
                   settle_after=dt.timedelta(minutes=getattr(settings, "SMS_TENCENT_SETTLE_MINUTES", 60)))

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(protocol=self.protocol, endpoint=self.endpoint, reqTimeout=self.timeout_seconds)
        # No SDK retryer, no region breaker: a resend is the dispatcher's decision, after asking the gateway.
        profile = ClientProfile(signMethod="TC3-HMAC-SHA256", httpProfile=http, disable_region_breaker=True)
        return sms_client.SmsClient(credential.Credential(self.secret_id, self.secret_key), self.region, profile)

    def send(self, message: OutgoingSms) -> SendResult:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        template_id = self.template_ids.get(message.template_code)
        if not template_id:
            return SendResult(SendOutcome.FAILED,
                              error=f"未配置腾讯云短信模板ID(SMS_TENCENT_TEMPLATE_IDS 中缺少 {message.template_code})")
        request = models.SendSmsRequest()
        request.PhoneNumberSet = ["+86" + message.phone]
        request.SmsSdkAppId = self.sdk_app_id
        request.SignName = self.sign_name
        request.TemplateId = template_id
        # Tencent's parameters are positional ({1}, {2}, …): the order the template text uses them.
        request.TemplateParamSet = [value for _, value in message.params]
        request.SessionContext = message.idempotency_key
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as exc:
            return self._send_error(exc.get_code() or "", exc.get_message() or "")
        except Exception as exc:
            return SendResult(SendOutcome.UNKNOWN, error=f"{type(exc).__name__}: {exc}")
        statuses = response.SendStatusSet or []
        if not statuses:
            return SendResult(SendOutcome.UNKNOWN, error="腾讯云未返回发送状态")
        status = statuses[0]
        code, text = status.Code or "", f"{status.Code}: {status.Message}"
        if code == "Ok":
            return SendResult(SendOutcome.ACCEPTED, provider_message_id=status.SerialNo or "")
        if code == "InternalError.Timeout":
            return SendResult(SendOutcome.UNKNOWN, error=text)
        if _is_retryable(code):
            return SendResult(SendOutcome.RETRY, error=text)
        return SendResult(SendOutcome.FAILED, error=text)

    def _send_error(self, code: str, message: str) -> SendResult:
        text = f"{code}: {message}"
        if code == "ClientNetworkError":
            return SendResult(SendOutcome.RETRY if never_reached_gateway(message) else SendOutcome.UNKNOWN,
                              error=text)
        if code == "ServerNetworkError" or code == "InternalError.Timeout":
            return SendResult(SendOutcome.UNKNOWN, error=text)
        if _is_retryable(code):
            return SendResult(SendOutcome.RETRY, error=text)
        return SendResult(SendOutcome.FAILED, error=text)

    def query(self, message: OutgoingSms) -> QueryResult:
        """PullSmsSendStatusByPhoneNumber since the last attempt, matched by SessionContext."""
        from tencentcloud.sms.v20210111 import models

        since = int((message.last_attempt_at or message.queued_at).timestamp()) - PULL_LOOKBACK_SECONDS
        offset = 0
        try:
            while True:
                request = models.PullSmsSendStatusByPhoneNumberRequest()
                request.BeginTime = since
                request.EndTime = int(time.time()) + PULL_LOOKBACK_SECONDS
                request.Offset = offset
                request.Limit = PULL_LIMIT
                request.PhoneNumber = "+86" + message.phone
                request.SmsSdkAppId = self.sdk_app_id
                rows = self._client().PullSmsSendStatusByPhoneNumber(request).PullSmsSendStatusSet or []
                for row in rows:
                    if row.SessionContext == message.idempotency_key or (
                            message.provider_message_id and row.SerialNo == message.provider_message_id):
                        if row.ReportStatus == "SUCCESS":
                            return QueryResult(QueryOutcome.DELIVERED, provider_message_id=row.SerialNo or "")
                        return QueryResult(QueryOutcome.FAILED, provider_message_id=row.SerialNo or "",
                                           error=f"{row.ReportStatus}: {row.Description}")
                if len(rows) < PULL_LIMIT:
                    return QueryResult(QueryOutcome.NOT_FOUND)
                offset += PULL_LIMIT
        except Exception as exc:
            return QueryResult(QueryOutcome.UNKNOWN, error=f"{type(exc).__name__}: {exc}")

    def parse_receipts(self, payload: object) -> list[Receipt]:
        """Status callback: a JSON array of {user_receive_time, mobile, report_status, errmsg, description, sid}."""
        items = payload if isinstance(payload, list) else [payload]
        receipts = []
        for item in items:
            if not isinstance(item, dict) or not item.get("sid"):
                continue
            delivered = item.get("report_status") == "SUCCESS"
            receipts.append(Receipt(
                delivered=delivered, provider_message_id=str(item["sid"]),
                error="" if delivered else f"{item.get('errmsg', '')}: {item.get('description', '')}",
                at=_parse_local(item.get("user_receive_time")),
            ))
        return receipts

    receipt_ack: dict = field(default_factory=lambda: {"result": 0, "errmsg": "OK"})


def _parse_local(value) -> dt.datetime:
    try:
        return dt.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    except (TypeError, ValueError):
        return timezone.now()

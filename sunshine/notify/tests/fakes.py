"""Local stand-ins for the Aliyun and Tencent SMS gateways: plain-HTTP servers on 127.0.0.1 that check the
signature the official SDK computed (recomputed here from the request and the test's secret) and answer as the
real gateways do: success, flow control, an error, or an answer that never comes (timeout)."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Accepted:
    phone: str
    out_id: str
    biz_id: str
    template: str
    params: object
    at: float
    report: str = ""  # "", "SUCCESS", "FAIL"


@dataclass
class FakeGateway:
    """Shared state: credentials, scripted answers for the next sends, what was accepted, what was rejected."""

    key_id: str
    secret: str
    script: deque = field(default_factory=deque)  # "ok" | "throttle" | "error" | "timeout" (taken in order)
    accepted: list[Accepted] = field(default_factory=list)
    signature_failures: int = 0
    requests: list[str] = field(default_factory=list)  # actions, in order
    hang_seconds: float = 1.5
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def endpoint(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{host}:{port}"

    def next_answer(self) -> str:
        with self.lock:
            return self.script.popleft() if self.script else "ok"

    def start(self, handler_cls) -> FakeGateway:
        gateway = self

        class Handler(handler_cls):
            fake = gateway

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def sent_to(self, out_id: str) -> int:
        return sum(1 for a in self.accepted if a.out_id == out_id)


class _Base(BaseHTTPRequestHandler):
    fake: FakeGateway
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _reply(self, status: int, body: dict, content_type: str = "application/json") -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""


# ---------------------------------------------------------------------------------------------------- Aliyun
class AliyunHandler(_Base):
    """dysmsapi 2017-05-25 over the SDK's ACS3-HMAC-SHA256 signed RPC requests."""

    def do_POST(self):  # noqa: N802
        body = self._body()
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        action = self.headers.get("x-acs-action", "")
        self.fake.requests.append(action)
        problem = self._check_signature(url.path or "/", query, body)
        if problem:
            self.fake.signature_failures += 1
            return self._reply(400 if problem[0] == "SignatureDoesNotMatch" else 404, {
                "RequestId": uuid.uuid4().hex, "Code": problem[0], "Message": problem[1],
                "HostId": "dysmsapi.aliyuncs.com",
            })
        if action == "SendSms":
            return self._send(query)
        if action == "QuerySendDetails":
            return self._query(query)
        return self._reply(404, {"RequestId": "x", "Code": "InvalidAction.NotFound", "Message": action})

    def _check_signature(self, path: str, query: dict, body: bytes) -> tuple[str, str] | None:
        auth = self.headers.get("Authorization", "")
        algorithm, _, rest = auth.partition(" ")
        parts = dict(p.split("=", 1) for p in rest.split(",") if "=" in p)
        if algorithm != "ACS3-HMAC-SHA256" or parts.get("Credential") != self.fake.key_id:
            return "InvalidAccessKeyId.NotFound", "Specified access key is not found."
        payload_hash = hashlib.sha256(body).hexdigest()
        if self.headers.get("x-acs-content-sha256") != payload_hash:
            return "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
        signed = parts["SignedHeaders"].split(";")
        canonical_query = "&".join(f"{k}={quote(query[k], safe='~')}" for k in sorted(query))
        canonical_headers = "".join(f"{h}:{(self.headers.get(h) or '').strip()}\n" for h in signed)
        canonical = "\n".join(["POST", path, canonical_query, canonical_headers, ";".join(signed), payload_hash])
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
        expected = hmac.new(self.fake.secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            return "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
        return None

    def _send(self, query: dict):
        answer = self.fake.next_answer()
        request_id = uuid.uuid4().hex
        if answer == "throttle":
            return self._reply(200, {"RequestId": request_id, "Code": "isv.BUSINESS_LIMIT_CONTROL",
                                     "Message": "触发分钟级流控Permits:1"})
        if answer == "error" or not query.get("PhoneNumbers", "").isdigit():
            return self._reply(200, {"RequestId": request_id, "Code": "isv.MOBILE_NUMBER_ILLEGAL",
                                     "Message": "非法手机号"})
        biz_id = f"{int(time.time() * 1000)}^{len(self.fake.accepted)}"
        self.fake.accepted.append(Accepted(query["PhoneNumbers"], query.get("OutId", ""), biz_id,
                                           query.get("TemplateCode", ""), json.loads(query.get("TemplateParam") or "{}"),
                                           time.time()))
        if answer == "timeout":
            time.sleep(self.fake.hang_seconds)  # the gateway took it; the answer arrives after the client gave up
        return self._reply(200, {"RequestId": request_id, "Code": "OK", "Message": "OK", "BizId": biz_id})

    def _query(self, query: dict):
        day = query.get("SendDate", "")
        rows = [a for a in self.fake.accepted if a.phone == query.get("PhoneNumber")
                and dt.datetime.fromtimestamp(a.at, SHANGHAI).strftime("%Y%m%d") == day]
        status = {"": 1, "FAIL": 2, "SUCCESS": 3}
        return self._reply(200, {
            "RequestId": uuid.uuid4().hex, "Code": "OK", "Message": "OK", "TotalCount": len(rows),
            "SmsSendDetailDTOs": {"SmsSendDetailDTO": [{
                "PhoneNum": a.phone, "SendStatus": status[a.report], "ErrCode": "DELIVERED" if a.report else "",
                "TemplateCode": a.template, "Content": "", "OutId": a.out_id,
                "SendDate": dt.datetime.fromtimestamp(a.at, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
            } for a in rows]},
        })


# ---------------------------------------------------------------------------------------------------- Tencent
def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


class TencentHandler(_Base):
    """sms 2021-01-11 over the SDK's TC3-HMAC-SHA256 signed JSON POSTs."""

    def do_POST(self):  # noqa: N802
        body = self._body()
        action = self.headers.get("X-TC-Action", "")
        self.fake.requests.append(action)
        problem = self._check_signature(body)
        request_id = uuid.uuid4().hex
        if problem:
            self.fake.signature_failures += 1
            return self._reply(200, {"Response": {"Error": {"Code": problem[0], "Message": problem[1]},
                                                  "RequestId": request_id}})
        params = json.loads(body or b"{}")
        if action == "SendSms":
            return self._send(params, request_id)
        if action == "PullSmsSendStatusByPhoneNumber":
            return self._pull(params, request_id)
        return self._reply(200, {"Response": {"Error": {"Code": "InvalidAction", "Message": action},
                                              "RequestId": request_id}})

    def _check_signature(self, body: bytes) -> tuple[str, str] | None:
        auth = self.headers.get("Authorization", "")
        algorithm, _, rest = auth.partition(" ")
        parts = dict(p.strip().split("=", 1) for p in rest.split(",") if "=" in p)
        credential = parts.get("Credential", "").split("/")
        if algorithm != "TC3-HMAC-SHA256" or len(credential) != 4 or credential[0] != self.fake.key_id:
            return "AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct."
        _, date, service, _ = credential
        timestamp = self.headers.get("X-TC-Timestamp", "0")
        if abs(time.time() - int(timestamp)) > 300:
            return "AuthFailure.SignatureExpire", "Signature expired."
        canonical_headers = (f"content-type:{self.headers.get('Content-Type')}\n"
                             f"host:{self.headers.get('Host')}\n")
        canonical = "\n".join(["POST", "/", "", canonical_headers, "content-type;host",
                               hashlib.sha256(body).hexdigest()])
        to_sign = "\n".join(["TC3-HMAC-SHA256", timestamp, f"{date}/{service}/tc3_request",
                             hashlib.sha256(canonical.encode()).hexdigest()])
        key = _hmac(_hmac(_hmac(("TC3" + self.fake.secret).encode(), date), service), "tc3_request")
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        if parts.get("SignedHeaders") != "content-type;host" or not hmac.compare_digest(expected,
                                                                                        parts.get("Signature", "")):
            return ("AuthFailure.SignatureFailure",
                    "The provided credentials could not be validated. Please check your signature is correct.")
        return None

    def _send(self, params: dict, request_id: str):
        answer = self.fake.next_answer()
        phone = (params.get("PhoneNumberSet") or [""])[0]
        context = params.get("SessionContext", "")
        if answer == "throttle":
            status = {"Code": "LimitExceeded.PhoneNumberThirtySecondLimit", "Message": "单个手机号30秒内下发短信条数超过设定的上限"}
        elif answer == "error" or not phone.startswith("+861"):
            status = {"Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "手机号格式错误"}
        else:
            serial = f"2433:{uuid.uuid4().int % 10**20}"
            self.fake.accepted.append(Accepted(phone, context, serial, params.get("TemplateId", ""),
                                               params.get("TemplateParamSet"), time.time(), report="SUCCESS"))
            status = {"Code": "Ok", "Message": "send success", "SerialNo": serial}
            if answer == "timeout":
                time.sleep(self.fake.hang_seconds)
        status.setdefault("SerialNo", "")
        return self._reply(200, {"Response": {"SendStatusSet": [{
            "PhoneNumber": phone, "Fee": 1 if status["Code"] == "Ok" else 0, "SessionContext": context,
            "IsoCode": "CN", **status}], "RequestId": request_id}})

    def _pull(self, params: dict, request_id: str):
        rows = [a for a in self.fake.accepted if a.phone == params.get("PhoneNumber") and a.report
                and params.get("BeginTime", 0) <= a.at <= params.get("EndTime", 2**31)]
        page = rows[params.get("Offset", 0): params.get("Offset", 0) + params.get("Limit", 100)]
        return self._reply(200, {"Response": {"PullSmsSendStatusSet": [{
            "UserReceiveTime": dt.datetime.fromtimestamp(a.at, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
            "CountryCode": "86", "SubscriberNumber": a.phone[3:], "PhoneNumber": a.phone, "SerialNo": a.biz_id,
            "ReportStatus": a.report, "Description": "用户短信送达成功", "SessionContext": a.out_id,
        } for a in page], "RequestId": request_id}})

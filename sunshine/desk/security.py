"""Staff login and sessions: password (django-axes lockout), then a second factor (django-otp TOTP or a one-time
recovery code), idle and absolute session limits; every step leaves one audit record (sunshine.core.audit).

The admin site logs in through the same page (sunshine.urls), so there is one staff login to protect.
"""
from __future__ import annotations

import base64
import io
import time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sunshine.core.audit import AuditEvent, AuditResult, audit_record
from sunshine.core.ratelimit import Limit, RateLimited, check, client_ip, hit

# Failed staff logins from one address, whatever the accounts: beyond this the address waits (429). Higher than
# the per-account lock (5), so an office behind one address can still mistype; far below a guessing run.
STAFF_LOGIN_FAILURES_PER_ADDRESS = Limit("staff_login_address", count=20, seconds=15 * 60)
SESSION_STARTED = "sunshine_session_started"
SESSION_SEEN = "sunshine_session_seen"
# The last-seen time is written at most this often: a session write on every request would cost a query each.
SEEN_WRITE_INTERVAL = 60
TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"
# Staff pages, and among them those an account that has not passed its second factor may open.
_GATED_PREFIXES = ("/desk/", "/admin/")
_OPEN_PREFIXES = ("/desk/login/", "/desk/logout/", "/desk/2fa/", "/static/", "/i18n/", "/admin/login/",
                  "/admin/logout/")


# ---- who must show a second factor -----------------------------------------------------------------------------
def needs_second_factor(user) -> bool:
    """Every staff account when SUNSHINE_REQUIRE_2FA is on; otherwise (the demo) only those that enrolled."""
    return settings.SUNSHINE_REQUIRE_2FA or user_has_device(user, confirmed=True)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


class StaffSessionMiddleware:
    """End staff sessions idle for SESSION_IDLE_SECONDS or older than SESSION_ABSOLUTE_SECONDS, and keep an
    account that has not passed its second factor on the two-factor pages (the API answers it 401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                request._sunshine_logout_reason = expired
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "登录已过期，请重新登录", "code": "session_expired"}, status=401)
                messages.info(request, _("登录已过期，请重新登录。"))
                return redirect(f"{reverse('desk:login')}?{urlencode({'next': request.get_full_path()})}")
            if needs_second_factor(user) and not user.is_verified():
                if request.path.startswith("/api/"):
                    request.user = AnonymousUser()  # a session without its second factor is no login for the API
                elif request.path.startswith(_GATED_PREFIXES) and not request.path.startswith(_OPEN_PREFIXES):
                    target = "desk:2fa_verify" if user_has_device(user, confirmed=True) else "desk:2fa_setup"
                    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str:
        session = request.session
        now = time.time()
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:  # a session from before these limits: start counting now
            session[SESSION_STARTED] = session.get(SESSION_STARTED, now)
            session[SESSION_SEEN] = now
            return ""
        if now - started > settings.SESSION_ABSOLUTE_SECONDS:
            return "absolute"
        if now - seen > settings.SESSION_IDLE_SECONDS:
            return "idle"
        if now - seen > SEEN_WRITE_INTERVAL:
            session[SESSION_SEEN] = now
        return ""


# ---- audit of the login steps (signals: the admin and the desk share them) ---------------------------------------
def _on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
    audit_record(event=AuditEvent.LOGIN, actor=user,
                 detail={"second_factor": "pending" if needs_second_factor(user) else "not_enrolled"})


def _refused_while_locked(request) -> bool:
    # axes counts the failures only of attempts it let through; one refused during a lock leaves the count unset.
    return bool(getattr(request, "axes_locked_out", False)) and getattr(request, "axes_failures_since_start",
                                                                        None) is None


def _on_login_failed(sender, credentials, request=None, **kwargs):
    from sunshine.org.models import Account

    # Only a name that is an account is recorded: people type passwords into the user-name field.
    account = Account.objects.filter(username=credentials.get("username") or "").first()
    audit_record(event=AuditEvent.LOGIN_FAILED, actor=None, result=AuditResult.FAILURE,
                 object_type="org.account" if account else "", object_id=account.pk if account else "",
                 detail={"locked": _refused_while_locked(request)})
    if request is not None:
        hit_failure = getattr(request, "_sunshine_address_counted", False)
        if not hit_failure:
            request._sunshine_address_counted = True
            try:
                hit(STAFF_LOGIN_FAILURES_PER_ADDRESS, client_ip(request))
            except RateLimited:
                pass  # counted; the next attempt from this address is refused before the password is read


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    # axes signals a lock both when it happens and on each attempt during it; only the first is a lockout
    # (the later ones are failed logins, recorded as such with locked=True).
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    from sunshine.org.models import Account

    account = Account.objects.filter(username=username or "").first()
    audit_record(event=AuditEvent.LOCKOUT, actor=None, result=AuditResult.DENIED,
                 object_type="org.account" if account else "", object_id=account.pk if account else "",
                 detail={"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)})


def _on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(event=AuditEvent.LOGOUT, actor=user,
                     detail={"reason": getattr(request, "_sunshine_logout_reason", "user")})


def connect_signals() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_on_logged_in, dispatch_uid="sunshine_audit_login")
    user_login_failed.connect(_on_login_failed, dispatch_uid="sunshine_audit_login_failed")
    user_logged_out.connect(_on_logged_out, dispatch_uid="sunshine_audit_logout")
    user_locked_out.connect(_on_locked_out, dispatch_uid="sunshine_audit_lockout")


# ---- the pages -----------------------------------------------------------------------------------------------
class StaffLoginView(auth_views.LoginView):
    """Django's login page, refusing an address that failed too often across accounts (django-axes locks the
    account from that address after 5)."""

    template_name = "desk/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        try:
            check(STAFF_LOGIN_FAILURES_PER_ADDRESS, client_ip(request))
        except RateLimited as exc:
            response = render(request, "desk/locked_out.html", {"retry_after": exc.retry_after}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)


class CodeForm(forms.Form):
    code = forms.CharField(max_length=40, strip=True)

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def _confirmed_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@login_required
def two_factor_verify(request):
    """The second step of the login: a code from the authenticator app, or one recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request, reverse("desk:home")))
    device = _confirmed_totp(user)
    if device is None:
        return redirect(f"{reverse('desk:2fa_setup')}?{urlencode({'next': _safe_next(request, '')})}")
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
        looks_like_totp = code.isdigit() and len(code) == device.digits
        if looks_like_totp and device.verify_token(code):
            otp_login(request, device)
            audit_record(event=AuditEvent.OTP_VERIFIED, actor=user)
            return redirect(_safe_next(request, reverse("desk:home")))
        if not looks_like_totp and recovery is not None and recovery.verify_token(code):  # consumes the code
            otp_login(request, recovery)
            audit_record(event=AuditEvent.RECOVERY_CODE_USED, actor=user,
                         detail={"left": recovery.token_set.count()})
            messages.warning(request, _("您使用了一个恢复码，它已作废；剩余恢复码不多时请重新生成。"))
            return redirect(_safe_next(request, reverse("desk:home")))
        audit_record(event=AuditEvent.OTP_FAILED, actor=user, result=AuditResult.FAILURE)
        error = _("验证码不正确或已使用过，请输入验证器上最新的 6 位数字，或一个未用过的恢复码。")
    return render(request, "desk/two_factor_verify.html", {"form": form, "error": error,
                                                           "next": _safe_next(request, "")})


def _qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _issue_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
def two_factor_setup(request):
    """Enrolment: scan the QR code into an authenticator app, type one code; then the recovery codes, once."""
    user = request.user
    if _confirmed_totp(user) is not None:
        return redirect("desk:2fa_verify" if not user.is_verified() else "desk:home")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _issue_recovery_codes(user)
                otp_login(request, device)
                audit_record(event=AuditEvent.OTP_ENROLLED, actor=user, detail={"recovery_count": len(codes)})
            return render(request, "desk/recovery_codes.html", {"codes": codes,
                                                               "next": _safe_next(request, reverse("desk:home"))})
        audit_record(event=AuditEvent.OTP_FAILED, actor=user, result=AuditResult.FAILURE, detail={"step": "enrol"})
        error = _("验证码不正确，请确认手机时间准确后，输入验证器上最新的 6 位数字。")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "desk/two_factor_setup.html", {
        "form": form, "error": error, "qr": _qr_data_uri(device.config_url), "secret": secret,
        "next": _safe_next(request, ""),
    })


@login_required
def recovery_codes_new(request):
    """New recovery codes (the old ones stop working), for an account that passed its second factor."""
    if request.method != "POST" or not request.user.is_verified():
        return HttpResponseRedirect(reverse("desk:home"))
    with transaction.atomic():
        codes = _issue_recovery_codes(request.user)
        audit_record(event=AuditEvent.RECOVERY_CODES_ISSUED, actor=request.user, detail={"recovery_count": len(codes)})
    return render(request, "desk/recovery_codes.html", {"codes": codes, "next": reverse("desk:home")})


class StaffPasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password: this session stays (update_session_auth_hash), every other one ends (Django's
    session hash changes with the password), and one PASSWORD_CHANGE audit record is left."""

    template_name = "desk/password_change.html"

    def get_success_url(self) -> str:
        return reverse("desk:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(event=AuditEvent.PASSWORD_CHANGE, actor=self.request.user, obj=self.request.user)
        messages.success(self.request, _("密码已修改，其他设备上的登录已退出。"))
        return response

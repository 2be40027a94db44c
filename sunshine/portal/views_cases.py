"""Public report pages (三(三)1 在线网络实时举报): the report form, the receipt, the status page, exposures.

Anonymous by default. The receipt code is shown once on the result page and never travels in a URL (the status
page takes it by POST), an e-mail or a log line. Abuse is held off without hurting honest villagers: rate limits
per address and per browser (portal/reporting.py), an arithmetic question in Chinese words and a hidden honeypot
field; a refused attempt saves nothing, but never loses a word either: the form comes back filled in, with the
wait and an offer to keep the draft on the phone (static/js/report-draft.js).
"""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sunshine.cases import challenge, selectors, services
from sunshine.cases.attachments import clean_uploads
from sunshine.cases.choices import Channel, DeadlineKind, MessageKind, MessageSide
from sunshine.core.errors import ApplicationError, NotFound
from sunshine.core.ratelimit import Limit, RateLimited, client_ip, hit_request
from sunshine.core.validators import normalize_id_number, normalize_mobile
from sunshine.funds.records import record_public_words, record_subject
from sunshine.org.choices import RegionLevel, UnitKind
from sunshine.org.models import Region, Unit
from sunshine.portal.errors import PortalErrorCode

from . import reporting
from .caching import public_cache

STATUS_LIMIT = Limit("report_status", 20, 10 * 60)
REPLIES_LIMIT = Limit("report_reply", 10, 60 * 60)
EXPOSURES_PER_PAGE = 20
ABOUT_UNIT_KINDS = (UnitKind.TOWNSHIP_GOV, UnitKind.MEMBER_UNIT, UnitKind.DEPARTMENT)
# What each deadline means to the reporter, in plain words beside the desk's term.
CLOCK_PLAIN_WORDS = {
    DeadlineKind.TRANSFER: _("确定由哪个单位办理"),
    DeadlineKind.ACCEPT_NOTICE: _("告诉您是否受理"),
    DeadlineKind.REPLY: _("把办理结果答复您"),
}
ATTACHMENT_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"


class ReportForm(forms.Form):
    township = forms.ModelChoiceField(Region.objects.filter(level=RegionLevel.TOWNSHIP), required=False,
                                      label=_("乡镇（街道）"))
    village = forms.ModelChoiceField(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent"),
                                     required=False, label=_("村（社区）"))
    about_person_name = forms.CharField(max_length=60, required=False, label=_("反映谁"))
    about_unit = forms.ModelChoiceField(Unit.objects.filter(kind__in=ABOUT_UNIT_KINDS), required=False,
                                        label=_("哪个单位"))
    text = forms.CharField(max_length=5000, label=_("发生了什么"), error_messages={
        "required": _("请写一写发生了什么"), "max_length": _("内容太长了，请控制在5000字以内")})
    real_name = forms.BooleanField(required=False)
    name = forms.CharField(max_length=40, required=False)
    phone = forms.CharField(max_length=20, required=False)
    id_number = forms.CharField(max_length=24, required=False)
    about_type = forms.CharField(max_length=40, required=False)
    about_id = forms.IntegerField(required=False, min_value=1)
    challenge_answer = forms.CharField(max_length=10, required=False)
    challenge_token = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        township, village = data.get("township"), data.get("village")
        if township and village and village.parent_id != township.pk:
            self.add_error("village", _("所选的村不属于所选的乡镇，请重新选择"))
        if data.get("real_name"):
            if not (data.get("name") or "").strip():
                self.add_error("name", _("实名举报请填写姓名"))
            try:
                data["phone"] = normalize_mobile(data.get("phone") or "")
            except ValidationError:
                self.add_error("phone", _("请填写正确的11位手机号码，办理结果会用短信告诉您"))
            if (data.get("id_number") or "").strip():
                try:
                    data["id_number"] = normalize_id_number(data["id_number"])
                except ValidationError as exc:
                    self.add_error("id_number", exc.messages[0])
        return data

    @property
    def region(self):
        return self.cleaned_data.get("village") or self.cleaned_data.get("township")

    @property
    def identity(self) -> dict | None:
        if not self.cleaned_data.get("real_name"):
            return None
        return {k: self.cleaned_data.get(k) or "" for k in ("name", "phone", "id_number")}


def about_record(about_type: str, about_id, owner: str = "") -> dict | None:
    """The record an objection (异议) link points at, in masked words, with its place; None if unknown.

    A published record is named by anyone; one not yet published only with the household page's signature.
    """
    if not about_type or not str(about_id or "").isdigit():
        return None
    is_owner = reporting.objection_owner_valid(about_type, about_id, owner)
    summary = record_public_words(about_type=about_type, about_id=about_id, owner=is_owner)
    if not summary:
        return None
    subject = record_subject(about_type=about_type, about_id=about_id)
    region = subject.region if subject is not None else None
    village = region if region is not None and region.level == RegionLevel.VILLAGE else None
    township = village.parent if village is not None else (
        region if region is not None and region.level == RegionLevel.TOWNSHIP else None)
    return {"type": about_type, "id": int(about_id), "summary": summary, "owner": owner if is_owner else "",
            "village": village, "township": township}


def _village_groups(township=None) -> list[tuple[Region, list[Region]]]:
    """Villages grouped by township (all of them when none is chosen, so the form works without JavaScript)."""
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")
    if township is not None:
        townships = townships.filter(pk=township.pk)
    groups = {t.pk: (t, []) for t in townships}
    for village in Region.objects.filter(level=RegionLevel.VILLAGE, parent_id__in=groups).order_by("code"):
        groups[village.parent_id][1].append(village)
    return list(groups.values())


def _about_units() -> list[tuple[str, list[Unit]]]:
    units = list(Unit.objects.filter(kind__in=ABOUT_UNIT_KINDS).order_by("kind", "member_order", "name"))
    return [
        (_("乡镇（街道）"), [u for u in units if u.kind == UnitKind.TOWNSHIP_GOV]),
        (_("市直单位"), [u for u in units if u.kind != UnitKind.TOWNSHIP_GOV]),
    ]


def _form_page(request, form: ReportForm, *, about, error: ApplicationError | None = None, status: int = 200,
               village: Region | None = None, refused: RateLimited | None = None):
    township = form.cleaned_data.get("township") if form.is_bound and hasattr(form, "cleaned_data") else None
    if township is None and form.is_bound and (form.data.get("township") or "").isdigit():
        township = Region.objects.filter(level=RegionLevel.TOWNSHIP, pk=form.data["township"]).first()
    selected_village = form.data.get("village", "") if form.is_bound else ""
    if not form.is_bound and about:  # an objection: the place comes from the record
        township = about["township"]
        selected_village = str(about["village"].pk) if about["village"] else ""
    if village is not None:  # a supervision card's QR code (core.public_urls.report_village_url)
        township = village.parent
        selected_village = str(village.pk)
    response = render(request, "portal/cases/report_form.html", {
        "form": form, "about": about, "error": error, "refused": refused,
        "refused_minutes": (refused.retry_after + 59) // 60 if refused else 0,
        "challenge": challenge.challenge_new(),
        "townships": Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"),
        "township": township, "village_groups": _village_groups(township),
        "selected_village": selected_village,
        "about_units": _about_units(), "honeypot": challenge.HONEYPOT_FIELD, "accept": ATTACHMENT_ACCEPT,
        "hotline": settings.SUNSHINE["HOTLINE"],
    }, status=status)
    if refused is not None:
        response["Retry-After"] = str(refused.retry_after)
    reporting.browser_cookie_set(request, response)
    return response


def _rate_limited(request, exc: RateLimited, *, what: str):
    response = render(request, "portal/cases/rate_limited.html", {"error": exc, "what": what,
                                                                  "hotline": settings.SUNSHINE["HOTLINE"]},
                      status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request):
    if request.method == "GET":
        about = about_record(request.GET.get("about_type", ""), request.GET.get("about_id", ""), request.GET.get("owner", ""))
        initial = {"about_type": about["type"], "about_id": about["id"]} if about else {}
        village = Region.objects.filter(level=RegionLevel.VILLAGE, code=request.GET.get("village", "")[:15]).first()
        if village is not None:
            initial["township"] = village.parent_id
        return _form_page(request, ReportForm(initial=initial), about=about, village=village)

    form = ReportForm(request.POST)
    about = about_record(request.POST.get("about_type", ""), request.POST.get("about_id", ""),
                   request.POST.get("owner", ""))
    if request.POST.get("action") == "pick_township":  # without JavaScript: reload the villages of a township
        form.is_valid()
        return _form_page(request, form, about=about)
    try:
        reporting.report_limits_check(request)
    except RateLimited as exc:
        # Refused, but nothing typed is lost: the form comes back filled in, with the wait and the draft offer.
        form.is_valid()
        return _form_page(request, form, about=about, refused=exc, status=429)
    if challenge.honeypot_tripped(request.POST):
        return _form_page(request, form, about=about, status=400, error=ApplicationError(
            _("提交没有成功，请检查后重新提交"), code=PortalErrorCode.HONEYPOT))
    if not form.is_valid():
        return _form_page(request, form, about=about, status=400)
    try:
        uploads = clean_uploads(request.FILES.getlist("attachments"))
        challenge.challenge_verify(token=form.cleaned_data["challenge_token"],
                                   answer=form.cleaned_data["challenge_answer"])
        report, receipt = services.report_submit(
            channel=Channel.ONLINE, text=form.cleaned_data["text"], region=form.region,
            about_person_name=form.cleaned_data["about_person_name"], about_unit=form.cleaned_data["about_unit"],
            real_name=form.identity, attachments=uploads,
            about_type=about["type"] if about else "", about_id=about["id"] if about else None,
            actor=None, source_ip=client_ip(request),
        )
    except ApplicationError as exc:
        return _form_page(request, form, about=about, error=exc, status=exc.status)
    reporting.report_limits_count(request)
    # Rendered in the POST answer, not after a redirect: the code is never in a URL, a session or a log.
    return render(request, "portal/cases/report_done.html", {
        "receipt": receipt, "is_real_name": report.is_real_name, "hotline": settings.SUNSHINE["HOTLINE"],
    })


@require_GET
@public_cache
def report_villages(request):
    """The village select for a township (HTMX swaps it in when the township changes)."""
    value = request.GET.get("township", "")
    township = Region.objects.filter(level=RegionLevel.TOWNSHIP, pk=value).first() if value.isdigit() else None
    return render(request, "portal/cases/partials/village_select.html", {
        "village_groups": _village_groups(township), "township": township, "selected_village": "",
    })


def _status_page(request, receipt: str, *, notice: str = "", error: ApplicationError | None = None,
                 reply_text: str = "", status: int = 200):
    report_status = selectors.report_status_for_receipt(receipt_code=receipt)
    # Opening the page is reading the handler's questions; the flags above were taken before, so they show once.
    services.messages_mark_read_by_reporter(receipt_code=receipt)
    # The closing reply is shown once, as the result, not again as a message in the conversation.
    thread = [m for m in report_status.messages if m.kind != MessageKind.RESULT]
    clock = [(line, CLOCK_PLAIN_WORDS.get(line.kind, "")) for line in report_status.clock]
    return render(request, "portal/cases/status.html", {
        "status": report_status, "thread": thread, "clock": clock, "receipt": receipt,
        "new_messages": sum(1 for m in thread if m.side == MessageSide.HANDLER and m.unread), "notice": notice, "error": error, "reply_text": reply_text,
        "accept": ATTACHMENT_ACCEPT, "hotline": settings.SUNSHINE["HOTLINE"],
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def report_status(request):
    """Enter the receipt code (POST, so it stays out of URLs, history and logs); see the case; answer questions."""
    if request.method == "GET":
        return render(request, "portal/cases/status_lookup.html", {})
    receipt = (request.POST.get("receipt") or "").strip()[:64]
    try:
        hit_request(STATUS_LIMIT, request)
        if request.POST.get("action") == "reply":
            hit_request(REPLIES_LIMIT, request)
    except RateLimited as exc:
        return _rate_limited(request, exc, what="status")
    if not receipt:
        return render(request, "portal/cases/status_lookup.html", {
            "error": ApplicationError(_("请输入查询码"), code=PortalErrorCode.RECEIPT_REQUIRED)}, status=400)
    try:
        if request.POST.get("action") != "reply":
            return _status_page(request, receipt)
    except NotFound as exc:
        return render(request, "portal/cases/status_lookup.html", {"error": exc}, status=exc.status)
    text = request.POST.get("text", "")
    try:
        uploads = clean_uploads(request.FILES.getlist("attachments"))
        services.reporter_reply(receipt_code=receipt, text=text, attachments=uploads)
    except NotFound as exc:
        return render(request, "portal/cases/status_lookup.html", {"error": exc}, status=exc.status)
    except ApplicationError as exc:
        return _status_page(request, receipt, error=exc, reply_text=text, status=exc.status)
    return _status_page(request, receipt, notice=_("已收到您的补充，承办人会看到。"))


@require_GET
@public_cache
def exposure_list(request):
    """通报曝光 (三(三)2: 发现一起,严肃查处一起,通报曝光一起): published notices, newest first."""
    page = Paginator(selectors.exposure_list_public(), EXPOSURES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/cases/exposure_list.html", {"page": page})


@require_GET
@public_cache
def exposure_detail(request, pk: int):
    return render(request, "portal/cases/exposure_detail.html", {"exposure": selectors.exposure_get_public(pk)})

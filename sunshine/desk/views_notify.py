"""Staff pages of the SMS outbox: thin views; jurisdiction inside the selectors, capabilities checked here."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from sunshine.core.errors import ApplicationError
from sunshine.core.masking import mask_phone
from sunshine.notify import selectors
from sunshine.notify.capabilities import Capability
from sunshine.notify.choices import SmsStatus
from sunshine.notify.models import PROTECTED_LABEL, PROTECTED_TEXT
from sunshine.notify.services import sms_phones_unmasked, sms_template_update
from sunshine.notify.services.templates import compile_body
from sunshine.org.capabilities import has_capability, require
from sunshine.stats.export import AsIs

from .exports import Listing, choice_label, col, desk_list, shown

PAGE_SIZE = 50


def _phone_shown(actor, message) -> str:
    # Personal data: only administrators see whole numbers on staff pages; a reporter's number nobody sees here.
    if message.protected:
        return str(PROTECTED_LABEL)
    return message.phone if has_capability(actor, Capability.VIEW_FULL_PHONE) else mask_phone(message.phone)


def _export_phone(message):
    # A whistleblower's number is never exported, not even in full with a reason: the label stands in its place.
    return AsIs(PROTECTED_LABEL) if message.protected else message.phone


@desk_list("sms-outbox", title=_lazy("短信发送记录"), page="desk:notify_outbox", object_type="notify.smsmessage",
           columns=[
               col(_lazy("时间"), "created_at"), col(_lazy("短信模板"), "template_code"),
               col(_lazy("手机号码"), _export_phone, "phone"), col(_lazy("状态"), "get_status_display"),
               col(_lazy("计费条数"), "segments"), col(_lazy("发送次数"), "attempts"),
               col(_lazy("内容"), lambda m: str(PROTECTED_TEXT) if m.protected else m.body.text),
               col(_lazy("错误信息"), "last_error")])
def outbox_query(actor, g) -> Listing:
    require(actor, Capability.VIEW_OUTBOX)
    status, template = g.get("status") or "", g.get("template") or ""
    q = g.get("q", "").strip()
    qs = selectors.sms_list_visible_to(actor=actor, status=status or None, template=template or None, q=q)
    return Listing(qs, shown([(_("状态"), choice_label(SmsStatus.choices, status)), (_("短信模板"), template),
                              (_("查询"), mask_phone(q) if q.isdigit() else q)]))


@login_required
def outbox(request):
    actor = request.user
    status = request.GET.get("status") or ""
    template = request.GET.get("template") or ""
    q = request.GET.get("q", "").strip()
    qs = outbox_query(actor, request.GET).rows
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.sms_template_names()
    sms_phones_unmasked(actor=actor, messages=page.object_list)  # whole numbers shown: one audit record
    for message in page.object_list:
        message.phone_shown = _phone_shown(actor, message)
        message.template_name = names.get(message.template_code, message.template_code)
    counts = selectors.sms_status_counts(actor=actor, template=template or None)
    context = {
        "page": page, "status": status, "template": template, "q": q, "templates": sorted(names.items()),
        "tabs": [(value, label, counts[value]) for value, label in SmsStatus.choices],
        "total": sum(counts.values()),
    }
    name = "desk/notify/partials/outbox_rows.html" if request.htmx else "desk/notify/outbox.html"
    return render(request, name, context)


# What a message announces, in the clerk's words (the outbox keeps the record's type as a developer key).
RELATED_LABELS = {
    "funds.payment": _lazy("到户资金发放"),
    "funds.transaction": _lazy("村级账户收支"),
    "cases.case": _lazy("举报办理"),
    "cases.fundreturn": _lazy("追缴资金返还"),
}
# The placeholders of the SMS templates, in words, for the clerk who edits a template.
PARAM_LABELS = {
    "amount": _lazy("金额"), "date": _lazy("日期"), "village": _lazy("村（社区）"), "hotline": _lazy("监督举报电话"),
    "purpose": _lazy("用途"), "direction": _lazy("收入或支出"), "counterparty": _lazy("对方单位或个人"), "balance": _lazy("余额"),
    "status_url": _lazy("查询办理进度的网址"), "receipt_hint": _lazy("查询码尾号"), "case_no": _lazy("案件编号"),
    "what": _lazy("事项"), "item": _lazy("资金项目"), "deadline": _lazy("期限"), "check_url": _lazy("查询到户资金的网址"),
    "household": _lazy("户主"), "name": _lazy("姓名"), "code": _lazy("验证码"),
}


@login_required
def message_detail(request, message_id: int):
    actor = request.user
    require(actor, Capability.VIEW_OUTBOX)
    message = selectors.sms_get_for(actor=actor, pk=message_id)
    sms_phones_unmasked(actor=actor, messages=[message])
    message.phone_shown = _phone_shown(actor, message)
    return render(request, "desk/notify/message.html", {
        "message": message, "attempts": selectors.sms_attempts_of(message=message),
        "template_name": selectors.sms_template_names().get(message.template_code, message.template_code),
        "related_label": RELATED_LABELS.get(message.related_type, ""),
    })


@desk_list("sms-templates", title=_lazy("短信模板"), page="desk:notify_templates", columns=[
    col(_lazy("编码"), "code"), col(_lazy("名称"), "name"), col(_lazy("内容"), "body"),
    col(_lazy("参数"), lambda t: "、".join(t.params or []))])
def templates_query(actor, g) -> Listing:
    return Listing(selectors.sms_template_list(actor=actor))


@login_required
def template_list(request):
    actor = request.user
    return render(request, "desk/notify/templates.html", {
        "templates": templates_query(actor, request.GET).rows,
        "can_edit": has_capability(actor, Capability.EDIT_TEMPLATES),
    })


def _preview(code: str, body: str, params: list[str]) -> str:
    """The text with each parameter shown by its name, so staff see where the values go."""
    text, _pairs = compile_body(code, body).render({name: f"[{name}]" for name in params})
    return text


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_id: int):
    actor = request.user
    template = selectors.sms_template_get(actor=actor, pk=template_id)
    body, name, error = template.body, template.name, None
    if request.method == "POST":
        body, name = request.POST.get("body", ""), request.POST.get("name", "")
        try:
            sms_template_update(template_id=template.pk, actor=actor, body=body, name=name)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("短信模板已保存；此后生成的短信使用新内容，已排队的短信不变。"))
            return redirect("desk:notify_templates")
    preview = ""
    if error is None:
        try:
            preview = _preview(template.code, body, list(template.params))
        except ApplicationError:
            preview = ""
    return render(request, "desk/notify/template_edit.html", {
        "template": template, "body": body, "name": name, "error": error, "preview": preview,
        "params": [(p, PARAM_LABELS.get(p, "")) for p in template.params],
    }, status=400 if error else 200)

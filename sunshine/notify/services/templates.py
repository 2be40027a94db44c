"""SMS templates: rendering with a clear error for missing parameters, and staff edits that keep placeholders valid."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError, NotFound
from sunshine.notify.errors import NotifyErrorCode

from ..models import SmsTemplate

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A parameter named *_clause is a part of a sentence the message may leave out ("，余额¥…" when there is no
# balance): it may be empty, every other parameter must be given.
OPTIONAL_SUFFIX = "_clause"
BODY_MAX_CHARS = 400  # gateways split long texts into several billed parts; 400 is ~6 parts, plenty for a notice


@dataclass(frozen=True)
class CompiledTemplate:
    """A template prepared for many renders: one str.format_map each (a million-row import renders a million)."""

    code: str
    fmt: str  # the body with literal braces doubled, placeholders as {name}
    names: tuple[str, ...]  # placeholder names in order of first use

    def render(self, params: dict[str, str]) -> tuple[str, list[list[str]]]:
        values = {}
        missing = []
        for name in self.names:
            value = params.get(name)
            if value == "" and name.endswith(OPTIONAL_SUFFIX):
                values[name] = ""
            elif value is None or value == "":
                missing.append(name)
            else:
                values[name] = str(value)
        if missing:
            raise ApplicationError(
                f"短信模板“{self.code}”缺少参数：{'、'.join(missing)}", code=NotifyErrorCode.SMS_PARAMS_MISSING,
                extra={"template": self.code, "missing": missing},
            )
        return self.fmt.format_map(values), [[name, values[name]] for name in self.names]


def compile_body(code: str, body: str) -> CompiledTemplate:
    parts = PLACEHOLDER.split(body)
    literals = [p.replace("{", "{{").replace("}", "}}") for p in parts[0::2]]
    names = parts[1::2]
    fmt = "".join(lit + (f"{{{names[i]}}}" if i < len(names) else "") for i, lit in enumerate(literals))
    return CompiledTemplate(code=code, fmt=fmt, names=tuple(dict.fromkeys(names)))


def template_compiled(*, code: str) -> CompiledTemplate:
    """The current text of template `code`, compiled (read fresh: an edit applies to messages rendered after it)."""
    row = SmsTemplate.objects.filter(code=code).values_list("body", flat=True).first()
    if row is None:
        raise ApplicationError(f"短信模板“{code}”不存在", code=NotifyErrorCode.SMS_TEMPLATE_UNKNOWN)
    return compile_body(code, row)


def sms_render(*, template: str, params: dict[str, str]) -> str:
    """Render template `template` with `params` into its Chinese text; missing parameters raise ApplicationError."""
    text, _ = template_compiled(code=template).render(params)
    return text


def validate_body(*, body: str, allowed: list[str]) -> str:
    body = body.strip()
    if not body:
        raise ApplicationError("短信内容不能为空", code=NotifyErrorCode.SMS_TEMPLATE_EMPTY)
    if len(body) > BODY_MAX_CHARS:
        raise ApplicationError(f"短信内容不能超过{BODY_MAX_CHARS}字", code=NotifyErrorCode.SMS_TEMPLATE_TOO_LONG)
    unknown = [n for n in dict.fromkeys(PLACEHOLDER.findall(body)) if n not in allowed]
    if unknown:
        raise ApplicationError(
            f"短信内容引用了不存在的参数：{'、'.join(unknown)}（可用参数：{'、'.join(allowed)}）",
            code=NotifyErrorCode.SMS_TEMPLATE_UNKNOWN_PARAM,
        )
    if "{" in PLACEHOLDER.sub("", body) or "}" in PLACEHOLDER.sub("", body):
        raise ApplicationError("短信内容中的花括号只能用于 {参数名}", code=NotifyErrorCode.SMS_TEMPLATE_BRACE)
    return body


@transaction.atomic
def sms_template_update(*, template_id: int, actor, body: str, name: str | None = None) -> SmsTemplate:
    """Change a template's text; messages already queued keep the text they were rendered with."""
    from sunshine.org.capabilities import require

    from ..capabilities import Capability

    require(actor, Capability.EDIT_TEMPLATES)
    template = SmsTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    template.body = validate_body(body=body, allowed=list(template.params))
    fields = ["body", "updated_by", "updated_at"]
    if name is not None and name.strip():
        template.name = name.strip()[:60]
        fields.append("name")
    template.updated_by = actor
    template.updated_at = timezone.now()
    template.save(update_fields=fields)
    # An SMS template is configuration every household's message follows: one CONFIG_CHANGE record (the text
    # itself is in the field-change history).
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=template, detail={"setting": "sms_template"})
    return template

"""Django admin: SMS templates (text editable, placeholders checked) and the outbox, read-only."""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from sunshine.core.errors import ApplicationError

from .models import SmsAttempt, SmsMessage, SmsTemplate
from .services.templates import validate_body


class SmsTemplateForm(forms.ModelForm):
    class Meta:
        model = SmsTemplate
        fields = ["name", "body", "description"]

    def clean_body(self):
        try:
            return validate_body(body=self.cleaned_data["body"], allowed=list(self.instance.params or []))
        except ApplicationError as exc:
            raise ValidationError(exc.message) from None


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    form = SmsTemplateForm
    list_display = ("code", "name", "updated_at", "updated_by")
    readonly_fields = ("code", "params", "updated_by", "updated_at")
    fields = ("code", "name", "body", "params", "description", "updated_by", "updated_at")

    def has_add_permission(self, request):
        return False  # codes are referenced by the code that queues messages; they come from migrations

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class SmsAttemptInline(admin.TabularInline):
    model = SmsAttempt
    extra = 0
    can_delete = False
    fields = ("at", "provider", "outcome", "status_after", "provider_message_id", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by services only (what was sent is what is recorded)."""

    list_display = ("id", "template_code", "phone", "status", "attempts", "provider", "created_at")
    list_filter = ("status", "template_code", "provider")
    search_fields = ("idempotency_key", "phone", "provider_message_id")
    inlines = [SmsAttemptInline]
    show_full_result_count = False  # the outbox holds millions of rows (and no date index: no date hierarchy)
    list_select_related = ("body",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in SmsMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

"""Staff pages of the SMS outbox (三(二)3): the outbox with its delivery status, and the message templates."""
from django.urls import path

from . import views_notify

urlpatterns = [
    path("sms/", views_notify.outbox, name="notify_outbox"),
    path("sms/<int:message_id>/", views_notify.message_detail, name="notify_message"),
    path("sms/templates/", views_notify.template_list, name="notify_templates"),
    path("sms/templates/<int:template_id>/", views_notify.template_edit, name="notify_template_edit"),
]

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.notify"
    label = "notify"
    verbose_name = "短信通知"

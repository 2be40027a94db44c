from django.apps import AppConfig


class NotifyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.notify"
    label = "notify"
    verbose_name = "短信通知"

    def ready(self):
        from . import health  # noqa: F401 (registers the SMS backlog in /api/v1/health)

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.notify"
    label = "notify"
    verbose_name = "短信通知"

    def ready(self):
        from sunshine.org.services import region_path_changed

        from . import health  # noqa: F401 (registers the SMS backlog in /api/v1/health)
        from .services.outbox import sms_region_paths_move

        region_path_changed.connect(sms_region_paths_move, dispatch_uid="notify.sms_region_paths_move")

from django.apps import AppConfig


class DeskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.desk"
    label = "desk"
    verbose_name = "工作台"

    def ready(self):
        from .security import connect_signals

        connect_signals()

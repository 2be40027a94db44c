from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks
        from .audit import connect_signals
        from .embedded_beat import start_if_wanted

        connect_signals()
        start_if_wanted()

from django.apps import AppConfig


class RedflagsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.redflags"
    label = "redflags"
    verbose_name = "大数据比对"

    def ready(self) -> None:
        from . import plan  # noqa: F401  (declares the rules' thresholds in core.plan)

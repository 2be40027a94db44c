from django.apps import AppConfig


class OversightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.oversight"
    label = "oversight"
    verbose_name = "监督检查"

    def ready(self) -> None:
        from . import plan_i13b  # noqa: F401  i13b: the plan's numbers of its subjects

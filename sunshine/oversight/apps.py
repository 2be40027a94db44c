from django.apps import AppConfig


class OversightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.oversight"
    label = "oversight"
    verbose_name = "监督检查"

    def ready(self) -> None:
        # i13a: the plan's numbers, the close guard of leader-led real-name cases (三(二)2), case-page panels.
        from sunshine.cases.transitions import register_close_guard

        from . import (
            plan,  # noqa: F401  (declares the plan's numbers)
            plan_i13b,  # noqa: F401  i13b: the plan's numbers of its subjects
        )
        from .services.petitions import close_guard

        register_close_guard(close_guard)
        from . import demo_field, field_panels  # noqa: F401  (demo step; home and case-page panels)

from django.apps import AppConfig


class StatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.stats"
    label = "stats"
    verbose_name = "统计与简报"

    def ready(self) -> None:
        from . import registry

        registry.autodiscover()

from django.apps import AppConfig


class StatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.stats"
    label = "stats"
    verbose_name = "统计与简报"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sunshine.org.models import Region, Unit

        from . import registry
        from .figures import Index

        registry.autodiscover()
        for model in (Region, Unit):  # the places and units index follows the registry's changes
            post_save.connect(Index.forget, sender=model, dispatch_uid=f"stats-index-{model.__name__}-save")
            post_delete.connect(Index.forget, sender=model, dispatch_uid=f"stats-index-{model.__name__}-delete")

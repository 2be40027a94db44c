from django.apps import AppConfig


class OrgConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.org"
    label = "org"
    verbose_name = "组织与农户"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sunshine.core.scoping import forget_resolved

        from .models import Region, Unit

        # Scopes resolve region paths to region and unit ids (sunshine.core.scoping): a change to either table
        # makes them resolve again.
        for model in (Region, Unit):
            post_save.connect(forget_resolved, sender=model, dispatch_uid=f"org-scoping-{model.__name__}-save")
            post_delete.connect(forget_resolved, sender=model, dispatch_uid=f"org-scoping-{model.__name__}-delete")

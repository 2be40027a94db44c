from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.portal"
    label = "portal"
    verbose_name = "公开门户"

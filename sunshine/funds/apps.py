from django.apps import AppConfig


class FundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.funds"
    label = "funds"
    verbose_name = "资金公开"

from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.cases"
    label = "cases"
    verbose_name = "举报与案件"

from django.apps import AppConfig


class FundsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sunshine.funds"
    label = "funds"
    verbose_name = "资金公开"

    def ready(self) -> None:
        from sunshine.notify.services.links import register_personal_link

        from . import plan  # noqa: F401 - declares the plan's numbers of this domain
        from .services.sms import PAYMENT_RELATED, payment_personal_link

        # A payment SMS carries the household's personal link, put in when it is sent.
        register_personal_link(PAYMENT_RELATED, payment_personal_link)

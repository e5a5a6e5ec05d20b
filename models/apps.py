from django.apps import AppConfig


class GatewayConfig(AppConfig):
    """The gateway's domain: users, conversations, messages and connection logs."""

    name = "models"
    label = "gateway"
    verbose_name = "Chat gateway"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Live support: the workflow services, JSON API and admin (tables live in ``models``)."""

    name = "support"
    verbose_name = "Live support"

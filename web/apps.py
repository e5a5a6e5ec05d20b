from django.apps import AppConfig


class WebConfig(AppConfig):
    """Server-rendered pages for every user; the JSON API and sockets do the work."""

    name = "web"
    label = "web"

"""ASGI entry point: ``daphne chatgateway.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatgateway.settings")
# Set Django up before importing anything that imports models.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from chatgateway.routing import websocket_application  # noqa: E402

# daphne does not serve static files; in DEBUG the admin's CSS is served the way
# `runserver` does it, in production a proxy serves `collectstatic` output.
http_application = (
    ASGIStaticFilesHandler(django_application) if settings.DEBUG else django_application
)

application = ProtocolTypeRouter(
    {"http": http_application, "websocket": websocket_application}
)

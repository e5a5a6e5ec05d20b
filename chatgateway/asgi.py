"""ASGI entry point: ``daphne chatgateway.asgi:application``."""

import gc
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

# What start-up builds lives as long as the process (Django, the URL conf, the redaction
# engine and its tables, built now rather than by the first message): a full garbage
# collection walked all of it, found nothing to free and paused every socket of the
# process for ~50 ms. Frozen, it is left out of collections.
from messaging.redactor import get_redactor  # noqa: E402

get_redactor()
gc.freeze()

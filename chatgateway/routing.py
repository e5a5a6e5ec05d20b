"""WebSocket routes and the middleware stack every socket passes through."""

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from consumers.auth import TicketAuthMiddleware
from consumers.chat import ChatConsumer
from consumers.moderation import ModerationFeedConsumer
from consumers.support import AgentConsoleConsumer, SupportFeedConsumer

websocket_urlpatterns = [
    path("ws/chat/<int:conversation_id>/", ChatConsumer.as_asgi()),
    path("ws/support/", SupportFeedConsumer.as_asgi()),
    path("ws/support/console/", AgentConsoleConsumer.as_asgi()),
    path("ws/moderation/", ModerationFeedConsumer.as_asgi()),
]

websocket_application = AllowedHostsOriginValidator(
    AuthMiddlewareStack(TicketAuthMiddleware(URLRouter(websocket_urlpatterns)))
)

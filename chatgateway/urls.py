from django.contrib import admin
from django.urls import include, path

from messaging import views

urlpatterns = [
    path("", include("web.urls")),
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/ws-ticket/", views.ws_ticket, name="ws-ticket"),
    path("api/conversations/", views.conversations, name="conversations"),
    path("api/support/", include("support.urls")),
    path("", include("moderation.urls")),
]

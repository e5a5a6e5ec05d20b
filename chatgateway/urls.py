from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from messaging import views

urlpatterns = [
    path("", include("web.urls")),
    # The pages live in web/; the bare root sends each user to the first page of their role.
    path("", RedirectView.as_view(pattern_name="web:start"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/ws-ticket/", views.ws_ticket, name="ws-ticket"),
    path("api/conversations/", views.conversations, name="conversations"),
    path("api/support/", include("support.urls")),
    path("", include("moderation.urls")),
]

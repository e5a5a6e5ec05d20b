"""Page routes. Included first at the root so the styled sign-in page wins over the
default one; everything else lives under paths no other app uses."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from web import views

app_name = "web"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/web_login.html",
            next_page="web:start",
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("start/", views.start, name="start"),
    path("chat/", views.chats, name="chats"),
    path("chat/<int:conversation_id>/", views.conversation, name="conversation"),
    path("account/", views.account, name="account"),
    path("support/console/", views.console, name="console"),
    path("moderation/", views.dashboard, name="dashboard"),
    path("moderation/cases/<int:case_id>/", views.case, name="case"),
    path(f"{settings.STATIC_URL.strip('/')}/<path:path>", views.static, name="static"),
]

"""Pages for every kind of user.

The pages are thin: the server renders the frame and what only it knows (the chart, who
the user is), and small scripts drive the documented JSON API and sockets, so a page can
never do what the API would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from messaging.views import conversation_list
from models import Conversation, User
from models.user import Role
from web.charts import KINDS, violation_chart


def only_for(allowed: Callable[[User], bool]) -> Callable:
    """Signed-in users for whom ``allowed(user)`` holds; others get 403, strangers the login."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied("this page is not for your role")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def is_agent(user: User) -> bool:
    return user.role == Role.AGENT


def is_moderator(user: User) -> bool:
    return user.is_moderator


def is_customer(user: User) -> bool:
    return user.role in (Role.FREELANCER, Role.CLIENT)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where signing in leads: each role's own first page."""
    if is_moderator(request.user):
        return redirect("web:dashboard")
    if is_agent(request.user):
        return redirect("web:console")
    return redirect("web:chats")


@login_required
def chats(request: HttpRequest) -> HttpResponse:
    return render(request, "web/chats.html", {"conversations": conversation_list(request.user)})


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    found = get_object_or_404(
        Conversation.objects.prefetch_related("participants"),
        pk=conversation_id,
        participants=request.user,
    )
    others = [p for p in found.participants.all() if p.pk != request.user.pk]
    return render(request, "web/conversation.html", {"conversation": found, "others": others})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "web/account.html")


@only_for(is_agent)
def console(request: HttpRequest) -> HttpResponse:
    # Transfer targets: the API checks they are online with room; the page only names them.
    agents = User.objects.filter(role=Role.AGENT).exclude(pk=request.user.pk).order_by("username")
    return render(request, "web/console.html", {"agents": agents})


@only_for(is_moderator)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "web/dashboard.html", {"chart": violation_chart(), "kinds": KINDS})


@only_for(is_moderator)
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    return render(request, "web/case.html", {"case_id": case_id})


def static(request: HttpRequest, path: str) -> FileResponse:
    """The app's static files, from daphne itself in every mode.

    ``chatgateway.asgi`` serves static files only with DEBUG on; production-like runs (the
    tests, ``DEBUG=0``) have no proxy in front, so this view finds them the way
    ``collectstatic`` would and streams them with caching left to the browser's validators.
    """
    found = finders.find(path)
    if not found or not Path(found).is_file():
        raise Http404(f"no static file {path!r}")
    return FileResponse(open(found, "rb"))  # FileResponse closes it

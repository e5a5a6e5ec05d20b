"""What the pages promise without a browser: CSP, roles, static files, the chart's counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from models import Conversation, User, Violation
from models.user import Role
from web.charts import violation_chart


@pytest.fixture
def user(db):
    def make(role: str) -> User:
        return User.objects.create_user(username=f"{role}-page", password="x" * 12, role=role)

    return make


def test_pages_carry_a_csp_without_inline_scripts(client, user):
    client.force_login(user(Role.CLIENT))
    response = client.get("/chat/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert b"<script>" not in response.content  # every script is a file: type=module src=…


def test_role_pages_refuse_other_roles(client, user):
    client.force_login(user(Role.FREELANCER))
    assert client.get("/support/console/").status_code == 403
    assert client.get("/moderation/").status_code == 403
    client.logout()
    assert client.get("/moderation/")["Location"].startswith("/accounts/login/")


@override_settings(DEBUG=False)
def test_static_files_are_served_with_debug_off(client):
    response = client.get("/static/web/chat.js")
    assert response.status_code == 200
    assert b"class ChatView" in b"".join(response.streaming_content)
    assert client.get("/static/web/nope.js").status_code == 404


def test_chart_counts_each_kind_per_day_and_the_disguised_share(user):
    sender = user(Role.FREELANCER)
    conversation = Conversation.objects.create(kind="project")
    now = timezone.now()
    for kinds, disguised, age in (
        (["phone"], False, 0), (["phone", "email"], True, 0), (["url"], False, 40),
    ):
        Violation.objects.create(user=sender, conversation=conversation, kinds=kinds,
                                 disguised=disguised, created_at=now - timedelta(days=age))
    chart = violation_chart()
    assert chart.totals == {"phone": 2, "email": 1, "handle": 0, "url": 0}  # 40 days: outside
    assert (chart.violations, chart.disguised, chart.disguised_percent) == (2, 1, 50)
    assert sorted((bar.kind, bar.count) for bar in chart.bars) == [("email", 1), ("phone", 2)]

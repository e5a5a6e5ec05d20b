"""The Django admin covers the gateway's data; unmasked originals stay with moderators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from messaging import actions
from models import Role

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["user", "conversation", "message", "messageevent", "messageoriginal", "connectionlog"]


@pytest.mark.parametrize("model", PAGES)
def test_every_gateway_model_has_a_working_admin_page(client, make_user, alice, conversation,
                                                      model):
    """A superuser can list each model (with data in it) in the admin."""
    actions.send_message(alice, conversation.pk, "a", "mail me at jo.smith@gmail.com")
    admin = make_user("root", Role.MODERATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(f"/admin/gateway/{model}/").status_code == 200


def test_originals_are_hidden_from_staff_who_are_not_moderators(client, make_user):
    """Even with the view permission, a non-moderator cannot open the unmasked texts."""
    staff = make_user("support-lead", Role.AGENT, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(staff)
    assert client.get("/admin/gateway/message/").status_code == 200
    assert client.get("/admin/gateway/messageoriginal/").status_code == 403

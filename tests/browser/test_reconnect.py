"""The server restarts under an open chat: pages reconnect, resync, and lose nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_pages_reconnect_and_resync_after_the_server_restarts(site, sign_in, shot):
    freelancer_name, client_name = site.pair()
    freelancer = sign_in(freelancer_name)
    client = sign_in(client_name)
    for page in (freelancer, client):
        page.goto("/chat/")
        page.locator(".conversations a").click()
        expect(page.locator(".conn-state")).to_have_text("Connected")
    freelancer.fill("textarea[name=text]", "before the restart")
    freelancer.keyboard.press("Enter")
    expect(client.locator(".message.theirs")).to_have_count(1)

    server = site.servers[0]
    server.stop()
    expect(freelancer.locator(".conn-state")).to_contain_text("reconnecting")
    freelancer.fill("textarea[name=text]", "sent while the server was down")
    freelancer.keyboard.press("Enter")
    pending = freelancer.locator(".message.pending")
    expect(pending).to_contain_text("sent while the server was down")
    expect(pending).to_contain_text("sending…")
    shot(freelancer, "reconnecting")
    server.start()  # same port, same database, same secret: sessions stay valid

    for page in (freelancer, client):
        expect(page.locator(".conn-state")).to_have_text("Connected", timeout=20_000)
    expect(freelancer.locator(".message.pending")).to_have_count(0)
    expect(client.locator(".message.theirs .text")).to_have_text(
        ["before the restart", "sent while the server was down"]
    )
    client.fill("textarea[name=text]", "welcome back")
    client.keyboard.press("Enter")
    expect(freelancer.locator(".message .text")).to_have_text(
        ["before the restart", "sent while the server was down", "welcome back"]
    )
    # The resend reused its client_id: the server stored the message once.
    freelancer.reload()
    expect(freelancer.locator(".message .text")).to_have_text(
        ["before the restart", "sent while the server was down", "welcome back"]
    )

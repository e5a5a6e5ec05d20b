"""A freelancer and a client chat in two browsers: masking, escaping, receipts, CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_conversation(page: object) -> None:
    """Open the user's one conversation (each demo pair has exactly one) from the list."""
    page.goto("/chat/")
    page.locator(".conversations a").click()
    expect(page.locator(".conn-state")).to_have_text("Connected")


def test_two_people_chat_and_see_masking(site, sign_in, shot):
    freelancer_name, client_name = site.pair()
    freelancer = sign_in(freelancer_name)
    client = sign_in(client_name, phone=True)
    assert freelancer.url.endswith("/chat/")
    shot(freelancer, "chats")

    open_conversation(freelancer)
    open_conversation(client)
    expect(freelancer.locator(".presence li.online")).to_have_count(2)

    client.fill("textarea[name=text]", "Hello! Is the logo ready?")
    client.keyboard.press("Enter")
    received = freelancer.locator(".message.theirs .text").last
    expect(received).to_have_text("Hello! Is the logo ready?")

    freelancer.locator("textarea[name=text]").press_sequentially("Almost")
    expect(client.locator(".typing")).to_contain_text("is typing")
    freelancer.fill("textarea[name=text]", "Call me on 98765 43210 to talk it over")
    freelancer.click("button:has-text('Send')")

    # Both sides see the placeholder, styled as one; only the sender is told why.
    for page in (freelancer, client):
        masked = page.locator(".message .masked").last
        expect(masked).to_have_text("[phone removed]")
    assert "98765" not in client.locator(".messages").inner_text()
    notice = freelancer.locator(".inline-notice")
    expect(notice).to_contain_text("phone number")
    expect(notice).to_contain_text("strike")
    expect(client.locator(".inline-notice")).to_have_count(0)
    # The client's page had it in view, so it told the server; the sender sees the receipt.
    expect(freelancer.locator(".message.mine .receipt").last).to_have_text(" · read")
    shot(freelancer, "conversation")
    shot(client, "conversation-phone")


def test_html_in_a_message_shows_as_text_and_runs_nothing(site, sign_in, shot):
    freelancer_name, client_name = site.pair()
    freelancer = sign_in(freelancer_name)
    client = sign_in(client_name)
    open_conversation(freelancer)
    open_conversation(client)
    attack = "<img src=x onerror=alert(1)>"
    client.evaluate("window.ran = false")
    freelancer.fill("textarea[name=text]", attack + "<script>window.ran = true</script>")
    freelancer.keyboard.press("Enter")

    line = client.locator(".message.theirs .text").last
    expect(line).to_have_text(attack + "<script>window.ran = true</script>")
    assert client.locator(".messages img, .messages script").count() == 0
    assert client.evaluate("window.ran") is False
    csp = client.request.get("/chat/").headers["content-security-policy"]
    assert "script-src 'self'" in csp
    shot(client, "xss-as-text")
    # The `sign_in` fixture fails the test if any dialog (alert) opened.

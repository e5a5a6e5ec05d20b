"""Support and moderation across several browsers at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_support_chat_is_transferred_closed_and_rated(site, sign_in, shot):
    freelancer_name, _ = site.pair()
    first = sign_in("agent-1")
    second = sign_in("agent-2")
    for agent in (first, second):
        expect(agent.locator("#feed-state")).to_have_text("Live")
        agent.select_option("#presence", "online")
    user = sign_in(freelancer_name, phone=True)

    user.click("#support-toggle")
    user.fill("#support-subject", "Invoice question")
    user.fill("#support-text", "My invoice shows the wrong amount")
    user.click("text=Start a support chat")
    expect(user.locator(".support-status")).to_contain_text("in the queue")
    shot(user, "support-widget-queued")

    waiting = first.locator("#queue li", has_text="Invoice question")
    expect(waiting).to_contain_text("wrong amount")
    waiting.get_by_role("button", name="Claim").click()
    pane = first.locator(".pane", has_text="Invoice question")
    expect(pane.locator(".conn-state")).to_have_text("Connected")
    expect(user.locator(".support-status")).to_contain_text("is helping you")
    pane.locator("textarea[name=text]").fill("Hello, let me check that for you.")
    pane.locator("textarea[name=text]").press("Enter")
    expect(user.locator(".support-chat .message.theirs").last).to_contain_text("let me check")
    pane.get_by_placeholder("Internal note").fill("Billing issue, needs agent 2")
    pane.get_by_role("button", name="Add note").click()
    expect(pane.locator(".notes")).to_contain_text("Billing issue")
    shot(first, "agent-console")

    pane.get_by_label("Transfer to").select_option(label="Agent 2")
    pane.get_by_role("button", name="Transfer").click()
    expect(pane).to_have_count(0)
    taken = second.locator(".pane", has_text="Invoice question")
    expect(taken.locator(".message").first).to_contain_text("wrong amount")
    taken.get_by_placeholder("Resolution").fill("Invoice corrected")
    taken.get_by_role("button", name="Close chat").click()
    expect(taken).to_have_count(0)

    expect(user.locator(".support-status")).to_contain_text("Invoice corrected")
    user.select_option("#support-score", "5")
    user.click("text=Send rating")
    expect(user.locator(".support-panel")).to_contain_text("Thank you for your rating")
    transcript = user.locator("a", has_text="Download the transcript")
    text = user.request.get(transcript.get_attribute("href")).text()
    assert "let me check" in text and "Billing issue" not in text  # notes stay internal
    shot(user, "support-widget-closed")


def test_third_strike_suspends_and_a_moderator_lifts_it_live(site, sign_in, shot):
    freelancer_name, _ = site.pair()
    moderator = sign_in("moderator")
    expect(moderator.locator("#feed-state")).to_have_text("Live")
    freelancer = sign_in(freelancer_name)
    freelancer.goto("/chat/")
    freelancer.locator(".conversations a").click()
    expect(freelancer.locator(".conn-state")).to_have_text("Connected")

    for number in ("98765 43210", "91234 56780", "99887 76655"):
        freelancer.fill("textarea[name=text]", f"my number is {number}")
        freelancer.keyboard.press("Enter")
        expect(freelancer.locator(".message.mine:not(.pending) .masked")).not_to_have_count(0)
        freelancer.wait_for_timeout(300)  # each send is its own attempt, in order

    expect(freelancer.locator(".chat .notice")).to_contain_text("suspended")
    expect(freelancer.locator("textarea[name=text]")).to_be_disabled()
    shot(freelancer, "suspended-chat")

    case = moderator.locator("#cases li.fresh", has_text=freelancer_name)
    expect(case).to_be_visible()
    moderator.reload()  # the server-drawn chart now counts these violations
    expect(moderator.locator("svg.chart rect")).not_to_have_count(0)
    shot(moderator, "moderation-dashboard")
    moderator.locator("#cases li", has_text=freelancer_name).get_by_role("link").click()
    expect(moderator.locator("#transcript mark.masked").first).to_have_text("[phone removed]")
    moderator.fill("#reveal-reason", "checking the report")
    moderator.click("text=Reveal original")
    expect(moderator.locator("#originals")).to_contain_text("98765")
    moderator.fill("#act-reason", "first time, warned by phone")
    moderator.click("button[value=lift]")
    expect(moderator.locator("#case-status")).to_contain_text("Done: lift")
    shot(moderator, "moderation-case")

    freelancer.goto("/account/")
    expect(freelancer.locator("#suspension")).to_be_hidden()
    expect(freelancer.locator("#strikes li").first).to_contain_text("phone")
    shot(freelancer, "account")
    freelancer.goto("/chat/")
    freelancer.locator(".conversations a").click()
    expect(freelancer.locator(".conn-state")).to_have_text("Connected")

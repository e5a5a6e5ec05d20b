"""A long conversation opens on its last page and loads earlier messages on scrolling back."""

from __future__ import annotations

import asyncio
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from bench.client import login

pytestmark = pytest.mark.browser

MESSAGES = 70  # more than one page (50) of history
PER_SOCKET = 25  # under the per-socket send limit (30 in 10 s)


async def send_many(base_url: str, username: str) -> None:
    """Send ``MESSAGES`` numbered messages as ``username``, in order, each acknowledged."""
    session = await login(base_url, username)
    (conversation,) = await session.conversations()
    for start in range(0, MESSAGES, PER_SOCKET):
        async with session.connect(conversation["id"]) as ws:
            for n in range(start + 1, min(start + PER_SOCKET, MESSAGES) + 1):
                await ws.send(json.dumps(
                    {"type": "message.send", "client_id": str(uuid.uuid4()), "text": f"note {n}"}
                ))
                while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "message.ack":
                    pass


def test_scrolling_back_loads_earlier_messages_once(site, sign_in, shot):
    freelancer_name, client_name = site.pair()
    with ThreadPoolExecutor(1) as pool:  # its own event loop, away from Playwright's
        pool.submit(asyncio.run, send_many(site.url, client_name)).result(timeout=60)
    page = sign_in(freelancer_name)
    page.goto("/chat/")
    page.locator(".conversations a").click()
    texts = page.locator(".message .text")
    expect(texts).to_have_count(50)
    expect(texts.first).to_have_text("note 21")
    expect(texts.last).to_have_text(f"note {MESSAGES}")

    page.locator(".messages").evaluate("list => list.scrollTo(0, 0)")
    expect(texts).to_have_count(MESSAGES)
    assert texts.all_inner_texts() == [f"note {n}" for n in range(1, MESSAGES + 1)]
    expect(page.locator(".older")).to_be_hidden()
    shot(page, "history-scrolled-back")

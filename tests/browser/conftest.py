"""Browser fixtures: Debian's Chromium driven by Playwright against a real daphne.

The site is a deployment of its own (not the e2e suite's ``embedded``): the reconnect test
stops and restarts its server, which no other suite should feel. Every page a test visits
can be saved with ``shot`` under ``test-artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.client import DEFAULT_PASSWORD
from bench.servers import gateway_env, manage, sqlite_url
from tests.e2e.conftest import Deployment, _mark_log_offsets, deploy, pytest_runtest_makereport

__all__ = ["_mark_log_offsets", "pytest_runtest_makereport"]  # failures show the server's log

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """One daphne on SQLite with the demo users, two support agents and a moderator."""
    directory = tmp_path_factory.mktemp("browser")
    env = gateway_env(sqlite_url(directory))
    with deploy(env, 1, directory) as deployment:
        manage(env, "seed_support", "--agents", "2")
        yield deployment


# Module scope, not session: Playwright's sync API keeps an event loop running in this
# thread while it is open, and pytest-asyncio cannot start the async tests of later folders
# ("Runner.run() cannot be called from a running event loop").
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " and REQUIRE_SERVICES=1", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def sign_in(site: Deployment, browser: object) -> Iterator[Callable[..., object]]:
    """``sign_in(username, phone=False)``: a page of a fresh browser context, signed in.

    Each user gets a context of their own (separate cookies), as two people on two machines.
    Dialogs fail the test: no page of ours opens one, so one would mean injected script.
    """
    contexts = []
    dialogs: list[str] = []

    def open_page(username: str, phone: bool = False) -> object:
        size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 860}
        context = browser.new_context(viewport=size, base_url=site.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEFAULT_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not dialogs, f"a page opened a dialog: {dialogs}"


@pytest.fixture
def shot() -> Callable[[object, str], Path]:
    """``shot(page, name)``: save a full-page screenshot for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page: object, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save

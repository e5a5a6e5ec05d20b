"""One embedded gateway with the hostile script's settings, attacked once for all the tests.

The attacks run in sequence beside a probe of ordinary users (``bench.hostile.attack_all``);
each test then checks one attack's verdict, so a failure names the attack that got through.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.hostile import ATTACKS, HOSTILE_SETTINGS, Probe, Verdict, attack_all, prepare
from bench.servers import gateway_env, sqlite_url
from tests.e2e.conftest import _mark_log_offsets, deploy, pytest_runtest_makereport

__all__ = ["_mark_log_offsets", "pytest_runtest_makereport"]  # server logs on failure


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "abuse: hostile clients against a real gateway")


Attacked = tuple[dict[str, Verdict], Probe]


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Attacked]:
    """Every attack's verdict, and the probe of ordinary users that chatted throughout."""
    directory: Path = tmp_path_factory.mktemp("hostile")
    env = gateway_env(sqlite_url(directory), extra=HOSTILE_SETTINGS)
    with deploy(env, 1, directory) as deployment:

        async def run() -> Attacked:
            target, probe = await prepare(deployment.url, probe_pairs=2)
            return await attack_all(target, probe, list(ATTACKS), baseline=2), probe

        yield asyncio.run(asyncio.wait_for(run(), 150))

"""Hostile clients get their clear error or close code, and everyone else is still served.

Latency figures for the same attacks come from ``python -m bench.hostile``
(docs/benchmarks.md); here only behaviour is asserted.
"""

from __future__ import annotations

import pytest

from bench.hostile import ATTACKS

pytestmark = [pytest.mark.abuse, pytest.mark.timeout(200)]


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_each_attack_gets_its_clear_answer(attacked, attack):
    verdicts, _ = attacked
    verdict = verdicts[attack]
    assert verdict.ok, f"{verdict.attack}: expected {verdict.expected}; got {verdict.observed}"


def test_ordinary_users_keep_being_served_throughout(attacked):
    _, probe = attacked
    samples = {phase: len(values) for phase, values in probe.latencies.items()}
    assert probe.lost == 0, f"{probe.lost} probe messages never arrived; relayed: {samples}"
    assert probe.latencies.get("baseline")
    # Messages kept flowing while the long attacks ran, not only between them (the others
    # may be over before the probe's next message).
    for attack in ("flood", "slowloris"):
        assert probe.latencies.get(attack), f"no probe message was relayed during {attack}"

"""Soak: 300 chunks, about 20% of requests failing in every way the service fails, 8 in flight.

Faults: 429 with and without Retry-After, 500, 503, dropped connections, replies stalled past the
timeout, and replies that trickle in so slowly that the whole answer overruns the timeout although
no single read does.

The fault schedule is drawn per chunk from a fixed seed (so a failure reproduces), keyed by the
exact request ``input`` of a fault-free run of the same document, so it does not depend on the
order in which concurrent requests happen to arrive. Timeouts and backoff are tiny client options:
the whole file takes seconds.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, deque
from pathlib import Path

import pytest

from ssmlkit.rendering import AsyncRenderClient, RenderClient, render_with, render_with_async
from tests.e2e.fake_service import FakeService

KEY = "sk-soak-0123456789"
SEED = 20240607
CHUNKS = 300
CONCURRENCY = 8
FAULT_RATE = 0.2
KINDS = ("429", "429-bare", "500", "503", "drop", "stall", "trickle")
# The client's timeout. A stalled reply waits STALL seconds, well past it, and a trickled one sends
# a byte every TRICKLE seconds: each read is quick, the whole answer takes minutes. It is generous
# so that a healthy reply on a loaded 2-core CI machine never times out (that would be a retry the
# schedule did not plan, and the test would blame the renderer).
TIMEOUT = 2.0
STALL = 3.0
TRICKLE = 0.1
MAX_RETRIES = 5
CLIENT = {
    "timeout": TIMEOUT,
    "max_retries": MAX_RETRIES,
    "retry_base_delay": 0.001,
    "retry_max_delay": 0.01,
    "concurrency": CONCURRENCY,
    "rate_limit_cooldown": 0.05,
}
OPTIONS = {"voice": "longanyang", "max_chars": 40, "sample_rate": 8000, "cache": False}


def _document() -> str:
    # One <speak> per chunk: each fits within max_chars, and neighbours differ in an attribute,
    # so the splitter may neither cut nor join them.
    return "".join(
        f'<speak rate="{1.1 + i % 2 / 10:.1f}">第{i}段 soak chunk {i:03d}</speak>'
        for i in range(CHUNKS)
    )


def _schedule(inputs: list[str]) -> dict[str, list[str]]:
    """Per request input, the faults its first attempts meet: each attempt fails with
    probability FAULT_RATE, at most MAX_RETRIES - 2 in a row (so every chunk succeeds)."""
    rng = random.Random(SEED)
    plan: dict[str, list[str]] = {}
    for text in sorted(inputs):
        faults: list[str] = []
        while len(faults) < MAX_RETRIES - 2 and rng.random() < FAULT_RATE:
            faults.append(rng.choice(KINDS))
        plan[text] = faults
    return plan


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[str]]:
    """The fault-free output and the request inputs it took."""
    out = tmp_path_factory.mktemp("clean") / "out.wav"
    relaxed = {**CLIENT, "timeout": 30.0}  # fault-free: no reply may time out, whatever the load
    with FakeService(KEY) as svc, RenderClient(svc.base_url, KEY, **relaxed) as client:
        render_with(client, _document(), out, **OPTIONS)
        inputs = [r["input"] for r in svc.requests]
    assert len(inputs) == CHUNKS == len(set(inputs))
    return out.read_bytes(), inputs


def _check_schedule(plan: dict[str, list[str]]) -> tuple[int, int]:
    faults = sum(len(f) for f in plan.values())
    attempts = faults + len(plan)
    # The seed gives a schedule that exercises every kind at about the intended rate.
    assert set(Counter(k for f in plan.values() for k in f)) == set(KINDS)
    assert 0.15 <= faults / attempts <= 0.25
    assert any(len(f) >= 2 for f in plan.values())
    return faults, attempts


def _check_service(svc: FakeService, plan: dict[str, list[str]]) -> None:
    # Every chunk met its whole schedule, then succeeded exactly once, and was never
    # requested again (a request after the success would be an extra attempt).
    assert dict(svc.successes) == dict.fromkeys(plan, 1)
    assert dict(svc.attempts) == {text: len(f) + 1 for text, f in plan.items()}
    assert all(not left for left in svc.schedule.values())


def _time_bound(faults: int) -> float:
    # Serial worst case of the stalls, spread over the workers, plus generous slack for the
    # rest (a fault-free run of 300 tiny chunks takes well under 2 s).
    return 15.0 + faults * TIMEOUT / CONCURRENCY


def test_soak_sync_client_is_byte_identical(clean, tmp_path: Path) -> None:
    expected, inputs = clean
    plan = _schedule(inputs)
    faults, _ = _check_schedule(plan)
    out = tmp_path / "out.wav"
    with FakeService(KEY, stall_seconds=STALL, trickle_interval=TRICKLE) as svc:
        svc.schedule = {text: deque(f) for text, f in plan.items()}
        with RenderClient(svc.base_url, KEY, **CLIENT) as client:
            started = time.monotonic()
            report = render_with(client, _document(), out, **OPTIONS)
            elapsed = time.monotonic() - started
        _check_service(svc, plan)
    assert out.read_bytes() == expected
    assert report.chunks == CHUNKS
    assert elapsed < _time_bound(faults)


def test_soak_async_client_is_byte_identical(clean, tmp_path: Path) -> None:
    expected, inputs = clean
    plan = _schedule(inputs)
    faults, _ = _check_schedule(plan)
    out = tmp_path / "out.wav"

    async def run() -> None:
        async with AsyncRenderClient(svc.base_url, KEY, **CLIENT) as client:
            await render_with_async(client, _document(), out, **OPTIONS)

    with FakeService(KEY, stall_seconds=STALL, trickle_interval=TRICKLE) as svc:
        svc.schedule = {text: deque(f) for text, f in plan.items()}
        started = time.monotonic()
        asyncio.run(run())
        elapsed = time.monotonic() - started
        _check_service(svc, plan)
    assert out.read_bytes() == expected
    assert elapsed < _time_bound(faults)


@pytest.mark.parametrize("fault", ["stall", "trickle"])
def test_a_slow_answer_is_abandoned_at_the_timeout(fault: str) -> None:
    """``timeout`` bounds the whole answer, not each read: both clients give up in about that time."""
    from ssmlkit.errors import RenderTimeout
    from ssmlkit.rendering import SpeechParams

    payload = SpeechParams(voice="v", response_format="wav", sample_rate=8000).payload(
        "<speak>slow</speak>"
    )
    options = {**CLIENT, "timeout": 0.5, "max_retries": 0}
    with FakeService(KEY, stall_seconds=STALL, trickle_interval=TRICKLE) as svc:
        svc.faults.extend([fault, fault])
        with RenderClient(svc.base_url, KEY, **options) as client:
            started = time.monotonic()
            with pytest.raises(RenderTimeout):
                client.synthesize(payload)
            assert time.monotonic() - started < 1.5

        async def run() -> None:
            async with AsyncRenderClient(svc.base_url, KEY, **options) as client:
                await client.synthesize(payload)

        started = time.monotonic()
        with pytest.raises(RenderTimeout):
            asyncio.run(run())
        assert time.monotonic() - started < 1.5
        assert not svc.successes

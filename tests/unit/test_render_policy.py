"""The retry policy: pure functions, driven with a fake clock and a fake random source."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.rendering.policy import (
    AdaptiveLimit,
    RetryPolicy,
    backoff_delay,
    is_retryable,
    parse_retry_after,
)


@pytest.mark.parametrize("status", [408, 409, 411, 418, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses(status):
    assert is_retryable(status)


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 413, 422])
def test_final_statuses(status):
    assert not is_retryable(status)


def test_exceptions():
    assert is_retryable(httpx.ConnectError("refused"))
    assert is_retryable(httpx.ReadTimeout("slow"))
    assert is_retryable(httpx.RemoteProtocolError("dropped"))
    assert not is_retryable(ValueError("bug"))


def test_retry_after_forms():
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 7, usegmt=True)
    assert parse_retry_after({"Retry-After": date}, now=now) == pytest.approx(7)
    assert parse_retry_after({"retry-after": " 12 "}, now=now) == 12
    assert parse_retry_after({"Retry-After-Ms": "1500"}, now=now) == 1.5
    assert parse_retry_after({"retry-after-ms": "x", "retry-after": "2"}, now=now) == 2
    assert parse_retry_after({"Retry-After": "-3"}, now=now) is None
    assert parse_retry_after({"Retry-After": "3600"}, now=now) is None
    assert parse_retry_after({"Retry-After": "soon"}, now=now) is None
    assert parse_retry_after({"Retry-After": "nan"}, now=now) is None
    assert parse_retry_after({}, now=now) is None


@given(st.integers(0, 100), st.floats(0, 1, exclude_max=True))
def test_backoff_is_capped_and_jittered_downwards(attempt, r):
    delay = backoff_delay(attempt, base=0.5, cap=8.0, jitter=0.25, random=lambda: r)
    full = min(0.5 * 2**attempt, 8.0)
    assert full * 0.75 <= delay <= full


def test_backoff_grows():
    delays = [backoff_delay(a, random=lambda: 0.0) for a in range(6)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_decide_uses_retry_after_then_backoff_and_gives_up():
    policy = RetryPolicy(max_retries=2, base_delay=1.0, max_delay=10.0)
    first = policy.decide(0, 429, {"Retry-After": "3"}, now=0, random=lambda: 0.0)
    assert (first.retry, first.delay, first.rate_limited) == (True, 3.0, True)
    second = policy.decide(1, 503, {}, now=0, random=lambda: 0.0)
    assert (second.retry, second.delay, second.rate_limited) == (True, 2.0, False)
    assert not policy.decide(2, 503, None, now=0).retry
    assert not policy.decide(0, 400, None, now=0).retry
    assert policy.decide(0, 429, None, now=0).rate_limited


def test_fake_clock_retry_loop_total_wait():
    """A whole retry sequence, run with a fake clock: total wait is what the policy promises."""
    policy = RetryPolicy(max_retries=4, base_delay=0.25, max_delay=1.0, jitter=0.0)
    clock = 0.0
    outcomes = [500, 429, httpx.ConnectError("x"), 200]
    headers = [None, {"retry-after": "2"}, None, None]
    for attempt, (outcome, hdr) in enumerate(zip(outcomes, headers, strict=True)):
        if outcome == 200:
            break
        d = policy.decide(attempt, outcome, hdr, now=clock)
        assert d.retry
        clock += d.delay
    assert clock == pytest.approx(0.25 + 2 + 1.0)


def test_adaptive_limit():
    limit = AdaptiveLimit(8, cooldown=10)
    assert limit.current(now=0) == 8
    limit.rate_limited(now=100)
    assert limit.current(now=100) == 4
    limit.rate_limited(now=101)
    assert limit.current(now=101) == 2
    assert limit.current(now=111) == 3
    assert limit.current(now=200) == 8
    one = AdaptiveLimit(1, cooldown=5)
    one.rate_limited(now=0)
    assert one.current(now=0) == 1

"""Retry policy as pure functions, shared by the sync and the async client.

Usage::

    policy = RetryPolicy(max_retries=5, base_delay=0.5, max_delay=8.0)
    decision = policy.decide(attempt=0, outcome=429, headers={"retry-after": "2"})
    decision.retry, decision.delay             # True, 2.0

Nothing here sleeps, reads a clock or draws a random number on its own: the current time and the
random source are arguments, so the clients inject real ones and the tests fake ones.

What is retried: connection errors and timeouts; HTTP 408, 409, 429 and every 5xx; and 411 and 418,
which the native engine behind the gateway returns for transient failures. A ``retry-after-ms`` or
``Retry-After`` header (seconds or an HTTP date) sets the delay when it is sane (0 to
``max_retry_after`` seconds); otherwise the delay is capped exponential backoff with jitter.
"""

from __future__ import annotations

import contextlib
import email.utils
import math
import random as _random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

__all__ = [
    "RETRYABLE_STATUS",
    "AdaptiveLimit",
    "Decision",
    "RetryPolicy",
    "backoff_delay",
    "is_retryable",
    "parse_retry_after",
]

#: Statuses worth retrying besides every 5xx.
RETRYABLE_STATUS = frozenset({408, 409, 411, 418, 429})


def is_retryable(outcome: int | BaseException) -> bool:
    """Whether a request that ended with HTTP status or exception ``outcome`` may succeed if resent.

    >>> is_retryable(429), is_retryable(503), is_retryable(400), is_retryable(401)
    (True, True, False, False)
    """
    if isinstance(outcome, BaseException):
        return isinstance(outcome, httpx.TransportError | TimeoutError | ConnectionError)
    return outcome in RETRYABLE_STATUS or 500 <= outcome <= 599


def parse_retry_after(
    headers: Mapping[str, str], *, now: float, max_retry_after: float = 60.0
) -> float | None:
    """Seconds to wait according to ``retry-after-ms`` or ``Retry-After``, else ``None``.

    ``now`` is the current Unix time (for the HTTP-date form). Values that are negative, not
    numbers, or above ``max_retry_after`` are ignored (the backoff applies instead).

    >>> parse_retry_after({"Retry-After": "3"}, now=0)
    3.0
    >>> parse_retry_after({"retry-after-ms": "250"}, now=0)
    0.25
    >>> parse_retry_after({"Retry-After": "Thu, 01 Jan 1970 00:00:10 GMT"}, now=4)
    6.0
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    candidates: list[float] = []
    ms = lowered.get("retry-after-ms")
    if ms is not None:
        with contextlib.suppress(ValueError):
            candidates.append(float(ms) / 1000)
    value = lowered.get("retry-after")
    if value is not None and not candidates:
        value = value.strip()
        try:
            candidates.append(float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                when = None
            if when is not None and when.tzinfo is not None:
                candidates.append(when.timestamp() - now)
    for seconds in candidates:
        if math.isfinite(seconds) and 0 <= seconds <= max_retry_after:
            return seconds
    return None


def backoff_delay(
    attempt: int,
    *,
    base: float = 0.5,
    cap: float = 8.0,
    jitter: float = 0.25,
    random: Callable[[], float] = _random.random,
) -> float:
    """Delay before retry number ``attempt + 1``: ``base * 2**attempt``, at most ``cap``, less up to
    ``jitter`` of itself drawn from ``random()`` (a float in [0, 1)).

    >>> backoff_delay(0, random=lambda: 0.0), backoff_delay(3, random=lambda: 0.0)
    (0.5, 4.0)
    >>> backoff_delay(10, random=lambda: 0.0), backoff_delay(10, random=lambda: 1.0)
    (8.0, 6.0)
    """
    delay = min(base * 2 ** min(attempt, 62), cap)
    return float(delay * (1 - jitter * random()))


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do after a failed attempt: retry or not, and after how many seconds."""

    retry: bool
    delay: float = 0.0
    rate_limited: bool = False


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry. ``base_delay``/``max_delay`` are seconds.

    ``decide`` is pure: the same arguments always give the same :class:`Decision`.
    """

    max_retries: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    max_retry_after: float = 60.0

    def decide(
        self,
        attempt: int,
        outcome: int | BaseException,
        headers: Mapping[str, str] | None = None,
        *,
        now: float = 0.0,
        random: Callable[[], float] = _random.random,
    ) -> Decision:
        """The decision after attempt number ``attempt`` (0 for the first) ended in ``outcome``."""
        limited = outcome == 429
        if attempt >= self.max_retries or not is_retryable(outcome):
            return Decision(False, 0.0, limited)
        delay = None
        if headers:
            delay = parse_retry_after(headers, now=now, max_retry_after=self.max_retry_after)
        if delay is None:
            delay = backoff_delay(
                attempt, base=self.base_delay, cap=self.max_delay, jitter=self.jitter, random=random
            )
        return Decision(True, delay, limited)


@dataclass(slots=True)
class AdaptiveLimit:
    """How many requests may be in flight: ``maximum``, halved by each 429 for ``cooldown`` seconds.

    After a cool-down passes without a new 429, the limit grows back by one per cool-down. Pure
    state: times are passed in, so the sync and async limiters share it and tests need no clock.

    >>> limit = AdaptiveLimit(8, cooldown=10)
    >>> limit.rate_limited(now=0); limit.current(now=1)
    4
    >>> limit.current(now=11), limit.current(now=21), limit.current(now=1000)
    (5, 6, 8)
    """

    maximum: int
    cooldown: float = 30.0
    _floor: int = 0
    _since: float = 0.0

    def __post_init__(self) -> None:
        self._floor = self.maximum

    def current(self, *, now: float) -> int:
        """The limit in force at time ``now``."""
        if self._floor >= self.maximum:
            return self.maximum
        recovered = int(max(0.0, now - self._since) // self.cooldown) if self.cooldown > 0 else 99
        return min(self.maximum, self._floor + recovered)

    def rate_limited(self, *, now: float) -> None:
        """Record a 429 at time ``now``: halve the limit in force (never below 1)."""
        self._floor = max(1, self.current(now=now) // 2)
        self._since = now

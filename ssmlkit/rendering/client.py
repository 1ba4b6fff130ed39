"""HTTP clients for ``POST {base_url}/audio/speech``: :class:`RenderClient` and :class:`AsyncRenderClient`.

Usage::

    with RenderClient("https://gateway.example/api/gpt/v1") as client:   # key from SSMLKIT_API_KEY
        audio = client.synthesize(SpeechParams(voice="longanyang").payload("<speak>你好</speak>"))
        path = client.render(doc, "book.mp3", voice="longanyang")

    async with AsyncRenderClient(base_url) as client:
        path = await client.render(doc, "book.mp3", voice="longanyang")

Both share the pure retry policy of :mod:`ssmlkit.rendering.policy` and the adaptive concurrency
limit (a 429 halves the requests in flight for a while); only the waiting differs. The transport is
injectable (``transport=httpx.MockTransport(...)``) for tests and proxies. The API key is sent in the
``Authorization`` header and kept nowhere else: not in exceptions, logs, cache entries or reprs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random as _random
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from ssmlkit.engine import EngineTraits
from ssmlkit.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    RateLimitError,
    RenderError,
    RenderTimeout,
    ServerError,
    TransportError,
)
from ssmlkit.rendering.policy import AdaptiveLimit, RetryPolicy

__all__ = ["AsyncRenderClient", "RenderClient", "status_error"]

log = logging.getLogger(__name__)

_EXCERPT = 2000


def _excerpt(body: bytes, secret: str | None) -> str:
    """The server's message: ``error.message`` of a JSON body, else the text, shortened."""
    text = body[: _EXCERPT * 4].decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        err = data.get("error")
        msg = err.get("message") if isinstance(err, dict) else data.get("message") or err
        if isinstance(msg, str) and msg:
            text = msg
    text = text.strip()[:_EXCERPT]
    if secret:
        text = text.replace(secret, "[redacted]")
    return text


def status_error(status: int, body: bytes, *, secret: str | None = None) -> APIStatusError:
    """The typed exception for an error response (``body`` shortened; headers never kept)."""
    excerpt = _excerpt(body, secret)
    if status in (401, 403):
        return AuthenticationError(
            status,
            excerpt,
            f"HTTP {status}: the API key was refused (missing, wrong, or out of quota): {excerpt}",
        )
    if status == 429:
        return RateLimitError(status, excerpt, f"HTTP 429: rate limited: {excerpt}")
    if status >= 500:
        return ServerError(status, excerpt)
    return BadRequestError(status, excerpt)


def _too_slow(request: httpx.Request) -> httpx.ReadTimeout:
    # httpx's timeouts apply to each read, so a reply trickling in a few bytes at a time would
    # never time out; ``timeout`` is for the whole answer, so the body is cut off at the deadline.
    return httpx.ReadTimeout("the whole answer took longer than the timeout", request=request)


def _transport_error(exc: BaseException) -> TransportError:
    kind = type(exc).__name__
    where = ""
    if isinstance(exc, httpx.RequestError):
        try:  # name the endpoint (never the key: it travels in a header, not the URL)
            where = f" from {exc.request.url.copy_with(query=None, fragment=None)}"
        except RuntimeError:  # no request attached
            where = ""
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return RenderTimeout(f"no answer in time{where} ({kind})")
    return TransportError(f"connection failed{where.replace(' from ', ' to ', 1)} ({kind}: {exc})")


class _Base:
    """What both clients share: settings, policy, request building, response classification."""

    def __init__(
        self,
        base_url: str | None,
        api_key: str | None,
        *,
        timeout: float,
        max_retries: int,
        retry_base_delay: float,
        retry_max_delay: float,
        concurrency: int,
        rate_limit_cooldown: float,
        clock: Callable[[], float],
        random: Callable[[], float],
    ) -> None:
        base_url = base_url or os.environ.get("SSMLKIT_BASE_URL")
        if not base_url:
            raise ConfigError(
                "no endpoint: pass base_url= or set SSMLKIT_BASE_URL",
                key="base_url",
                expected="the service's base URL, ending in /api/gpt/v1",
            )
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(f"base URL {base_url!r} must start with http:// or https://")
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key if api_key is not None else os.environ.get("SSMLKIT_API_KEY")
        self.timeout = timeout
        self.policy = RetryPolicy(
            max_retries=max_retries, base_delay=retry_base_delay, max_delay=retry_max_delay
        )
        self.concurrency = max(1, concurrency)
        self.limit = AdaptiveLimit(self.concurrency, cooldown=rate_limit_cooldown)
        self.clock = clock
        self.random = random
        self.requests_sent = 0
        self.name = f"http {self.base_url}"
        #: The service takes every format; its own limit on requests in flight is the default.
        self.traits = EngineTraits(max_concurrency=self.concurrency)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r})"

    @property
    def url(self) -> str:
        """The full speech URL."""
        return f"{self.base_url}/audio/speech"

    def _headers(self) -> dict[str, str]:
        if not self._api_key:
            raise ConfigError("no API key: pass api_key= or set SSMLKIT_API_KEY", key="api_key")
        return {"Authorization": f"Bearer {self._api_key}", "Accept": "*/*"}

    def _failure(self, status: int, body: bytes) -> APIStatusError:
        return status_error(status, body, secret=self._api_key)


class _SyncSlots:
    """At most ``limit.current()`` callers inside at once; re-checked as the limit recovers."""

    def __init__(self, limit: AdaptiveLimit, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.clock = clock
        self.in_flight = 0
        self.cond = threading.Condition()

    def acquire(self) -> None:
        with self.cond:
            while self.in_flight >= self.limit.current(now=self.clock()):
                self.cond.wait(timeout=0.5)
            self.in_flight += 1

    def release(self) -> None:
        with self.cond:
            self.in_flight -= 1
            self.cond.notify_all()

    def rate_limited(self) -> None:
        with self.cond:
            self.limit.rate_limited(now=self.clock())


class RenderClient(_Base):
    """A synchronous client for the speech endpoint; it is an :class:`~ssmlkit.engine.Engine`.

    ``base_url`` defaults to ``SSMLKIT_BASE_URL`` and ``api_key`` to ``SSMLKIT_API_KEY``. Retries
    follow :class:`~ssmlkit.rendering.policy.RetryPolicy` (``max_retries``, ``retry_base_delay``,
    ``retry_max_delay`` seconds); ``concurrency`` caps requests in flight across threads. ``sleep``,
    ``clock`` and ``random`` are injectable for tests, like ``transport``.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 120.0,
        max_retries: int = 5,
        retry_base_delay: float = 0.5,
        retry_max_delay: float = 8.0,
        concurrency: int = 4,
        rate_limit_cooldown: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        random: Callable[[], float] = _random.random,
    ) -> None:
        super().__init__(
            base_url,
            api_key,
            timeout=timeout,
            max_retries=max_retries,
            retry_base_delay=retry_base_delay,
            retry_max_delay=retry_max_delay,
            concurrency=concurrency,
            rate_limit_cooldown=rate_limit_cooldown,
            clock=clock,
            random=random,
        )
        self.sleep = sleep
        self._slots = _SyncSlots(self.limit, clock)
        self._http = httpx.Client(
            timeout=timeout,
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=self.concurrency * 2),
        )
        self._lock = threading.Lock()

    def __enter__(self) -> RenderClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def synthesize(self, payload: Mapping[str, Any]) -> bytes:
        """Send one request body, retrying per the policy, and return the audio bytes.

        Raises :class:`~ssmlkit.errors.APIStatusError` subclasses for error statuses and
        :class:`~ssmlkit.errors.TransportError` when no answer came, after the retries.
        """
        headers = self._headers()
        attempt = 0
        while True:
            self._slots.acquire()
            outcome: int | BaseException
            error: RenderError
            reply_headers: Mapping[str, str] | None = None
            try:
                with self._lock:
                    self.requests_sent += 1
                deadline = time.monotonic() + self.timeout
                # Streamed and joined here, so the body is owned by us alone: a buffered
                # httpx Response sits in a reference cycle and would keep it until a GC pass.
                with self._http.stream(
                    "POST", self.url, json=dict(payload), headers=headers
                ) as response:
                    status = response.status_code
                    parts = []
                    for part in response.iter_bytes():
                        if time.monotonic() > deadline:
                            raise _too_slow(response.request)
                        parts.append(part)
                    body = b"".join(parts)
                    reply_headers = dict(response.headers)
            except httpx.HTTPError as exc:
                outcome, error = exc, _transport_error(exc)
                error.__cause__ = exc
            else:
                if status == 200:
                    return body
                outcome, error = status, self._failure(status, body)
            finally:
                self._slots.release()
            decision = self.policy.decide(
                attempt, outcome, reply_headers, now=self.clock(), random=self.random
            )
            if decision.rate_limited:
                self._slots.rate_limited()
            if not decision.retry:
                raise error
            log.info(
                "attempt %d failed (%s); retrying in %.2fs", attempt + 1, error, decision.delay
            )
            self.sleep(decision.delay)
            attempt += 1

    def render(
        self, source: Any, output: str | os.PathLike[str] | None = None, **options: Any
    ) -> bytes | Path:
        """Render a document with this client: see :func:`ssmlkit.rendering.render` for ``options``."""
        from ssmlkit.rendering.job import render_with

        report = render_with(self, source, output, **options)
        return report.result


class _AsyncSlots:
    def __init__(self, limit: AdaptiveLimit, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.clock = clock
        self.in_flight = 0
        self.cond = asyncio.Condition()

    async def acquire(self) -> None:
        async with self.cond:
            while self.in_flight >= self.limit.current(now=self.clock()):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.cond.wait(), timeout=0.5)
            self.in_flight += 1

    async def release(self) -> None:
        async with self.cond:
            self.in_flight -= 1
            self.cond.notify_all()


class AsyncRenderClient(_Base):
    """The asyncio form of :class:`RenderClient` (same arguments; ``sleep`` is a coroutine function)."""

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 120.0,
        max_retries: int = 5,
        retry_base_delay: float = 0.5,
        retry_max_delay: float = 8.0,
        concurrency: int = 4,
        rate_limit_cooldown: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        random: Callable[[], float] = _random.random,
    ) -> None:
        super().__init__(
            base_url,
            api_key,
            timeout=timeout,
            max_retries=max_retries,
            retry_base_delay=retry_base_delay,
            retry_max_delay=retry_max_delay,
            concurrency=concurrency,
            rate_limit_cooldown=rate_limit_cooldown,
            clock=clock,
            random=random,
        )
        self.sleep = sleep
        self._slots: _AsyncSlots | None = None
        self._http = httpx.AsyncClient(
            timeout=timeout,
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=self.concurrency * 2),
        )

    async def __aenter__(self) -> AsyncRenderClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def synthesize(self, payload: Mapping[str, Any]) -> bytes:
        """Send one request body, retrying per the policy, and return the audio bytes."""
        headers = self._headers()
        if self._slots is None:  # created lazily: it must belong to the running loop
            self._slots = _AsyncSlots(self.limit, self.clock)
        slots = self._slots
        attempt = 0
        while True:
            await slots.acquire()
            outcome: int | BaseException
            error: RenderError
            reply_headers: Mapping[str, str] | None = None
            try:
                self.requests_sent += 1
                deadline = time.monotonic() + self.timeout
                async with self._http.stream(
                    "POST", self.url, json=dict(payload), headers=headers
                ) as response:
                    status = response.status_code
                    parts = []
                    async for part in response.aiter_bytes():
                        if time.monotonic() > deadline:
                            raise _too_slow(response.request)
                        parts.append(part)
                    body = b"".join(parts)
                    reply_headers = dict(response.headers)
            except httpx.HTTPError as exc:
                outcome, error = exc, _transport_error(exc)
                error.__cause__ = exc
            else:
                if status == 200:
                    return body
                outcome, error = status, self._failure(status, body)
            finally:
                await slots.release()
            decision = self.policy.decide(
                attempt, outcome, reply_headers, now=self.clock(), random=self.random
            )
            if decision.rate_limited:
                self.limit.rate_limited(now=self.clock())
            if not decision.retry:
                raise error
            log.info(
                "attempt %d failed (%s); retrying in %.2fs", attempt + 1, error, decision.delay
            )
            await self.sleep(decision.delay)
            attempt += 1

    async def render(
        self, source: Any, output: str | os.PathLike[str] | None = None, **options: Any
    ) -> bytes | Path:
        """Render a document with this client: see :func:`ssmlkit.rendering.render` for ``options``."""
        from ssmlkit.rendering.job import render_with_async

        report = await render_with_async(self, source, output, **options)
        return report.result

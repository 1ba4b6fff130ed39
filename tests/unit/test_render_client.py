"""The HTTP clients with an injected httpx transport: retries, errors, secrets."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ssmlkit.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigError,
    RateLimitError,
    RenderTimeout,
    ServerError,
)
from ssmlkit.rendering import AsyncRenderClient, RenderClient
from ssmlkit.rendering.client import status_error

KEY = "sk-unit-secret"
BODY = {"model": "m", "voice": "v", "input": "<speak>x</speak>", "enable_ssml": True}


def _script(*replies):
    seen = []
    items = list(replies)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = items.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return handler, seen


def _client(handler, sleeps, **kw):
    return RenderClient(
        "http://127.0.0.1:9/api/gpt/v1",
        KEY,
        transport=httpx.MockTransport(handler),
        sleep=sleeps.append,
        random=lambda: 0.0,
        retry_base_delay=0.1,
        **kw,
    )


def test_success_after_retries_with_fake_sleep():
    handler, seen = _script(
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(503),
        httpx.ConnectError("refused"),
        httpx.Response(200, content=b"AUDIO"),
    )
    sleeps: list[float] = []
    with _client(handler, sleeps) as client:
        assert client.synthesize(BODY) == b"AUDIO"
        assert client.limit.current(now=client.clock()) < client.concurrency
    assert sleeps == [2.0, 0.2, 0.4]
    assert len(seen) == 4
    request = seen[0]
    assert request.url.path == "/api/gpt/v1/audio/speech"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.read() == httpx.Request("POST", "http://x", json=BODY).read()


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, BadRequestError),
    ],
)
def test_final_errors_are_not_retried(status, kind):
    handler, seen = _script(httpx.Response(status, json={"error": {"message": f"nope {KEY}"}}))
    with _client(handler, []) as client, pytest.raises(kind) as info:
        client.synthesize(BODY)
    assert len(seen) == 1
    assert info.value.status_code == status
    assert "nope" in str(info.value)
    assert KEY not in str(info.value)
    assert KEY not in info.value.body


def test_retries_run_out():
    handler, seen = _script(*[httpx.Response(500, text="boom")] * 3)
    sleeps: list[float] = []
    with (
        _client(handler, sleeps, max_retries=2) as client,
        pytest.raises(ServerError, match="boom"),
    ):
        client.synthesize(BODY)
    assert len(seen) == 3
    assert len(sleeps) == 2


def test_timeout_becomes_render_timeout():
    handler, _ = _script(*[httpx.ReadTimeout("slow")] * 2)
    with _client(handler, [], max_retries=1) as client, pytest.raises(RenderTimeout) as info:
        client.synthesize(BODY)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


def test_status_error_shapes():
    assert isinstance(status_error(429, b"slow down"), RateLimitError)
    assert "key was refused" in str(status_error(401, b""))
    long = status_error(400, b"x" * 10_000)
    assert len(long.body) == 2000
    assert status_error(400, b'{"error": {"message": "bad voice"}}').body == "bad voice"
    assert status_error(502, b"<html>gateway</html>").body == "<html>gateway</html>"


def test_missing_settings(monkeypatch):
    with pytest.raises(ConfigError, match="SSMLKIT_BASE_URL"):
        RenderClient()
    with pytest.raises(ConfigError, match="http"):
        RenderClient("ftp://x")
    client = RenderClient(
        "http://127.0.0.1:9/v1", transport=httpx.MockTransport(lambda r: httpx.Response(200))
    )
    with client, pytest.raises(ConfigError, match="SSMLKIT_API_KEY"):
        client.synthesize(BODY)
    assert "sk-" not in repr(client)


def test_async_client_retries():
    handler, seen = _script(httpx.Response(429), httpx.Response(200, content=b"OK"))
    sleeps: list[float] = []

    async def fake_sleep(d: float) -> None:
        sleeps.append(d)

    async def main() -> bytes:
        async with AsyncRenderClient(
            "http://127.0.0.1:9/v1",
            KEY,
            transport=httpx.MockTransport(handler),
            sleep=fake_sleep,
            random=lambda: 0.0,
            retry_base_delay=0.1,
        ) as client:
            return await client.synthesize(BODY)

    assert asyncio.run(main()) == b"OK"
    assert sleeps == [0.1]
    assert len(seen) == 2

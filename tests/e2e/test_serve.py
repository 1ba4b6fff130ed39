"""``ssmlkit serve`` driven by clients nobody here wrote: the official ``openai`` package and httpx."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from ssmlkit.serve import SpeechServer, make_server

openai = pytest.importorskip("openai")

SSML = '<speak voice="longanyang">你好<break time="500ms"/>hello</speak>'


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[SpeechServer, list[str]]]:
    lines: list[str] = []
    srv = make_server("127.0.0.1", 0, log=lines.append)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv, lines
    srv.shutdown()
    srv.server_close()


def client(srv: SpeechServer) -> Any:
    return openai.OpenAI(base_url=srv.base_url, api_key="sk-test-secret-123", max_retries=0)


def read_wav(data: bytes) -> tuple[int, float]:
    with wave.open(io.BytesIO(data)) as w:
        return w.getframerate(), w.getnframes() / w.getframerate()


def test_openai_client_gets_wav_audio(server: tuple[SpeechServer, list[str]]) -> None:
    srv, lines = server
    response = client(srv).audio.speech.create(
        model="tongyi/cosyvoice-v3-flash",
        voice="longanyang",
        input=SSML,
        response_format="wav",
        extra_body={"enable_ssml": True, "sample_rate": 24000},
    )
    rate, seconds = read_wav(response.read())
    assert rate == 24000
    assert seconds > 0.8
    assert any("POST /v1/audio/speech 200" in line for line in lines)
    assert not any("sk-test-secret-123" in line for line in lines)


def test_openai_client_sees_bad_ssml_as_a_400(server: tuple[SpeechServer, list[str]]) -> None:
    srv, _ = server
    with pytest.raises(openai.BadRequestError) as err:
        client(srv).audio.speech.create(
            model="tongyi/cosyvoice-v3-flash",
            voice="longanyang",
            input="<speak><prosody rate='fast'>hi</prosody></speak>",
            response_format="wav",
            extra_body={"enable_ssml": True},
        )
    assert err.value.status_code == 400
    assert "SSML text is not supported" in str(err.value)


def post(srv: SpeechServer, body: object, path: str = "/v1/audio/speech") -> httpx.Response:
    base = srv.base_url.removesuffix("/v1")
    return httpx.post(f"{base}{path}", json=body, timeout=30)


def good(**over: object) -> dict[str, object]:
    body: dict[str, object] = {
        "model": "tongyi/cosyvoice-v3-flash",
        "voice": "longanyang",
        "input": SSML,
        "enable_ssml": True,
        "response_format": "wav",
    }
    body.update(over)
    return body


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (good(stream=True), "stream"),
        (good(sample_rate=11025), "sample_rate"),
        (good(speed=3), "speed"),
        (good(volume=101), "volume"),
        (good(response_format="flac"), "response_format"),
        ({"model": "m", "input": "hi"}, "voice"),
        (good(input=""), "input"),
        ([1, 2], "JSON object"),
        (good(input="<speak>" + "字" * 10001 + "</speak>"), "20,000"),
        (good(enable_ssml=False, input="a" * 20001), "20,000"),
        (good(input="<speak>unclosed"), "SSML text is not supported"),
    ],
)
def test_bad_requests_get_openai_style_400s(
    server: tuple[SpeechServer, list[str]], body: object, words: str
) -> None:
    srv, _ = server
    response = post(srv, body)
    assert response.status_code == 400
    assert words in response.json()["error"]["message"]


def test_opus_is_ogg_and_an_unknown_format_a_400_naming_the_formats(
    server: tuple[SpeechServer, list[str]],
) -> None:
    srv, _ = server
    response = post(srv, good(response_format="opus"))  # the [offline] extra encodes Opus
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/ogg"
    assert response.content[:4] == b"OggS"
    assert b"OpusHead" in response.content[:200]
    response = post(srv, good(response_format="flac"))
    assert response.status_code == 400
    assert "wav" in response.json()["error"]["message"]


def test_any_base_path_ending_in_v1(server: tuple[SpeechServer, list[str]]) -> None:
    srv, _ = server
    assert post(srv, good(), "/api/gpt/v1/audio/speech").status_code == 200
    assert post(srv, good(), "/audio/speech").status_code == 200
    assert post(srv, good(), "/v2/audio/speech").status_code == 404


def test_formats_and_content_types(server: tuple[SpeechServer, list[str]]) -> None:
    srv, _ = server
    mp3 = post(srv, good(response_format="mp3", input="<speak>hi</speak>"))
    assert mp3.headers["content-type"] == "audio/mpeg"
    assert mp3.content[:1] == b"\xff" or mp3.content[:3] == b"ID3"
    pcm = post(srv, good(response_format="pcm", sample_rate=8000, input="<speak>hi</speak>"))
    assert pcm.status_code == 200
    assert pcm.content[:4] != b"RIFF"


def test_plain_text_when_ssml_is_off(server: tuple[SpeechServer, list[str]]) -> None:
    srv, _ = server
    response = post(srv, good(enable_ssml=False, input="<speak> is read aloud, 1 < 2"))
    assert response.status_code == 200
    assert read_wav(response.content)[1] > 1


def test_concurrent_requests_all_succeed(server: tuple[SpeechServer, list[str]]) -> None:
    srv, _ = server
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda i: post(srv, good(input=f"<speak>{i}</speak>")), range(6)))
    assert [r.status_code for r in codes] == [200] * 6


def test_wrong_method_path_and_content_type(server: tuple[SpeechServer, list[str]]) -> None:
    srv, _ = server
    base = srv.base_url.removesuffix("/v1")
    assert httpx.get(f"{base}/v1/audio/speech").status_code == 405
    assert httpx.get(f"{base}/health").json() == {"status": "ok"}
    form = httpx.post(f"{base}/v1/audio/speech", content=json.dumps(good()))
    assert form.status_code == 415


def test_cli_serve_starts_on_loopback_and_stops_cleanly_on_ctrl_c() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [sys.executable, "-m", "ssmlkit", "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as proc:
        try:
            assert proc.stderr is not None
            seen = []
            url = None
            for line in proc.stderr:
                seen.append(line)
                m = re.search(r"(http://127\.0\.0\.1:\d+/v1)", line)
                if m:
                    url = m.group(1)
                    break
            assert url, seen
            assert any("not CosyVoice" in line for line in seen)
            response = httpx.post(
                f"{url}/audio/speech",
                json=good(),
                headers={"Authorization": "Bearer sk-do-not-log"},
                timeout=30,
            )
            assert response.status_code == 200
            proc.send_signal(signal.SIGINT)
            rest = proc.stderr.read()
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    log = "".join(seen) + rest
    assert "POST /v1/audio/speech 200" in log
    assert "stopped" in log
    assert "sk-do-not-log" not in log
    assert "Traceback" not in log


def test_the_engine_comes_from_the_registry_by_name_or_object() -> None:
    from ssmlkit.errors import ConfigError
    from ssmlkit.offline import OfflineEngine

    with pytest.raises(ConfigError, match="engine"):
        make_server("127.0.0.1", 0, engine="cosyvoice")
    engine = OfflineEngine()
    srv = make_server("127.0.0.1", 0, engine=engine)
    try:
        assert srv.engine is engine
    finally:
        srv.server_close()
    named = make_server("127.0.0.1", 0, engine="offline")
    try:
        assert isinstance(named.engine, OfflineEngine)
    finally:
        named.server_close()

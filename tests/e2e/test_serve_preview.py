"""``ssmlkit serve``: the preview page's endpoints and the guards that keep it safe on a laptop."""

from __future__ import annotations

import http.client
import io
import json
import re
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from ssmlkit.serve import MAX_BODY_BYTES, SpeechServer, make_server

SPEECH = {
    "model": "tongyi/cosyvoice-v3-flash",
    "voice": "longanyang",
    "input": '<speak voice="longanyang">第一句话。<break time="2s"/>Second sentence.</speak>',
    "enable_ssml": True,
    "response_format": "wav",
}


@pytest.fixture(scope="module")
def server() -> Iterator[SpeechServer]:
    srv = make_server("127.0.0.1", 0, log=lambda _line: None)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def root(srv: SpeechServer) -> str:
    return srv.base_url.removesuffix("/v1")


def raw_get(srv: SpeechServer, path: str, host: str | None = None) -> tuple[int, bytes]:
    """A GET sent exactly as written (no client-side path normalisation)."""
    addr, port = srv.server_address[:2]
    conn = http.client.HTTPConnection(str(addr), port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host or f"127.0.0.1:{port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_models_lists_what_speech_accepts(server: SpeechServer) -> None:
    data = httpx.get(server.base_url + "/models").json()
    ids = [m["id"] for m in data["data"]]
    assert data["object"] == "list"
    assert "tongyi/cosyvoice-v3-flash" in ids
    for model in ids:
        body = {**SPEECH, "model": model, "input": "<speak>好</speak>"}
        assert (
            httpx.post(server.base_url + "/audio/speech", json=body, timeout=60).status_code == 200
        )


@pytest.mark.parametrize(
    ("field", "value"), [("model", "tts-1"), ("model", "gpt-4o-mini-tts"), ("voice", "alloy")]
)
def test_openai_model_or_voice_is_a_clear_400(server: SpeechServer, field: str, value: str) -> None:
    response = httpx.post(server.base_url + "/audio/speech", json={**SPEECH, field: value})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert f"{field}: {value!r}" in message
    assert "longanyang" in message if field == "voice" else "tongyi/cosyvoice-v3-flash" in message


@pytest.mark.parametrize(
    "host", ["evil.example.com", "evil.example.com:80", "10.0.0.1", "127.0.0.1.nip.io"]
)
def test_a_foreign_host_gets_403(server: SpeechServer, host: str) -> None:
    status, body = raw_get(server, "/", host=host)
    assert status == 403
    assert b"not this machine" in body
    response = httpx.post(
        server.base_url + "/lint", json={"input": "<speak/>"}, headers={"Host": host}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "127.0.0.2"])
def test_loopback_hosts_are_answered(server: SpeechServer, host: str) -> None:
    port = server.server_address[1]
    status, body = raw_get(server, "/", host=f"{host}:{port}")
    assert status == 200
    assert b"<textarea" in body


def test_cross_origin_post_gets_403_and_same_origin_passes(server: SpeechServer) -> None:
    url = server.base_url + "/lint"
    evil = httpx.post(
        url, json={"input": "<speak/>"}, headers={"Origin": "http://evil.example.com"}
    )
    assert evil.status_code == 403
    assert "cross-origin" in evil.json()["error"]["message"]
    null = httpx.post(url, json={"input": "<speak/>"}, headers={"Origin": "null"})
    assert null.status_code == 403
    own = httpx.post(url, json={"input": "<speak/>"}, headers={"Origin": root(server)})
    assert own.status_code == 200


def test_an_oversized_body_is_refused_before_it_is_read(server: SpeechServer) -> None:
    addr, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(addr), port, timeout=10)
    conn.putrequest("POST", "/v1/lint")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
    conn.endheaders()  # no body is sent at all: the answer must not wait for it
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


@pytest.mark.parametrize(
    "path",
    [
        "/static/../serve.py",
        "/static/%2e%2e/serve.py",
        "/static/..%2fserve.py",
        "//etc/passwd",
        "/../../../../etc/passwd",
        "/static/",
        "/static/app.js/",
        "/static/App.js",
        "/preview/app.js",
        "/static/%61pp.js",
    ],
)
def test_nothing_outside_the_static_folder_is_served(server: SpeechServer, path: str) -> None:
    status, body = raw_get(server, path)
    assert status == 404, (path, body[:80])


def test_the_page_and_its_files_need_no_network(server: SpeechServer) -> None:
    page = httpx.get(root(server) + "/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "style.css"):
        res = httpx.get(f"{root(server)}/static/{name}")
        assert res.status_code == 200
        assert "http://" not in res.text
        assert "https://" not in res.text
    assert "https://" not in page.text


def test_lint_answers_what_the_cli_prints(server: SpeechServer) -> None:
    doc = '<speak voice="longanyang">\n你好<break time="fast"/>\n</speak>'
    got = httpx.post(server.base_url + "/lint", json={"input": doc}).json()
    cli = subprocess.run(
        [sys.executable, "-m", "ssmlkit", "lint", "--isolated", "--format", "json", "-"],
        input=doc,
        capture_output=True,
        text=True,
        timeout=60,
    )
    expected = json.loads(cli.stdout)
    assert got["files"][0]["diagnostics"] == expected["files"][0]["diagnostics"]
    assert got["files"][0]["diagnostics"][0]["line"] == 2
    assert got["summary"] == expected["summary"]
    bad = httpx.post(server.base_url + "/lint", json={"text": doc})
    assert bad.status_code == 400
    assert "input" in bad.json()["error"]["message"]


def test_chunks_answers_what_split_prints(server: SpeechServer) -> None:
    doc = "<speak>\n" + "\n".join(f"第{i}句话。" for i in range(10)) + "\n</speak>"
    got = httpx.post(server.base_url + "/chunks", json={"input": doc, "max_chars": 30}).json()
    cli = subprocess.run(
        [sys.executable, "-m", "ssmlkit", "split", "-", "--max-chars", "30", "--format", "json"],
        input=doc,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert got["chunks"] == json.loads(cli.stdout)["chunks"]
    broken = httpx.post(server.base_url + "/chunks", json={"input": "<speak>", "max_chars": 30})
    assert broken.status_code == 400


def test_speech_names_a_timeline_that_matches_its_audio(server: SpeechServer) -> None:
    response = httpx.post(server.base_url + "/audio/speech", json=SPEECH, timeout=60)
    assert response.status_code == 200
    where = response.headers["x-ssmlkit-timeline"]
    timeline = httpx.get(root(server) + where).json()
    with wave.open(io.BytesIO(response.content)) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    assert abs(timeline["duration"] - len(samples) / rate) < 0.05
    (brk,) = timeline["breaks"]
    # the 2 s break is silent in the audio, and sound comes right after it
    inside = samples[int((brk["start"] + 0.05) * rate) : int((brk["end"] - 0.05) * rate)]
    assert np.abs(inside.astype(np.int32)).max() < 300
    after = samples[int(brk["end"] * rate) : int((brk["end"] + 0.3) * rate)]
    assert np.abs(after.astype(np.int32)).max() > 1000
    assert [s["estimated"] for s in timeline["segments"]] == [False, False]
    assert httpx.get(root(server) + "/v1/timelines/nope").status_code == 404


def test_cli_serve_lints_the_page_with_the_project_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ssmlkit]\nignore = ["BR001"]\n')
    doc = '<speak>你好<break time="fast"/></speak>'
    with subprocess.Popen(
        [sys.executable, "-m", "ssmlkit", "serve", "--port", "0"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    ) as proc:
        try:
            assert proc.stderr is not None
            url = None
            for line in proc.stderr:
                m = re.search(r"preview page: (http://127\.0\.0\.1:\d+)/", line)
                if m:
                    url = m.group(1)
                    break
            assert url
            page = httpx.get(url + "/")
            assert page.status_code == 200
            found = httpx.post(url + "/v1/lint", json={"input": doc}).json()
            assert "BR001" not in [d["code"] for d in found["files"][0]["diagnostics"]]
            # the speech endpoint still refuses what the service would refuse
            speech = httpx.post(
                url + "/v1/audio/speech",
                json={**SPEECH, "input": doc},
                timeout=30,
            )
            assert speech.status_code == 400
            assert "BR001" in speech.json()["error"]["message"]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    (tmp_path / "pyproject.toml").write_text('[tool.ssmlkit]\nignroe = ["BR001"]\n')
    bad = subprocess.run(
        [sys.executable, "-m", "ssmlkit", "serve", "--port", "0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert bad.returncode == 1
    assert "ignroe" in bad.stderr
    assert "Traceback" not in bad.stderr

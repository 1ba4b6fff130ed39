"""Things a new user gets wrong on purpose: each ends with a clear one-line message, never a traceback."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELLO = ROOT / "examples" / "hello.ssml"
SSMLKIT = str(Path(sys.executable).parent / "ssmlkit")


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SSMLKIT_")}
    base["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return subprocess.run(
        [SSMLKIT, *args],
        cwd=tmp_path,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


def test_output_that_is_a_directory(tmp_path):
    done = _run(["render", str(HELLO), "-o", str(tmp_path)], tmp_path)
    assert done.returncode == 1
    _no_traceback(done)
    assert "is a directory" in done.stderr
    assert not list(tmp_path.parent.glob(".tmp.*.part"))


def test_offline_summary_does_not_claim_a_bill(tmp_path):
    done = _run(["render", str(HELLO), "-o", str(tmp_path / "a.wav")], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "not CosyVoice" in done.stderr
    assert "characters billed" not in done.stderr
    assert "billed only by the service" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["render", "missing.ssml", "-o", "out.wav"],
        ["lint", "missing.ssml"],
        ["split", "missing.ssml"],
    ],
)
def test_missing_file(tmp_path, args):
    done = _run(args, tmp_path)
    assert done.returncode in (1, 2)
    _no_traceback(done)
    assert "missing.ssml" in done.stderr
    assert "no such file" in done.stderr.lower()


@pytest.mark.parametrize("command", ["render", "split"])
def test_a_directory_instead_of_a_file(tmp_path, command):
    args = [command, str(ROOT / "examples")] + (["-o", "out.wav"] if command == "render" else [])
    done = _run(args, tmp_path)
    assert done.returncode in (1, 2)
    _no_traceback(done)
    assert "directory" in done.stderr


def test_bad_ssml_is_reported_and_nothing_is_sent(tmp_path):
    bad = tmp_path / "bad.ssml"
    bad.write_text('<speak rate="3">Tom & Jerry<break time="20s"/></speak>', encoding="utf-8")
    done = _run(["render", str(bad), "-o", "out.wav"], tmp_path)
    assert done.returncode == 1
    _no_traceback(done)
    for code in ("VA001", "XM002", "BR002"):
        assert code in done.stderr
    assert "nothing was sent" in done.stderr
    assert not (tmp_path / "out.wav").exists()


class _Refuse(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"error": {"message": "Incorrect API key provided."}}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_wrong_key(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        done = _run(
            ["render", str(HELLO), "-o", "out.mp3"],
            tmp_path,
            SSMLKIT_API_KEY="sk-wrong-key-123",
            SSMLKIT_BASE_URL=url,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 1
    _no_traceback(done)
    assert "401" in done.stderr
    assert "API key" in done.stderr
    assert "sk-wrong-key-123" not in done.stdout + done.stderr


def test_no_network(tmp_path):
    with socket.socket() as s:  # a port nobody listens on: bound, never listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        done = _run(
            ["render", str(HELLO), "-o", "out.mp3", "--max-retries", "1"],
            tmp_path,
            SSMLKIT_API_KEY="k",
            SSMLKIT_BASE_URL=f"http://127.0.0.1:{port}/v1",
        )
    assert done.returncode == 1
    _no_traceback(done)
    assert "connection" in done.stderr.lower()
    assert "rerun" in done.stderr


def test_undecodable_input_is_not_also_reported_empty() -> None:
    from ssmlkit.linter.engine import lint

    codes = [d.code for d in lint(b"<speak>caf\xe9</speak>")]
    assert codes == ["XM006"]

"""A local stand-in for the speech endpoint, for tests and the benchmark.

Usage::

    with FakeService(api_key="sk-test") as svc:
        svc.faults.extend(["429", "500", "drop"])          # the next three requests fail so
        client = RenderClient(svc.base_url, "sk-test")
        ...
        svc.requests                                       # every request body received

It listens on 127.0.0.1 (port 0, so the OS picks a free one) and validates each request like the
real service (speech-api.md): path, bearer key, JSON fields, types and ranges, ``enable_ssml``,
no ``stream``, well-formed SSML within 20,000 counted characters. A valid request gets real audio:
a WAV (stdlib ``wave``) or raw PCM tone whose length depends on the input; MP3 when ``lameenc`` is
installed. Faults, consumed one per request: ``"429"`` (with ``Retry-After: 0``), ``"429-bare"``
(no header), ``"500"``, ``"503"``, ``"drop"`` (close the connection without answering),
``"slow"`` (wait ``slow_seconds`` first, then answer), ``"stall"`` (wait ``stall_seconds``, longer
than the client's timeout, then close without answering), ``"trickle"`` (answer 200, but send the
body one byte per ``trickle_interval`` seconds: no single read waits long, the whole takes minutes),
``"400"`` (a JSON error message). A
``fail_when`` predicate on the body makes matching requests fail with 400 every time.

Per-chunk fault schedules: ``svc.schedule[input_text] = ["503", "stall"]`` makes the next requests
whose ``input`` is ``input_text`` fail so, in order (the global ``faults`` queue is consumed first),
whatever order concurrent requests arrive in. ``svc.attempts`` and ``svc.successes`` count, per
``input``, the requests received and the 200 answers written in full.
"""

from __future__ import annotations

import array
import io
import json
import math
import threading
import time
import wave
import xml.etree.ElementTree as ET
from collections import Counter, deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_FIELDS: dict[str, Any] = {
    "model": str,
    "voice": str,
    "input": str,
    "enable_ssml": bool,
    "response_format": str,
    "sample_rate": int,
    "bit_rate": int,
    "seed": int,
    "volume": int,
    "pitch": (int, float),
    "speed": (int, float),
    "stream": bool,
}


def _counted(text: str) -> int:
    total = 0
    for ch in text:
        code = ord(ch)
        total += (
            2
            if 0x3400 <= code <= 0x9FFF or 0x20000 <= code <= 0x323AF or 0xF900 <= code <= 0xFAFF
            else 1
        )
    return total


def validate(body: Any) -> str | None:
    """What the real service would object to in ``body``, or ``None``."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    for name in body:
        if name not in _FIELDS:
            return f"unknown field {name}"
    for name in ("model", "voice", "input"):
        if name not in body:
            return f"missing field {name}"
    for name, value in body.items():
        kind = _FIELDS[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"field {name} has the wrong type"
    if body.get("stream"):
        return "streaming is not supported"
    if body.get("response_format", "mp3") not in ("mp3", "wav", "pcm", "opus"):
        return "bad response_format"
    if body.get("sample_rate", 22050) not in (8000, 16000, 22050, 24000, 44100, 48000):
        return "bad sample_rate"
    for name, lo, hi in (
        ("bit_rate", 6, 510),
        ("seed", 0, 65535),
        ("volume", 0, 100),
        ("pitch", 0.5, 2.0),
        ("speed", 0.5, 2.0),
    ):
        if name in body and not lo <= body[name] <= hi:
            return f"{name} out of range"
    text = body["input"]
    if body.get("enable_ssml"):
        try:
            root = ET.fromstring(f"<root>{text}</root>")
        except ET.ParseError as exc:
            return f"SSML text is not supported at the moment! ({exc})"
        if not any(child.tag == "speak" for child in root):
            return "SSML text is not supported at the moment!"
        spoken = "".join(root.itertext())
    else:
        spoken = text
    if _counted(spoken) > 20000:
        return "input too long"
    return None


def tone(body: dict[str, Any]) -> tuple[bytes, int]:
    """(16-bit mono samples, rate): 5 ms of a tone per character of input, pitch from its hash."""
    rate = body.get("sample_rate", 22050)
    frames = rate * 5 * max(1, len(body["input"])) // 1000
    freq = 200 + sum(body["input"].encode()) % 600
    samples = array.array(
        "h", (int(6000 * math.sin(2 * math.pi * freq * i / rate)) for i in range(frames))
    )
    return samples.tobytes(), rate


def audio_for(body: dict[str, Any]) -> bytes:
    """The audio the fake service answers ``body`` with."""
    pcm, rate = tone(body)
    fmt = body.get("response_format", "mp3")
    if fmt == "pcm":
        return pcm
    if fmt == "mp3":
        import lameenc

        enc = lameenc.Encoder()
        enc.set_bit_rate(64)
        enc.set_in_sample_rate(rate)
        enc.set_channels(1)
        enc.set_quality(7)
        return bytes(enc.encode(pcm) + enc.flush())
    if fmt == "opus":
        from tests.audio_samples import make_opus

        return make_opus(max(1, len(pcm) // 2 * 48000 // rate // 960), fill=len(body["input"]))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return buf.getvalue()


class FakeService:
    """The server (see the module docstring). ``latency`` delays every answer (for benchmarks)."""

    def __init__(
        self,
        api_key: str = "sk-test-key",
        *,
        latency: float = 0.0,
        slow_seconds: float = 0.5,
        stall_seconds: float = 5.0,
        trickle_interval: float = 0.2,
        audio: Callable[[dict[str, Any]], bytes] | None = None,
    ) -> None:
        self.api_key = api_key
        self.audio = audio or audio_for
        self.latency = latency
        self.slow_seconds = slow_seconds
        self.stall_seconds = stall_seconds
        self.trickle_interval = trickle_interval
        self.schedule: dict[str, deque[str]] = {}
        self.attempts: Counter[str] = Counter()
        self.successes: Counter[str] = Counter()
        self.faults: deque[str] = deque()
        self.fail_when: Callable[[dict[str, Any]], bool] | None = None
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/api/gpt/v1``."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/gpt/v1"

    def __enter__(self) -> FakeService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else delayed ACKs add ~40 ms per reply

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(
                self,
                status: int,
                body: bytes,
                headers: dict[str, str] | None = None,
                ctype: str = "application/json",
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _error(
                self, status: int, message: str, headers: dict[str, str] | None = None
            ) -> None:
                self._send(
                    status,
                    json.dumps({"error": {"message": message, "code": status}}).encode(),
                    headers,
                )

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                with service.lock:
                    service.in_flight += 1
                    service.peak_in_flight = max(service.peak_in_flight, service.in_flight)
                try:
                    self._handle(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer
                finally:
                    with service.lock:
                        service.in_flight -= 1

            def _handle(self, raw: bytes) -> None:
                if not self.path.endswith("/api/gpt/v1/audio/speech"):
                    self._error(404, f"no route {self.path}")
                    return
                if self.headers.get("Authorization") != f"Bearer {service.api_key}":
                    self._error(401, "invalid api key")
                    return
                try:
                    body = json.loads(raw)
                except ValueError:
                    self._error(400, "body is not JSON")
                    return
                text = body.get("input") if isinstance(body, dict) else None
                key = text if isinstance(text, str) else ""
                with service.lock:
                    service.requests.append(body)
                    service.attempts[key] += 1
                    fault = service.faults.popleft() if service.faults else None
                    planned = service.schedule.get(key)
                    if fault is None and planned:
                        fault = planned.popleft()
                if service.latency:
                    time.sleep(service.latency)
                if fault == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault == "stall":
                    time.sleep(service.stall_seconds)
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault == "trickle":
                    data = service.audio(body)
                    self.send_response(200)
                    self.send_header("Content-Type", "audio/" + body.get("response_format", "mp3"))
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    for i in range(len(data)):
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                        time.sleep(service.trickle_interval)
                    with service.lock:  # reached only by a client that waited it out
                        service.successes[key] += 1
                    return
                if fault == "slow":
                    time.sleep(service.slow_seconds)
                elif fault == "429":
                    self._error(429, "rate limited", {"Retry-After": "0"})
                    return
                elif fault == "429-bare":
                    self._error(429, "rate limited")
                    return
                elif fault in ("500", "503"):
                    self._error(int(fault), "internal error")
                    return
                elif fault == "400":
                    self._error(400, "SSML text is not supported at the moment!")
                    return
                problem = validate(body)
                if problem is None and service.fail_when is not None and service.fail_when(body):
                    problem = "SSML text is not supported at the moment!"
                if problem is not None:
                    self._error(400, problem)
                    return
                self._send(
                    200, service.audio(body), ctype="audio/" + body.get("response_format", "mp3")
                )
                self.wfile.flush()
                with service.lock:
                    service.successes[key] += 1

        return Handler

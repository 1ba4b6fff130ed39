"""A local stand-in for the speech endpoint: ``POST /v1/audio/speech`` answered by the offline engine.

Usage::

    server = make_server("127.0.0.1", 0)        # port 0: any free port
    print(server.base_url)                      # http://127.0.0.1:54321/v1
    server.serve_forever()                      # in a thread, or `ssmlkit serve`

    # then any OpenAI client:
    client = openai.OpenAI(base_url=server.base_url, api_key="unused")
    client.audio.speech.create(model="tongyi/cosyvoice-v3-flash", voice="longanyang",
                               input="<speak>你好</speak>", response_format="wav",
                               extra_body={"enable_ssml": True})

The request body and its validation follow the real endpoint (``speech-api.md``): ``model``,
``voice`` and ``input`` are required; ``response_format``, ``sample_rate``, ``bit_rate``, ``seed``,
``volume``, ``pitch`` and ``speed`` are checked against the service's values; ``input`` is at most
20,000 counted characters; with ``enable_ssml`` the SSML must pass ssmlkit's error rules; and
``stream: true`` is refused. Problems get ``400`` with an OpenAI-style body
``{"error": {"message": ..., "type": "invalid_request_error"}}``. The path may sit under any base
path ending in ``/v1`` (``/api/gpt/v1/audio/speech``), or be ``/audio/speech`` itself.

The audio is eSpeak NG's **preview voice, not CosyVoice** (see :mod:`ssmlkit.offline`). Requests
are handled concurrently; synthesis itself runs one at a time. Any ``Authorization`` header is
accepted and ignored; headers are never logged. One line per request goes to the log.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from ssmlkit.errors import BadRequestError, RenderError

if TYPE_CHECKING:
    from ssmlkit.engine import Engine

__all__ = ["MAX_BODY_BYTES", "Reply", "SpeechServer", "handle_speech", "make_server"]

#: Largest request body accepted, in bytes.
MAX_BODY_BYTES = 2 * 1024 * 1024
_CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
    "opus": "audio/ogg",
}
_KNOWN_FIELDS = frozenset(
    {
        "model",
        "voice",
        "input",
        "enable_ssml",
        "response_format",
        "sample_rate",
        "bit_rate",
        "seed",
        "volume",
        "pitch",
        "speed",
        "stream",
    }
)


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str, kind: str = "invalid_request_error") -> Reply:
        """An OpenAI-style JSON error body."""
        payload = {"error": {"message": message, "type": kind, "code": None, "param": None}}
        return cls(status, "application/json", json.dumps(payload, ensure_ascii=False).encode())


def _problems(body: dict[str, Any]) -> list[str]:
    """Every reason the real endpoint would refuse ``body`` before reading its SSML."""
    from ssmlkit.profiles import cosyvoice
    from ssmlkit.rendering.payload import SpeechParams

    out: list[str] = []
    for name in ("model", "voice", "input"):
        if name not in body:
            out.append(f"{name}: required")
        elif not isinstance(body[name], str) or not body[name].strip():
            out.append(f"{name}: must be a non-empty string")
    for name in ("enable_ssml", "stream"):
        if name in body and body[name] is not None and not isinstance(body[name], bool):
            out.append(f"{name}: must be true or false")
    if body.get("stream") is True:
        out.append("stream: streaming is not supported; send stream: false or leave it out")
    params = SpeechParams(
        model=body["model"] if isinstance(body.get("model"), str) else "?",
        voice=None,
        response_format=body.get("response_format", "mp3"),
        sample_rate=body.get("sample_rate", cosyvoice.DEFAULT_SAMPLE_RATE),
        bit_rate=body.get("bit_rate"),
        seed=body.get("seed"),
        volume=body.get("volume"),
        pitch=body.get("pitch"),
        speed=body.get("speed"),
    )
    for problem in params.problems():
        if problem.startswith("format:"):
            problem = "response_format:" + problem[len("format:") :]
        if problem.startswith("bit_rate: only applies"):
            continue  # the service ignores bit_rate for other formats
        out.append(problem)
    return out


def _ssml_problems(text: str) -> list[str]:
    """ssmlkit's lint errors for ``text``, as ``line:column CODE message``."""
    from ssmlkit.linter.diagnostic import Severity
    from ssmlkit.linter.api import lint

    return [
        f"{d.line}:{d.column} {d.code} {d.message}"
        for d in lint(text)
        if d.severity == Severity.ERROR
    ]


def handle_speech(engine: Any, raw: bytes) -> Reply:
    """The answer to one ``POST .../audio/speech`` with body ``raw`` (no HTTP involved)."""
    from ssmlkit.measure import count_text, measure
    from ssmlkit.profiles import cosyvoice

    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Reply.error(400, f"the request body is not valid JSON: {exc}")
    if not isinstance(body, dict):
        return Reply.error(400, "the request body must be a JSON object")
    problems = _problems(body)
    if problems:
        return Reply.error(400, "; ".join(problems))
    text: str = body["input"]
    if body.get("enable_ssml"):
        lint_errors = _ssml_problems(text)
        if lint_errors:
            shown = "; ".join(lint_errors[:5])
            more = f" (and {len(lint_errors) - 5} more)" if len(lint_errors) > 5 else ""
            return Reply.error(400, f"SSML text is not supported at the moment! {shown}{more}")
    size = measure(text) if body.get("enable_ssml") else count_text(text)
    if size > cosyvoice.MAX_CHARS:
        return Reply.error(
            400, f"input: {size:,} counted characters, over the limit of {cosyvoice.MAX_CHARS:,}"
        )
    fmt = body.get("response_format", "mp3")
    payload = {k: v for k, v in body.items() if k in _KNOWN_FIELDS and k != "stream"}
    try:
        audio = engine.synthesize(payload)
    except BadRequestError as exc:
        return Reply.error(400, exc.body or str(exc))
    except RenderError as exc:
        return Reply.error(503, str(exc), "server_error")
    return Reply(200, _CONTENT_TYPES.get(fmt, "application/octet-stream"), audio)


def _speech_path(path: str) -> bool:
    path = path.split("?", 1)[0].rstrip("/")
    return path == "/audio/speech" or path.endswith("/v1/audio/speech")


class _Handler(BaseHTTPRequestHandler):
    server: SpeechServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a client may take to send its request

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: :meth:`_send` logs one line per request, without headers."""

    def _send(self, reply: Reply, started: float) -> None:
        self._log_request(reply, started)  # before the body, so the line exists once it arrives
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _log_request(self, reply: Reply, started: float) -> None:
        where = self.path.split("?", 1)[0]
        extra = ""
        if reply.status >= 400:
            try:
                extra = ": " + json.loads(reply.body)["error"]["message"][:200]
            except (ValueError, KeyError, TypeError):
                extra = ""
        self.server.log(
            f"{self.client_address[0]} {self.command} {where} {reply.status} "
            f"{len(reply.body):,} bytes {time.monotonic() - started:.2f}s{extra}"
        )

    def do_POST(self) -> None:
        """``POST .../v1/audio/speech``."""
        started = time.monotonic()
        if not _speech_path(self.path):
            self._discard_body()
            self._send(
                Reply.error(404, f"no such endpoint: POST {self.path.split('?')[0]}"), started
            )
            return
        length_header = self.headers.get("Content-Length")
        try:
            length = int(length_header) if length_header is not None else -1
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(Reply.error(411, "Content-Length is required"), started)
            return
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send(Reply.error(413, f"request body over {MAX_BODY_BYTES:,} bytes"), started)
            return
        raw = self.rfile.read(length)
        ctype = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if ctype != "application/json":
            self._send(Reply.error(415, "Content-Type must be application/json"), started)
            return
        self._send(handle_speech(self.server.engine, raw), started)

    def _discard_body(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if 0 < length <= MAX_BODY_BYTES:
            self.rfile.read(length)
        else:
            self.close_connection = True

    def do_GET(self) -> None:
        """``GET /health`` answers ``{"status": "ok"}``; anything else is 404 or 405."""
        started = time.monotonic()
        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/health":
            self._send(Reply(200, "application/json", b'{"status": "ok"}'), started)
        elif _speech_path(path):
            self._send(Reply.error(405, "use POST for /audio/speech"), started)
        else:
            self._send(Reply.error(404, f"no such endpoint: GET {path or '/'}"), started)

    do_HEAD = do_GET


class SpeechServer(ThreadingHTTPServer):
    """A threaded HTTP server answering the speech API with ``engine`` (an offline engine)."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        engine: Any,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self._log = log
        self._log_lock = threading.Lock()
        super().__init__(address, _Handler)

    def log(self, line: str) -> None:
        """Write one log line (to standard error unless a ``log`` callback was given)."""
        with self._log_lock:
            if self._log is not None:
                self._log(line)
            else:
                sys.stderr.write(f"ssmlkit serve: {line}\n")
                sys.stderr.flush()

    @property
    def base_url(self) -> str:
        """The base URL to give an OpenAI client (``http://host:port/v1``)."""
        host, port = self.server_address[:2]
        shown = f"[{host}]" if isinstance(host, str) and ":" in host else str(host)
        return f"http://{shown}:{port}/v1"


def make_server(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    engine: Engine | str = "offline",
    log: Callable[[str], None] | None = None,
) -> SpeechServer:
    """A bound (not yet serving) :class:`SpeechServer` answering with ``engine``.

    ``engine`` is an engine object or a name of :mod:`ssmlkit.rendering.engines` (default: the
    offline preview, the only one that makes sense for a local stand-in). Raises
    :class:`~ssmlkit.offline.EngineUnavailableError` when eSpeak NG cannot be loaded and
    :class:`OSError` when the address cannot be bound.
    """
    if isinstance(engine, str):
        from ssmlkit.rendering.engines import make_engine

        engine = make_engine(engine)
    if ":" in host:
        import socket

        class _V6(SpeechServer):
            address_family = socket.AF_INET6

        return _V6((host, port), engine, log)
    return SpeechServer((host, port), engine, log)

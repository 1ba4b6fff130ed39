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

The ``model`` must be one of ``GET /v1/models`` (``tongyi/`` prefix optional) and an OpenAI voice
or model it cannot map (``alloy``, ``tts-1``) is a ``400`` saying what to send instead.

The audio is eSpeak NG's **preview voice, not CosyVoice** (see :mod:`ssmlkit.offline`). Requests
are handled concurrently; synthesis itself runs one at a time. Any ``Authorization`` header is
accepted and ignored; headers are never logged. One line per request goes to the log.

The preview page. ``GET /`` serves a page (``ssmlkit/preview/``: plain HTML, CSS and JavaScript
shipped in the wheel, nothing fetched from elsewhere) with an editor, live diagnostics from
``POST /v1/lint`` (``{"input": "<ssml>"}`` → the JSON of ``ssmlkit lint --format json``), the
chunk map from ``POST /v1/chunks`` (``{"input", "max_chars"}`` → the JSON of ``ssmlkit split
--format json``), and a Play button that renders through ``POST /v1/audio/speech``; a speech
answer names its timeline (:mod:`ssmlkit.rendering.timeline`) in the ``X-SSMLKit-Timeline``
header, a path under ``GET /v1/timelines/``.

Safe on a laptop. It binds 127.0.0.1 by default; a request whose ``Host`` is not a loopback name
or address (nor the address it was bound to) gets ``403`` (a DNS-rebinding page cannot reach it),
and so does a ``POST`` whose ``Origin`` is not the server's own (another site's page cannot make
the browser post to it). Bodies over :data:`MAX_BODY_BYTES` get ``413`` before they are read, and
only the files of the static folder, by exact name, are ever served.
"""

from __future__ import annotations

import ipaddress
import json
import sys
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import TYPE_CHECKING, Any

from ssmlkit.errors import BadRequestError, RenderError

if TYPE_CHECKING:
    from ssmlkit.config import Config
    from ssmlkit.engine import Engine

__all__ = [
    "MAX_BODY_BYTES",
    "Reply",
    "SpeechServer",
    "handle_chunks",
    "handle_lint",
    "handle_speech",
    "make_server",
    "models",
]

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


# OpenAI's speech voices and models: a client written for OpenAI sends these, and audio in some
# other voice would hide the mistake.
_OPENAI_VOICES = frozenset(
    {"alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse"}
)
_STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
# The page may load only its own files and play audio it made itself (a blob: URL).
_PAGE_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
)
_TIMELINES_KEPT = 32


def models() -> list[str]:
    """The model ids ``POST /v1/audio/speech`` accepts, as ``GET /v1/models`` lists them."""
    from ssmlkit.profiles.values import MODELS

    return [f"tongyi/{m}" for m in MODELS]


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer: status, content type, body and any extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, payload: object, status: int = 200) -> Reply:
        """A JSON answer."""
        return cls(status, "application/json", json.dumps(payload, ensure_ascii=False).encode())

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
    out += _unmappable(body)
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


def _unmappable(body: dict[str, Any]) -> list[str]:
    """An OpenAI model or voice, or a model that is not CosyVoice's: this endpoint cannot map it."""
    from ssmlkit.profiles.values import MODELS, normalize_model

    out: list[str] = []
    model = body.get("model")
    if isinstance(model, str) and model.strip() and normalize_model(model) not in MODELS:
        out.append(
            f"model: {model!r} is not a CosyVoice model this endpoint can map; "
            f"use one of {', '.join(models())} (GET /v1/models)"
        )
    voice = body.get("voice")
    if isinstance(voice, str) and voice.strip().lower() in _OPENAI_VOICES:
        out.append(
            f"voice: {voice!r} is an OpenAI voice, which CosyVoice does not have; "
            "send a CosyVoice voice such as 'longanyang'"
        )
    return out


def _ssml_problems(text: str) -> list[str]:
    """ssmlkit's lint errors for ``text``, as ``line:column CODE message``."""
    from ssmlkit.linter.api import lint
    from ssmlkit.linter.diagnostic import Severity

    return [
        f"{d.line}:{d.column} {d.code} {d.message}"
        for d in lint(text)
        if d.severity == Severity.ERROR
    ]


class _Timelines:
    """The timelines of the last few speech answers, by id (``GET /v1/timelines/<id>``)."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, data: bytes) -> str:
        key = uuid.uuid4().hex
        with self._lock:
            self._kept[key] = data
            while len(self._kept) > _TIMELINES_KEPT:
                self._kept.popitem(last=False)
        return key

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._kept.get(key)


def _timeline_json(
    text: str, ssml: bool, voice: object, audio: bytes, fmt: str, marks: Any
) -> bytes:
    """The timeline of one speech answer: a single chunk, timed by the engine's marks."""
    from ssmlkit.chunkmap import source_lines
    from ssmlkit.model import Document, Speak, Text
    from ssmlkit.parse import parse
    from ssmlkit.rendering.timeline import ChunkSpan, Timeline, chunk_timeline

    # The engine has just parsed the same text without error.
    doc = parse(text) if ssml else Document((Speak(children=(Text(text),)),))
    duration = _audio_seconds(audio, fmt)
    if duration is None:
        duration = max((float(m["end"]) for m in marks), default=0.0)
    segments, breaks = chunk_timeline(
        doc, 0.0, duration, voice=voice if isinstance(voice, str) else None, marks=marks
    )
    lines = source_lines(doc, [doc])[0] if ssml else None
    timeline = Timeline(
        duration, (ChunkSpan(0, 0.0, duration, lines),), tuple(segments), tuple(breaks)
    )
    return timeline.to_json().encode()


def _audio_seconds(audio: bytes, fmt: str) -> float | None:
    if fmt != "wav":
        return None
    import io
    import wave

    try:
        with wave.open(io.BytesIO(audio)) as w:
            return float(w.getnframes() / w.getframerate())
    except (wave.Error, EOFError):
        return None


def handle_speech(engine: Any, raw: bytes, timelines: _Timelines | None = None) -> Reply:
    """The answer to one ``POST .../audio/speech`` with body ``raw`` (no HTTP involved).

    With ``timelines`` and an engine that reports timing, the answer's ``X-SSMLKit-Timeline``
    header names where its timeline can be fetched.
    """
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
    timed = getattr(engine, "synthesize_timed", None) if timelines is not None else None
    headers: tuple[tuple[str, str], ...] = ()
    try:
        if callable(timed):
            audio, marks = timed(payload)
        else:
            audio, marks = engine.synthesize(payload), None
    except BadRequestError as exc:
        return Reply.error(400, exc.body or str(exc))
    except RenderError as exc:
        return Reply.error(503, str(exc), "server_error")
    if timelines is not None and marks is not None:
        data = _timeline_json(
            text, bool(body.get("enable_ssml")), body.get("voice"), audio, str(fmt), marks
        )
        headers = (("X-SSMLKit-Timeline", f"/v1/timelines/{timelines.put(data)}"),)
    return Reply(200, _CONTENT_TYPES.get(fmt, "application/octet-stream"), audio, headers)


def _input_of(raw: bytes) -> tuple[dict[str, Any], str] | Reply:
    """The JSON object of ``raw`` and its ``input`` string, or the 400 saying why not."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Reply.error(400, f"the request body is not valid JSON: {exc}")
    if not isinstance(body, dict):
        return Reply.error(400, "the request body must be a JSON object")
    text = body.get("input")
    if not isinstance(text, str):
        return Reply.error(
            400, 'input: required: the SSML text, as {"input": "<speak>...</speak>"}'
        )
    return body, text


def handle_lint(raw: bytes, config: Config | None = None) -> Reply:
    """``POST /v1/lint`` with ``{"input": "<ssml>"}``: the JSON of ``ssmlkit lint --format json``.

    The document is linted with ``config`` (default: the defaults, as ``lint --isolated``); its
    path in the report is ``<input>``.
    """
    from ssmlkit.linter.api import lint
    from ssmlkit.linter.registry import all_rules
    from ssmlkit.output import FileResult, get_formatter

    given = _input_of(raw)
    if isinstance(given, Reply):
        return given
    _, text = given
    result = FileResult("<input>", text, lint(text, config=config, path="<input>"))
    report = get_formatter("json")(color=False, rules=all_rules(), statistics=False)
    return Reply(200, "application/json", report.format([result]).encode())


def handle_chunks(raw: bytes) -> Reply:
    """``POST /v1/chunks`` with ``{"input", "max_chars"}``: the JSON of ``ssmlkit split --format json``."""
    from ssmlkit.chunkmap import chunk_map
    from ssmlkit.errors import SSMLKitError
    from ssmlkit.profiles import cosyvoice

    given = _input_of(raw)
    if isinstance(given, Reply):
        return given
    body, text = given
    limit = body.get("max_chars", cosyvoice.MAX_CHARS)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        return Reply.error(400, f"max_chars: {limit!r} is not a positive whole number")
    try:
        entries, warnings = chunk_map(text, max_chars=limit, path="<input>")
    except SSMLKitError as exc:
        return Reply.error(400, str(exc))
    return Reply.json(
        {
            "max_chars": limit,
            "chunks": [e.to_dict() for e in entries],
            "warnings": [{"code": w.code, "message": w.message} for w in warnings],
        }
    )


def _speech_path(path: str) -> bool:
    path = path.split("?", 1)[0].rstrip("/")
    return path == "/audio/speech" or path.endswith("/v1/audio/speech")


def _static_files() -> dict[str, tuple[bytes, str]]:
    """The preview page's files by URL path, read once: the only files the server ever sends."""
    folder = resources.files("ssmlkit") / "preview"
    out: dict[str, tuple[bytes, str]] = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1] if "." in entry.name else ""
        if entry.is_file() and suffix in _STATIC_TYPES:
            out[f"/static/{entry.name}"] = (entry.read_bytes(), _STATIC_TYPES[suffix])
    if "/static/index.html" in out:
        out["/"] = out["/static/index.html"]
    return out


def _host_name(host: str) -> str:
    """``host`` from a ``Host`` header value (``name:port`` or ``[v6]:port``), lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _loopback(name: str) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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
        for name, value in reply.headers:
            self.send_header(name, value)
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

    def _refusal(self, post: bool) -> Reply | None:
        """A 403 for a foreign ``Host`` (DNS rebinding) or a cross-origin ``POST``, else ``None``."""
        host = self.headers.get("Host")
        if host is not None and not self.server.allowed_host(_host_name(host)):
            return Reply.error(
                403,
                f"Host {host[:100]!r} is not this machine: the server answers only to loopback "
                "names (localhost, 127.0.0.1, [::1]) or the address given to --host",
                "permission_error",
            )
        origin = self.headers.get("Origin")
        if post and origin is not None and (host is None or origin != f"http://{host}"):
            return Reply.error(
                403,
                f"cross-origin POST from {origin[:100]!r} refused: only pages served by this "
                "server may post to it",
                "permission_error",
            )
        return None

    def do_POST(self) -> None:
        """``POST .../v1/audio/speech``, ``/v1/lint`` and ``/v1/chunks``."""
        started = time.monotonic()
        refusal = self._refusal(post=True)
        if refusal is not None:
            self.close_connection = True
            self._send(refusal, started)
            return
        route = self.path.split("?", 1)[0].rstrip("/")
        if not _speech_path(self.path) and route not in ("/v1/lint", "/v1/chunks"):
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
        if route == "/v1/lint":
            self._send(handle_lint(raw, self.server.lint_config), started)
        elif route == "/v1/chunks":
            self._send(handle_chunks(raw), started)
        else:
            self._send(handle_speech(self.server.engine, raw, self.server.timelines), started)

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
        """The page and its files, ``/v1/models``, ``/v1/timelines/<id>`` and ``/health``."""
        started = time.monotonic()
        refusal = self._refusal(post=False)
        if refusal is not None:
            self._send(refusal, started)
            return
        path = self.path.split("?", 1)[0]
        static = self.server.static.get(path)
        path = path.rstrip("/")
        if static is not None:
            self._send(Reply(200, static[1], static[0], _PAGE_HEADERS), started)
        elif path == "/health":
            self._send(Reply(200, "application/json", b'{"status": "ok"}'), started)
        elif path.endswith("/v1/models"):
            data = [{"id": m, "object": "model", "owned_by": "ssmlkit-offline"} for m in models()]
            self._send(Reply.json({"object": "list", "data": data}), started)
        elif path.startswith("/v1/timelines/"):
            found = self.server.timelines.get(path.rsplit("/", 1)[-1])
            if found is None:
                self._send(
                    Reply.error(404, "no such timeline (only the last few are kept)"), started
                )
            else:
                self._send(Reply(200, "application/json", found), started)
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
        lint_config: Config | None = None,
    ) -> None:
        self.engine = engine
        #: The configuration ``POST /v1/lint`` lints with (``None``: the defaults).
        self.lint_config = lint_config
        self._log = log
        self._log_lock = threading.Lock()
        self.timelines = _Timelines()
        self.static = _static_files()
        super().__init__(address, _Handler)

    def allowed_host(self, name: str) -> bool:
        """Whether a request's ``Host`` name may be answered: loopback, or the address bound."""
        bound = str(self.server_address[0]).lower()
        return _loopback(name) or (name == bound and bound not in ("0.0.0.0", "::"))

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
    lint_config: Config | None = None,
) -> SpeechServer:
    """A bound (not yet serving) :class:`SpeechServer` answering with ``engine``.

    ``engine`` is an engine object or a name of :mod:`ssmlkit.rendering.engines` (default: the
    offline preview, the only one that makes sense for a local stand-in). ``lint_config`` is the
    configuration the preview page's diagnostics use (``ssmlkit serve`` passes the one found
    from the current directory); the speech endpoint always checks as the service does. Raises
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

        return _V6((host, port), engine, log, lint_config)
    return SpeechServer((host, port), engine, log, lint_config)

"""One render from document to audio file: check, split, synthesize what is missing, join.

Usage::

    report = render_with(client, doc, "book.mp3", voice="longanyang")
    report.summary()       # "12 chunks (3 from cache), 41,230 characters billed, 48:12 of audio, ..."

The steps, and what each guarantees:

1. :func:`plan` lints the input with the error rules and validates every parameter; any problem
   raises :class:`CheckFailed` (its message is the lint-style report) before anything is sent.
   The document is split into chunks within ``max_chars`` (size is never a reason to refuse).
2. Each chunk whose request is not in the :class:`~ssmlkit.rendering.cache.AudioCache` is sent to the
   engine, up to ``concurrency`` at a time; each result is cached (atomically) as soon as it
   arrives. On a failure, no new chunk starts, the ones in flight finish and are cached, and the
   error says how many chunks are done; the next run sends only the rest.
3. The parts stream from the cache into a temporary file beside the output, which is renamed over
   the output only when complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssmlkit._files import default_mode
from ssmlkit.audio import open_writer
from ssmlkit.config import RenderSettings
from ssmlkit.engine import AsyncEngine, Engine, EngineTraits
from ssmlkit.errors import (
    APIStatusError,
    ConfigError,
    InputError,
    RenderError,
    SSMLKitError,
)
from ssmlkit.measure import measure
from ssmlkit.model import Document, Speak, Text
from ssmlkit.profiles import cosyvoice
from ssmlkit.rendering.cache import AudioCache, atomic_write
from ssmlkit.rendering.payload import SpeechParams, cache_key, format_for_path
from ssmlkit.rendering.timeline import Timeline

__all__ = [
    "CheckFailed",
    "Chunk",
    "Plan",
    "Progress",
    "RenderReport",
    "plain_text_file_to_ssml",
    "plan",
    "render_with",
    "render_with_async",
    "split_options",
    "text_to_ssml",
]

#: Options only a Python call can give (objects, secrets, or per-call details), and where each
#: goes; every other option is a field of :class:`~ssmlkit.config.RenderSettings`.
RUNTIME_OPTIONS = {
    "api_key": "client",
    "transport": "client",
    "rate_limit_cooldown": "client",
    "cache_dir": "job",
    "progress": "job",
    "path": "job",
    "check": "job",
}
# Other spellings accepted: the request body's name for the format.
_ALIASES = {"response_format": "format"}


class CheckFailed(InputError):
    """The input or a parameter would be refused; nothing was sent.

    ``diagnostics`` are the lint errors, ``problems`` the parameter messages, and the exception's
    message is the report, formatted like ``ssmlkit lint``'s text output.
    """

    def __init__(self, report: str, diagnostics: Sequence[Any], problems: Sequence[str]) -> None:
        self.diagnostics = tuple(diagnostics)
        self.problems = tuple(problems)
        super().__init__(report)


@dataclass(frozen=True, slots=True)
class Chunk:
    """One request: its position, SSML text, request body, cache key, counted size and source lines."""

    index: int
    text: str
    payload: dict[str, Any]
    key: str
    chars: int
    lines: tuple[int, int] | None = None

    def where(self) -> str:
        """``lines 3-9`` (or ``line 3``), or ``""`` when the source position is unknown."""
        if self.lines is None:
            return ""
        a, b = self.lines
        return f"line {a}" if a == b else f"lines {a}-{b}"


@dataclass(frozen=True, slots=True)
class Plan:
    """The chunks of one render, in document order, and the request parameters."""

    chunks: tuple[Chunk, ...]
    params: SpeechParams

    @property
    def characters(self) -> int:
        """Characters billed: the sum of the chunks' counted sizes."""
        return sum(c.chars for c in self.chunks)


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a render stands, passed to the ``progress`` callback after each chunk."""

    done: int
    total: int
    chars_done: int
    chars_total: int
    cached: int


@dataclass(slots=True)
class RenderReport:
    """What a render did: ``result`` is the output path (or the bytes when no output was given).

    ``billed`` is the engine's :attr:`~ssmlkit.engine.EngineTraits.billed`: whether the counted
    characters cost money (the offline preview's do not). ``timeline`` says where each chunk,
    segment and break lies in the audio (:mod:`ssmlkit.rendering.timeline`); ``None`` when the
    format cannot tell the chunks' lengths.
    """

    result: bytes | Path
    chunks: int
    sent: int
    cached: int
    characters: int
    duration: float | None
    wall_time: float
    fmt: str = "mp3"
    extra: dict[str, Any] = field(default_factory=dict)
    billed: bool = True
    timeline: Timeline | None = None

    def summary(self) -> str:
        """One line for the end of ``ssmlkit render``."""
        audio = "unknown length" if self.duration is None else _clock(self.duration)
        return (
            f"{self.chunks} chunk{'s' if self.chunks != 1 else ''} "
            f"({self.cached} from cache), {self.characters:,} characters "
            f"{'billed' if self.billed else '(billed only by the service)'}, "
            f"{audio} of audio, {self.wall_time:.1f}s"
        )


def _clock(seconds: float) -> str:
    whole = round(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def text_to_ssml(text: str) -> str:
    """Plain text as one ``<speak>`` document (escaped by the serializer).

    Raises :class:`~ssmlkit.errors.BuildError` (an :class:`InputError`) for characters XML
    cannot carry, such as NUL or ESC.
    """
    from ssmlkit.serialize import serialize

    return serialize(Document((Speak(children=(Text(text),)),)))


def plain_text_file_to_ssml(data: bytes, path: str) -> str:
    """A ``.txt`` file's bytes (UTF-8, BOM allowed) as one ``<speak>`` document.

    Raises :class:`InputError` naming the line and column of the first byte that is not UTF-8.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        raise InputError(
            f"{path}:{line}:{column}: byte 0x{data[exc.start]:02X} is not valid UTF-8; "
            "save the text as UTF-8"
        ) from None
    return text_to_ssml(text)


def option_destinations() -> dict[str, str]:
    """Every option name :func:`render_with` takes and where it goes (params, client, job, ...)."""
    return {**RenderSettings.destinations(), **RUNTIME_OPTIONS}


def split_options(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Sort ``render(**options)`` into (request parameters, client settings, job settings).

    The names are the fields of :class:`~ssmlkit.config.RenderSettings` plus
    :data:`RUNTIME_OPTIONS`; ``engine`` and ``quiet`` are dropped (they choose and silence, they
    do not render). Unknown names raise :class:`~ssmlkit.errors.ConfigError` with the closest one.
    """
    from difflib import get_close_matches

    where = option_destinations()
    out: dict[str, dict[str, Any]] = {"params": {}, "client": {}, "job": {}}
    for given, value in options.items():
        name = _ALIASES.get(given, given)
        to = where.get(name)
        if to is None:
            close = get_close_matches(given, list(where), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"unknown render option {given!r}{hint}", key=given, value=value)
        if to in out:
            out[to]["response_format" if name == "format" else name] = value
    if "concurrency" in out["client"]:
        out["job"]["concurrency"] = out["client"]["concurrency"]
    return out["params"], out["client"], out["job"]


def _source_text(source: object) -> tuple[str | bytes, str | None]:
    """The SSML text or bytes of ``source`` and its path, if it was one.

    ``source`` is anything :func:`ssmlkit.sources.as_source` takes, or a path (``os.PathLike``:
    a ``.txt`` file is plain text). A ``str`` that does not start with ``<`` is plain text.
    """
    from ssmlkit.serialize import serialize
    from ssmlkit.sources import ACCEPTED, as_source

    if isinstance(source, os.PathLike):
        file = Path(source)
        data = file.read_bytes()
        if file.suffix.lower() == ".txt":
            return plain_text_file_to_ssml(data, str(file)), str(file)
        return data, str(file)
    try:
        given = as_source(source, "render")
    except TypeError:
        raise TypeError(
            f"render() takes {ACCEPTED}, plain text (str) or a path (os.PathLike); "
            f"got {type(source).__name__}"
        ) from None
    if isinstance(given, Document):
        return (given.source if given.source is not None else serialize(given)), None
    if isinstance(given, str) and not given.lstrip("\ufeff \t\r\n").startswith("<"):
        return text_to_ssml(given), None
    return given, None


def _split(doc: Document, max_chars: int) -> list[Document]:
    """The splitter's chunks of ``doc``."""
    from ssmlkit.splitter import split

    return list(split(doc, max_chars=max_chars))


def _voice(doc: Document) -> str | None:
    for node, _ in doc.walk():
        if isinstance(node, Speak) and node.voice:
            return node.voice
    return None


def plan(
    source: Any,
    params: SpeechParams,
    *,
    max_chars: int = cosyvoice.MAX_CHARS,
    path: str | None = None,
    namespace: str = "",
    check: bool = True,
    traits: EngineTraits = EngineTraits(),  # noqa: B008 (frozen: one shared default is safe)
    engine_name: str = "the service",
) -> Plan:
    """Check ``source`` and ``params`` and cut the document into requests.

    ``traits`` are the engine's (:class:`~ssmlkit.engine.EngineTraits`): a format it
    cannot produce, or a missing voice when it needs one, is a problem too. Raises
    :class:`CheckFailed` listing every lint error and parameter problem at once.
    """
    from ssmlkit.parse import parse
    from ssmlkit.serialize import serialize

    text, source_path = _source_text(source)
    path = path or source_path
    problems = params.problems()
    fmt = params.response_format
    if fmt in cosyvoice.RESPONSE_FORMATS and fmt not in traits.formats:
        problems.append(
            f"format: {engine_name} cannot produce {fmt!r} audio; use one of: "
            + ", ".join(traits.formats)
        )
    if not isinstance(max_chars, int) or max_chars < 1:
        problems.append(f"max_chars: {max_chars!r} is not a positive whole number")
    diagnostics: list[Any] = []
    if check:
        from ssmlkit.config import Config
        from ssmlkit.linter.api import lint
        from ssmlkit.linter.diagnostic import Severity

        config = Config(max_chars=max_chars if isinstance(max_chars, int) and max_chars > 0 else 1)
        diagnostics = [
            d for d in lint(text, config=config, path=path) if d.severity == Severity.ERROR
        ]
    if diagnostics or problems:
        raise CheckFailed(_report(text, path, diagnostics, problems), diagnostics, problems)
    doc = parse(text, path=path)
    chunks: list[Chunk] = []
    missing_voice: list[str] = []
    pieces = _split(doc, max_chars)
    # The splitter's cut text nodes carry no position: find each chunk's lines in the source.
    from ssmlkit.chunkmap import source_lines

    where = source_lines(doc, pieces)
    for i, piece in enumerate(pieces):
        body = serialize(piece)
        voice = params.voice or _voice(piece)
        payload = params.payload(body, voice=voice)
        chunk = Chunk(
            i, body, payload, cache_key(payload, namespace=namespace), measure(piece), where[i]
        )
        if voice is None and traits.needs_voice:
            missing_voice.append(chunk.where() or f"chunk {i + 1}")
        chunks.append(chunk)
    if missing_voice:
        msg = (
            f'voice: required: pass voice= or give <speak voice="..."> ({", ".join(missing_voice)})'
        )
        raise CheckFailed(_report(text, path, [], [msg]), [], [msg])
    return Plan(tuple(chunks), params)


def _report(
    text: str | bytes, path: str | None, diagnostics: Sequence[Any], problems: Sequence[str]
) -> str:
    lines: list[str] = []
    if diagnostics:
        from ssmlkit.output import FileResult, get_formatter

        source = text if isinstance(text, str) else text.decode("utf-8", errors="replace")
        formatter = get_formatter("text")(color=False)
        lines.append(
            formatter.format([FileResult(path or "<input>", source, diagnostics)]).rstrip()
        )
    lines.extend(f"{path or '<input>'}: {p}" for p in problems)
    lines.append("nothing was sent")
    return "\n".join(lines)


# --------------------------------------------------------------------------------- running


class _Tracker:
    def __init__(
        self, plan: Plan, cache: AudioCache, progress: Callable[[Progress], None] | None
    ) -> None:
        self.plan = plan
        self.cache = cache
        self.progress = progress
        self.lock = threading.Lock()
        done = [c for c in plan.chunks if cache.has(c.key)]
        self.done_keys = {c.key for c in done}
        self.cached = len(done)
        self.sent = 0
        self.failure: tuple[Chunk, SSMLKitError] | None = None
        self._emit()

    def missing(self) -> list[Chunk]:
        seen: set[str] = set(self.done_keys)
        out = []
        for c in self.plan.chunks:
            if c.key not in seen:
                seen.add(c.key)
                out.append(c)
        return out

    def finished(self, chunk: Chunk) -> None:
        with self.lock:
            self.done_keys.add(chunk.key)
            self.sent += 1
            self._emit()

    def failed(self, chunk: Chunk, exc: SSMLKitError) -> None:
        with self.lock:
            if self.failure is None:
                self.failure = (chunk, exc)

    def _emit(self) -> None:
        if self.progress is None:
            return
        done = [c for c in self.plan.chunks if c.key in self.done_keys]
        self.progress(
            Progress(
                len(done),
                len(self.plan.chunks),
                sum(c.chars for c in done),
                self.plan.characters,
                self.cached,
            )
        )

    def raise_failure(self, keep: bool) -> None:
        if self.failure is None:
            return
        chunk, exc = self.failure
        total = len(self.plan.chunks)
        done = sum(1 for c in self.plan.chunks if c.key in self.done_keys)
        where = f" ({chunk.where()})" if chunk.where() else ""
        kept = "kept in the cache; rerun to send only the rest" if keep else "not kept (no cache)"
        msg = f"chunk {chunk.index + 1} of {total}{where}: {exc}\n{done} of {total} chunks done, {kept}"
        raise _rewrap(exc, msg) from exc


def _rewrap(exc: SSMLKitError, message: str) -> SSMLKitError:
    """An exception of the same type as ``exc`` with ``message`` (so callers still catch by type)."""
    if isinstance(exc, APIStatusError):
        return type(exc)(exc.status_code, exc.body, message)
    try:
        return type(exc)(message)
    except TypeError:
        return RenderError(message)


def _run_sync(engine: Engine, tracker: _Tracker, concurrency: int) -> None:
    stop = threading.Event()

    def work(chunk: Chunk) -> None:
        if stop.is_set():
            return
        timed = getattr(engine, "synthesize_timed", None)
        try:
            if callable(timed):
                data, marks = timed(chunk.payload)
                # Beside the audio and before it: an entry present means its marks are too.
                atomic_write(_marks_path(tracker.cache, chunk.key), json.dumps(marks).encode())
            else:
                data = engine.synthesize(chunk.payload)
        except SSMLKitError as exc:
            tracker.failed(chunk, exc)
            stop.set()
            return
        tracker.cache.put(chunk.key, data)
        tracker.finished(chunk)

    missing = tracker.missing()
    if not missing:
        return
    workers = max(1, min(concurrency, len(missing), engine.traits.max_concurrency or concurrency))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ssmlkit-render") as pool:
        futures = [pool.submit(work, c) for c in missing]
        finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for fut in finished:
            if fut.exception() is not None:  # a bug, not a render failure: stop and re-raise
                stop.set()
                for f in futures:
                    f.cancel()
                raise fut.exception()  # type: ignore[misc]


async def _run_async(engine: AsyncEngine, tracker: _Tracker, concurrency: int) -> None:
    gate = asyncio.Semaphore(max(1, min(concurrency, engine.traits.max_concurrency or concurrency)))
    stop = False

    async def work(chunk: Chunk) -> None:
        nonlocal stop
        async with gate:
            if stop:
                return
            try:
                data = await engine.synthesize(chunk.payload)
            except SSMLKitError as exc:
                tracker.failed(chunk, exc)
                stop = True
                return
            await asyncio.to_thread(tracker.cache.put, chunk.key, data)
            tracker.finished(chunk)

    await asyncio.gather(*(work(c) for c in tracker.missing()))


def _marks_path(cache: AudioCache, key: str) -> Path:
    """Where the engine's timing marks for entry ``key`` are kept (beside its audio)."""
    return cache.path(key).with_suffix(".marks.json")


def _read_marks(cache: AudioCache, key: str) -> list[dict[str, Any]] | None:
    try:
        marks = json.loads(_marks_path(cache, key).read_bytes())
    except (OSError, ValueError):
        return None
    return marks if isinstance(marks, list) else None


def _timeline(plan: Plan, cache: AudioCache, ends: list[float | None]) -> Timeline | None:
    """The render's timeline from each chunk's end time (``None`` if one is unknown)."""
    from ssmlkit.parse import parse
    from ssmlkit.rendering.timeline import ChunkSpan, chunk_timeline

    if not ends or any(e is None for e in ends):
        return None
    chunks, segments, breaks = [], [], []
    start = 0.0
    for chunk, end in zip(plan.chunks, ends, strict=True):
        assert end is not None
        chunks.append(ChunkSpan(chunk.index, start, end, chunk.lines))
        segs, brks = chunk_timeline(
            parse(chunk.text),
            start,
            end,
            voice=chunk.payload.get("voice"),
            marks=_read_marks(cache, chunk.key),
        )
        segments += segs
        breaks += brks
        start = end
    return Timeline(start, tuple(chunks), tuple(segments), tuple(breaks))


def _assemble(
    plan: Plan, cache: AudioCache, output: Path | None
) -> tuple[bytes | Path, float | None, Timeline | None]:
    fmt = plan.params.response_format
    rate = plan.params.sample_rate
    ends: list[float | None] = []
    if output is None:
        import io

        buf = io.BytesIO()
        writer = open_writer(fmt, buf, sample_rate=rate)
        for chunk in plan.chunks:
            writer.add(cache.path(chunk.key).read_bytes())
            ends.append(writer.duration)
        writer.finish()
        return buf.getvalue(), writer.duration, _timeline(plan, cache, ends)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    try:
        with os.fdopen(fd, "w+b") as out:
            writer = open_writer(fmt, out, sample_rate=rate)
            for chunk in plan.chunks:
                writer.add(cache.path(chunk.key).read_bytes())
                ends.append(writer.duration)
            writer.finish()
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, default_mode())
        os.replace(tmp, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return output, writer.duration, _timeline(plan, cache, ends)


@dataclass
class _Setup:
    plan: Plan
    cache: AudioCache
    tmpdir: tempfile.TemporaryDirectory[str] | None
    output: Path | None
    concurrency: int
    progress: Callable[[Progress], None] | None
    started: float
    billed: bool
    cache_max_size: int | None = None


def _setup(
    engine: Engine | AsyncEngine, source: Any, output: Any, options: dict[str, Any]
) -> _Setup:
    started = time.monotonic()
    if not isinstance(engine, Engine | AsyncEngine):
        raise TypeError(
            f"cannot render with a {type(engine).__name__}: an engine has name, traits and "
            "synthesize (see ssmlkit.engine)"
        )
    params_kw, _client_kw, job = split_options(options)
    out = Path(output) if output is not None else None
    if "response_format" not in params_kw or params_kw["response_format"] is None:
        implied = format_for_path(str(out)) if out else None
        if out is not None and implied is None and out.suffix and str(out) != "-":
            raise ConfigError(
                f"cannot tell the audio format from the file name {out.name!r}; "
                "name it .mp3, .wav, .pcm, .opus or .ogg, or give format=",
                key="format",
                value=out.suffix,
                expected="mp3, wav, pcm or opus",
            )
        params_kw["response_format"] = implied or "mp3"
    params_kw = {k: v for k, v in params_kw.items() if v is not None}
    params = SpeechParams(**params_kw)
    the_plan = plan(
        source,
        params,
        max_chars=job.get("max_chars") or cosyvoice.MAX_CHARS,
        path=job.get("path"),
        namespace=engine.name,
        check=job.get("check", True),
        traits=engine.traits,
        engine_name=_engine_words(engine.name),
    )
    tmpdir = None
    keep = job.get("cache")
    if keep is None:  # by default, keep what costs money to make again (not offline audio)
        keep = engine.traits.billed
    if keep:
        cache = AudioCache(job.get("cache_dir"))
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="ssmlkit-render-")
        cache = AudioCache(tmpdir.name)
    concurrency = int(job.get("concurrency") or engine.traits.max_concurrency or 4)
    return _Setup(
        the_plan,
        cache,
        tmpdir,
        out,
        concurrency,
        job.get("progress"),
        started,
        engine.traits.billed,
        job.get("cache_max_size"),
    )


def _prune(setup: _Setup) -> None:
    """Hold the cache to its size cap, least recently used first (this render's parts were just
    used, so they go last). A failure to prune never fails the render it follows."""
    from ssmlkit.rendering.cache import DEFAULT_MAX_SIZE

    limit = setup.cache_max_size if setup.cache_max_size is not None else DEFAULT_MAX_SIZE
    try:
        setup.cache.prune(limit)
    except OSError as exc:
        import logging

        logging.getLogger(__name__).warning("could not prune the render cache: %s", exc)


def _engine_words(name: str) -> str:
    """How an error names the engine: ``the offline engine`` for ``offline:espeak-ng-...``."""
    head = name.split(":", 1)[0].split(" ", 1)[0]
    return f"the {head} engine" if head else "the engine"


def _finish(setup: _Setup, tracker: _Tracker) -> RenderReport:
    tracker.raise_failure(keep=setup.tmpdir is None)
    result, duration, timeline = _assemble(setup.plan, setup.cache, setup.output)
    if setup.tmpdir is None:
        _prune(setup)
    return RenderReport(
        result,
        len(setup.plan.chunks),
        tracker.sent,
        tracker.cached,
        setup.plan.characters,
        duration,
        time.monotonic() - setup.started,
        setup.plan.params.response_format,
        billed=setup.billed,
        timeline=timeline,
    )


def render_with(engine: Engine, source: Any, output: Any = None, **options: Any) -> RenderReport:
    """Render ``source`` with ``engine`` into ``output`` (a path) or to bytes; see :func:`ssmlkit.rendering.render`."""
    setup = _setup(engine, source, output, options)
    try:
        tracker = _Tracker(setup.plan, setup.cache, setup.progress)
        _run_sync(engine, tracker, setup.concurrency)
        return _finish(setup, tracker)
    finally:
        if setup.tmpdir is not None:
            setup.tmpdir.cleanup()


async def render_with_async(
    engine: AsyncEngine, source: Any, output: Any = None, **options: Any
) -> RenderReport:
    """The asyncio form of :func:`render_with`."""
    setup = _setup(engine, source, output, options)
    try:
        tracker = _Tracker(setup.plan, setup.cache, setup.progress)
        await _run_async(engine, tracker, setup.concurrency)
        tracker.raise_failure(keep=setup.tmpdir is None)
        return await asyncio.to_thread(_finish, setup, tracker)
    finally:
        if setup.tmpdir is not None:
            setup.tmpdir.cleanup()

"""The render timeline against the audio itself: decoded lengths and where the file is silent."""

from __future__ import annotations

import doctest
import io
import itertools
import json
import subprocess
import sys
import wave
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmlkit.parse import parse
from ssmlkit.rendering import render_report, timeline
from ssmlkit.rendering.cache import AudioCache
from ssmlkit.rendering.engines import make_engine
from ssmlkit.rendering.job import plan
from ssmlkit.rendering.payload import SpeechParams
from ssmlkit.rendering.timeline import Timeline, chunk_timeline

DOC = (
    '<speak voice="longanyang">\n'
    "今天天气很好，我们去公园散步吧。\n"
    '<break time="2s"/>\n'
    "然后我们一起吃午饭。\n"
    "</speak>\n"
    '<speak voice="longxiaochun_v2">Hello there, this is the second voice, in English.</speak>\n'
)


def decode(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16), w.getframerate()


def silences(samples: np.ndarray, rate: int, min_s: float = 0.3) -> list[tuple[float, float]]:
    """Stretches of at least ``min_s`` where every 10 ms window is near silent."""
    win = rate // 100
    n = len(samples) // win
    loud = np.abs(samples[: n * win].astype(np.int32)).reshape(n, win).max(axis=1) > 300
    out, start = [], None
    for i, is_loud in enumerate([*loud, True]):
        if not is_loud and start is None:
            start = i
        elif is_loud and start is not None:
            if (i - start) / 100 >= min_s:
                out.append((start / 100, i / 100))
            start = None
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("timeline")
    out = root / "doc.wav"
    report = render_report(
        DOC, out, engine="offline", max_chars=40, cache=True, cache_dir=root / "cache"
    )
    return out, root / "cache", report


def test_chunk_boundaries_match_the_decoded_parts_within_50_ms(rendered: tuple) -> None:
    out, cache_dir, report = rendered
    tl = report.timeline
    assert isinstance(tl, Timeline)
    assert len(tl.chunks) == report.chunks >= 3
    samples, rate = decode(out.read_bytes())
    assert abs(tl.duration - len(samples) / rate) < 0.05
    # the parts in chunk order, found by the keys the render used
    engine = make_engine("offline")
    the_plan = plan(
        DOC,
        SpeechParams(response_format="wav"),
        max_chars=40,
        namespace=engine.name,
        traits=engine.traits,
    )
    parts = [AudioCache(cache_dir).path(c.key) for c in the_plan.chunks]
    lengths = [len(decode(p.read_bytes())[0]) / rate for p in parts]
    assert len(lengths) == len(tl.chunks)
    ends = np.cumsum(lengths)
    for chunk, end in zip(tl.chunks, ends, strict=True):
        assert abs(chunk.end - end) < 0.05, (chunk, end)
    assert [c.start for c in tl.chunks[1:]] == [c.end for c in tl.chunks[:-1]]
    assert [c.source_lines for c in tl.chunks[:2]] == [(2, 3), (4, 4)]


def test_a_2s_break_is_where_the_audio_is_silent(rendered: tuple) -> None:
    out, _, report = rendered
    tl = report.timeline
    (brk,) = tl.breaks
    assert abs((brk.end - brk.start) - 2.0) < 0.01
    samples, rate = decode(out.read_bytes())
    quiet = [s for s in silences(samples, rate) if s[1] - s[0] > 1.5]
    assert len(quiet) == 1
    start, end = quiet[0]
    assert abs(start - brk.start) < 0.1, (quiet, brk)
    assert abs(end - brk.end) < 0.1, (quiet, brk)
    # engine-timed: segments are not estimates, and speech is loud inside each of them
    assert not any(s.estimated for s in tl.segments)
    for seg in tl.segments:
        a, b = int(seg.start * rate), int(seg.end * rate)
        assert np.abs(samples[a:b].astype(np.int32)).max() > 1000, seg
    assert [s.voice for s in tl.segments][-1] == "longxiaochun_v2"


def test_without_engine_marks_times_are_estimated_and_fill_the_chunk() -> None:
    segs, brks = chunk_timeline(
        parse('<speak voice="a">一二<break time="1s"/><break time="1s"/> 三四</speak>'), 10, 16
    )
    assert [(b.start, b.end) for b in brks] == [(12.0, 14.0)]
    assert [(s.start, s.end, s.text, s.estimated) for s in segs] == [
        (10, 12.0, "一二", True),
        (14.0, 16.0, "三四", True),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["你好。", "hello ", "，", " "]),
            st.integers(0, 3000).map(lambda ms: f'<break time="{ms}ms"/>'),
        ),
        max_size=8,
    ),
    st.floats(0, 100),
    st.floats(0.001, 100),
)
def test_estimates_stay_inside_the_chunk_in_order(
    parts: list[str], start: float, length: float
) -> None:
    segs, brks = chunk_timeline(
        parse("<speak>" + "".join(parts) + "</speak>"), start, start + length
    )
    spans = sorted([(s.start, s.end) for s in segs] + [(b.start, b.end) for b in brks])
    for a, b in spans:
        assert start - 1e-9 <= a <= b <= start + length + 1e-6
    for (_, b), (a, _) in itertools.pairwise(spans):
        assert b <= a + 1e-6


def test_json_vtt_and_svg_files(rendered: tuple, tmp_path: Path) -> None:
    tl = rendered[2].timeline
    data = json.loads(tl.write(tmp_path / "t.json").read_text())
    assert data["version"] == 1
    assert set(data) == {
        "version",
        "duration",
        "chunks",
        "segments",
        "breaks",
    }
    assert set(data["chunks"][0]) == {"index", "start", "end", "source_lines"}
    assert set(data["segments"][0]) == {"start", "end", "voice", "text", "estimated"}
    assert set(data["breaks"][0]) == {"start", "end"}
    vtt = tl.write(tmp_path / "t.vtt").read_text()
    assert vtt.startswith("WEBVTT\n\n")
    cues = [c for c in vtt.split("\n\n")[1:] if c.strip()]
    assert len(cues) == len(tl.segments)
    assert "00:00:00.000 --> " in cues[0]
    assert "今天天气很好" in cues[0]
    svg = ET.parse(tl.write(tmp_path / "t.svg")).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    classes = [r.get("class") for r in svg.iter(f"{ns}rect")] + [
        line.get("class") for line in svg.iter(f"{ns}line")
    ]
    assert classes.count("segment") == len(tl.segments)
    assert classes.count("break") == 1
    assert classes.count("chunk") == len(tl.chunks)
    with pytest.raises(ValueError, match=r"\.json"):
        tl.write(tmp_path / "t.txt")


def test_cli_render_writes_the_timeline(tmp_path: Path) -> None:
    src = tmp_path / "doc.ssml"
    src.write_text(DOC, encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ssmlkit",
            "render",
            str(src),
            "-o",
            str(tmp_path / "a.wav"),
            "--engine",
            "offline",
            "--no-cache",
            "--timeline",
            str(tmp_path / "a.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads((tmp_path / "a.json").read_text())
    samples, rate = decode((tmp_path / "a.wav").read_bytes())
    assert abs(data["duration"] - len(samples) / rate) < 0.05
    assert len(data["breaks"]) == 1
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "ssmlkit",
            "render",
            str(src),
            "-o",
            str(tmp_path / "b.wav"),
            "--engine",
            "offline",
            "--timeline",
            str(tmp_path / "b.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert ".json, .vtt or .svg" in bad.stderr
    assert not (tmp_path / "b.wav").exists()


def test_docstring_examples() -> None:
    assert doctest.testmod(timeline).failed == 0
    from ssmlkit import chunkmap

    assert doctest.testmod(chunkmap).failed == 0


def test_a_rerun_from_the_cache_keeps_the_engine_times_and_estimates_without_them(
    rendered: tuple, tmp_path: Path
) -> None:
    _, cache_dir, first = rendered
    again = render_report(
        DOC, tmp_path / "again.wav", engine="offline", max_chars=40, cache=True, cache_dir=cache_dir
    )
    assert again.sent == 0
    assert again.timeline.breaks == first.timeline.breaks
    assert not any(s.estimated for s in again.timeline.segments)
    for marks in (cache_dir / "parts").rglob("*.marks.json"):
        marks.unlink()
    guessed = render_report(
        DOC, tmp_path / "guess.wav", engine="offline", max_chars=40, cache=True, cache_dir=cache_dir
    )
    assert guessed.sent == 0
    assert all(s.estimated for s in guessed.timeline.segments)
    assert guessed.timeline.chunks == first.timeline.chunks
    (brk,) = guessed.timeline.breaks
    assert abs((brk.end - brk.start) - 2.0) < 1e-6

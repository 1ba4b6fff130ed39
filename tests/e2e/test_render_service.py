"""End-to-end renders against the local fake service: faults, resume, formats, secrets."""

from __future__ import annotations

import asyncio
import io
import wave
from pathlib import Path

import pytest

from ssmlkit.errors import AuthenticationError, BadRequestError, RenderError
from ssmlkit.rendering import AsyncRenderClient, CheckFailed, RenderClient, render, render_report
from tests.e2e.fake_service import FakeService, tone

KEY = "sk-secret-0123456789abcdef"
FAST = {"retry_base_delay": 0.001, "retry_max_delay": 0.01}


def _doc(n: int) -> str:
    speaks = "".join(
        f'<speak rate="1.1">第{i}段 chunk number {i} is here<break time="50ms"/></speak>'
        for i in range(n)
    )
    return speaks


@pytest.fixture
def service():
    with FakeService(api_key=KEY, slow_seconds=0.3) as svc:
        yield svc


@pytest.fixture
def env(monkeypatch, tmp_path, service):
    monkeypatch.setenv("SSMLKIT_API_KEY", KEY)
    monkeypatch.setenv("SSMLKIT_BASE_URL", service.base_url)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def _wav_frames(data: bytes) -> int:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes()


def _opts(**kw):
    # One <speak> (29 counted characters, one sentence) per chunk: two would exceed 40.
    return {"voice": "longanyang", "max_chars": 40, "sample_rate": 8000, **FAST, **kw}


def test_render_to_file_is_one_wav_of_all_chunks(env, service):
    out = env / "out.wav"
    report = render_report(_doc(6), out, **_opts())
    assert report.result == out
    assert report.chunks == 6
    assert len(service.requests) == 6
    assert all(r["enable_ssml"] is True and "stream" not in r for r in service.requests)
    assert [r["response_format"] for r in service.requests] == ["wav"] * 6
    expected = sum(8000 * 5 * len(r["input"]) // 1000 for r in service.requests)
    assert _wav_frames(out.read_bytes()) == expected
    assert report.duration == pytest.approx(expected / 8000)
    # The parts are joined in document order, whatever order the requests ran in.
    by_order = sorted(service.requests, key=lambda r: int(r["input"].split("第")[1].split("段")[0]))
    with wave.open(io.BytesIO(out.read_bytes())) as w:
        samples = w.readframes(w.getnframes())
    assert samples == b"".join(tone(r)[0] for r in by_order)


@pytest.mark.parametrize(
    "faults",
    [["429", "429-bare", "500"], ["503", "drop", "503"], ["slow", "429", "drop"]],
)
def test_faults_give_byte_identical_output(env, service, faults, tmp_path):
    clean = render(_doc(5), **_opts(format="wav", cache=False))
    service.faults.extend(faults)
    faulty = render(_doc(5), **_opts(format="wav", cache=False, timeout=5))
    assert faulty == clean
    assert len(service.requests) == 10 + sum(f != "slow" for f in faults)  # a slow reply succeeds


def test_timeout_is_retried(env, service):
    service.faults.append("slow")
    report = render_report(_doc(3), **_opts(format="wav", cache=False, timeout=0.1, concurrency=1))
    assert isinstance(report.result, bytes)
    assert _wav_frames(report.result) > 0
    assert len(service.requests) == report.chunks + 1


def test_failed_run_leaves_no_output_and_rerun_sends_only_the_rest(env, service):
    out = env / "book.wav"
    service.fail_when = lambda body: "第3段" in body["input"]
    with pytest.raises(BadRequestError) as info:
        render(_doc(6), out, **_opts(concurrency=1))
    message = str(info.value)
    assert "chunk 4 of 6" in message
    assert "3 of 6 chunks done" in message
    assert "line 1" in message
    assert "SSML text is not supported" in message
    assert not out.exists()
    assert not list(env.glob(".book.wav.*"))
    first = len(service.requests)
    assert first == 4

    service.fail_when = None
    render(_doc(6), out, **_opts(concurrency=1))
    assert len(service.requests) - first == 3  # only chunks 4, 5 and 6
    reference = render(_doc(6), **_opts(format="wav", cache=False))
    assert out.read_bytes() == reference


def test_a_rerun_of_a_finished_render_sends_nothing(env, service):
    render(_doc(3), env / "a.wav", **_opts())
    sent = len(service.requests)
    report = render_report(_doc(3), env / "b.wav", **_opts())
    assert len(service.requests) == sent
    assert report.cached == 3
    assert report.sent == 0
    assert (env / "a.wav").read_bytes() == (env / "b.wav").read_bytes()


def test_bad_key_is_refused_and_never_shown(env, service, monkeypatch, capsys, caplog):
    wrong = "sk-wrong-key-that-must-not-leak"
    monkeypatch.setenv("SSMLKIT_API_KEY", wrong)
    with pytest.raises(AuthenticationError) as info:
        render(_doc(2), env / "x.wav", **_opts(concurrency=1))
    assert "key was refused" in str(info.value)
    assert info.value.status_code == 401
    captured = capsys.readouterr()
    for text in (
        str(info.value),
        repr(info.value),
        info.value.body,
        captured.out,
        captured.err,
        caplog.text,
    ):
        assert wrong not in text
        assert KEY not in text
    assert len(service.requests) == 0


def test_key_never_reaches_the_cache(env, service):
    render(_doc(2), env / "x.wav", **_opts())
    for path in (env / "cache").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()
    assert (env / "cache" / "ssmlkit").is_dir()


def test_check_first_sends_nothing(env, service):
    with pytest.raises(CheckFailed) as info:
        render('<speak rate="9">hi<prosody>x</prosody></speak>', env / "x.wav", **_opts(seed=-1))
    text = str(info.value)
    assert "seed" in text
    assert ":1:" in text
    assert "nothing was sent" in text
    assert service.requests == []


def test_missing_voice_is_a_check_failure(env, service):
    with pytest.raises(CheckFailed, match="voice"):
        render("<speak>hi</speak>", **{**_opts(), "voice": None})
    audio = render(
        '<speak voice="longxiaochun">hi</speak>', **{**_opts(format="pcm"), "voice": None}
    )
    assert len(audio) > 0
    assert service.requests[-1]["voice"] == "longxiaochun"


def test_plain_text_is_escaped_and_wrapped(env, service):
    render("Tom & Jerry <3", **_opts(format="pcm"))
    assert service.requests[-1]["input"] == "<speak>Tom &amp; Jerry &lt;3</speak>"


def test_optional_fields_only_when_set(env, service):
    render(
        "<speak>hi</speak>",
        **_opts(format="opus", bit_rate=64, seed=7, volume=60, pitch=1.2, speed=0.9),
    )
    body = service.requests[-1]
    assert body["bit_rate"] == 64
    assert (body["seed"], body["volume"], body["pitch"], body["speed"]) == (7, 60, 1.2, 0.9)
    render("<speak>ho</speak>", **_opts(format="wav"))
    assert set(service.requests[-1]) == {
        "model",
        "voice",
        "input",
        "enable_ssml",
        "response_format",
        "sample_rate",
    }


@pytest.mark.parametrize("fmt", ["mp3", "pcm", "opus"])
def test_other_formats_join(env, service, fmt):
    pytest.importorskip("lameenc")
    audio = render(_doc(4), **_opts(format=fmt, sample_rate=24000, cache=False))
    assert len(audio) > 0
    if fmt == "mp3":
        import mutagen.mp3

        assert mutagen.mp3.MP3(io.BytesIO(audio)).info.length > 0
    if fmt == "opus":
        import mutagen.oggopus

        assert mutagen.oggopus.OggOpus(io.BytesIO(audio)).info.length > 0


def test_concurrency_is_bounded(env, service):
    service.latency = 0.05
    render(_doc(12), **_opts(format="pcm", cache=False, concurrency=3))
    assert service.peak_in_flight == 3


def test_retries_run_out(env, service):
    service.faults.extend(["500"] * 10)
    with pytest.raises(RenderError, match="0 of 1 chunks done"):
        render("<speak>hi</speak>", **_opts(format="pcm", max_retries=2))
    assert len(service.requests) == 3


def test_async_client_matches_sync(env, service):
    sync = render(_doc(5), **_opts(format="wav", cache=False))

    async def main() -> bytes:
        service.faults.extend(["429", "drop", "500"])
        async with AsyncRenderClient(service.base_url, concurrency=3, **FAST) as client:
            result = await client.render(_doc(5), **_opts(format="wav", cache=False))
        assert isinstance(result, bytes)
        return result

    assert asyncio.run(main()) == sync


def test_client_reused_for_many_documents(env, service):
    with RenderClient(service.base_url, concurrency=2, **FAST) as client:
        a = client.render(_doc(2), env / "a.wav", **_opts())
        b = client.render(_doc(3), env / "b.wav", **_opts())
    assert isinstance(a, Path)
    assert _wav_frames(b.read_bytes()) > _wav_frames(a.read_bytes())

"""Real audio from the offline engine, decoded and measured as a listener would notice it."""

from __future__ import annotations

import io
import logging
import math
import struct
import wave
from pathlib import Path
from typing import Any

import pytest

from ssmlkit.errors import BadRequestError, RenderError
from ssmlkit.offline.engine import OfflineEngine


@pytest.fixture(scope="module")
def engine() -> Any:
    return OfflineEngine()


def speak(engine: Any, ssml: str, *, fmt: str = "wav", rate: int = 16000, **kw: Any) -> bytes:
    payload = {
        "model": "tongyi/cosyvoice-v3-flash",
        "voice": kw.pop("voice", "longanyang"),
        "input": ssml,
        "enable_ssml": True,
        "response_format": fmt,
        "sample_rate": rate,
        **kw,
    }
    return bytes(engine.synthesize(payload))


def decode(data: bytes) -> tuple[int, list[int]]:
    """Sample rate and samples of a mono 16-bit WAV, read with the stdlib."""
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        frames = w.readframes(w.getnframes())
        return w.getframerate(), list(struct.unpack(f"<{len(frames) // 2}h", frames))


def longest_silence(samples: list[int], rate: int, threshold: int = 300) -> float:
    best = run = 0
    for s in samples:
        run = run + 1 if abs(s) < threshold else 0
        best = max(best, run)
    return best / rate


def duration(data: bytes) -> float:
    rate, samples = decode(data)
    return len(samples) / rate


def loudness(samples: list[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))


def test_a_two_second_break_is_two_seconds_of_silence(engine: Any) -> None:
    rate, samples = decode(
        speak(engine, '<speak>Hello there.<break time="2s"/>Goodbye now.</speak>')
    )
    assert abs(longest_silence(samples, rate) - 2.0) <= 0.1
    assert loudness(samples) > 500  # there is speech around it


def test_consecutive_breaks_stop_at_ten_seconds(engine: Any) -> None:
    ssml = '<speak>One.<break time="8s"/> <break time="5s"/>Two.</speak>'
    rate, samples = decode(speak(engine, ssml, rate=8000))
    assert abs(longest_silence(samples, rate) - 10.0) <= 0.1


def test_rate_two_is_clearly_shorter_than_rate_one(engine: Any) -> None:
    text = "The quick brown fox jumps over the lazy dog, and then it runs away."
    normal = duration(speak(engine, f'<speak rate="1">{text}</speak>'))
    fast = duration(speak(engine, f'<speak rate="2">{text}</speak>'))
    slow = duration(speak(engine, f"<speak>{text}</speak>", speed=0.5))
    assert fast < 0.7 * normal
    assert slow > 1.4 * normal


def test_mandarin_text_is_spoken(engine: Any) -> None:
    rate, samples = decode(speak(engine, "<speak>你好，今天天气怎么样。</speak>"))
    assert len(samples) / rate > 0.8
    assert loudness(samples) > 500


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 24000, 44100, 48000])
def test_wav_comes_out_at_the_requested_rate(engine: Any, rate: int) -> None:
    got, samples = decode(speak(engine, "<speak>Testing.</speak>", rate=rate))
    assert got == rate
    assert 0.2 < len(samples) / rate < 3


def test_pcm_is_headerless_16_bit_samples_like_the_wav(engine: Any) -> None:
    ssml = "<speak>Same words, same length.</speak>"
    rate, samples = decode(speak(engine, ssml, rate=24000))
    pcm = speak(engine, ssml, fmt="pcm", rate=24000)
    assert pcm[:4] != b"RIFF"
    assert len(pcm) % 2 == 0
    raw = list(struct.unpack(f"<{len(pcm) // 2}h", pcm))
    # eSpeak's pitch flutter carries over between calls, so lengths differ by a few samples
    assert abs(len(raw) - len(samples)) < 0.02 * rate
    assert abs(loudness(raw) - loudness(samples)) < 0.1 * loudness(samples)


@pytest.mark.parametrize("rate", [8000, 22050, 48000])
def test_mp3_is_mpeg_audio_at_the_requested_rate(engine: Any, rate: int) -> None:
    mutagen_mp3 = pytest.importorskip("mutagen.mp3")
    data = speak(engine, "<speak>Testing mp3.</speak>", fmt="mp3", rate=rate)
    info = mutagen_mp3.MP3(io.BytesIO(data)).info
    assert info.sample_rate == rate
    assert info.channels == 1
    assert 0.3 < info.length < 3


@pytest.mark.parametrize(("rate", "encoded"), [(16000, 16000), (22050, 24000), (44100, 48000)])
def test_opus_is_ogg_opus_at_a_rate_opus_takes(engine: Any, rate: int, encoded: int) -> None:
    from mutagen.oggopus import OggOpus

    data = speak(engine, "<speak>Testing opus.</speak>", fmt="opus", rate=rate)
    assert data[:4] == b"OggS"
    assert b"OpusHead" in data[:100]
    # the input rate recorded in OpusHead (bytes 12-15 after the magic, little-endian)
    head = data.index(b"OpusHead")
    assert struct.unpack_from("<I", data, head + 12)[0] == encoded
    info = OggOpus(io.BytesIO(data)).info
    assert info.channels == 1
    wav_seconds = len(decode(speak(engine, "<speak>Testing opus.</speak>", rate=rate))[1]) / rate
    assert info.length == pytest.approx(wav_seconds, abs=0.03)


def test_an_unknown_format_is_refused_naming_the_formats_there_are(engine: Any) -> None:
    with pytest.raises(BadRequestError) as err:
        speak(engine, "<speak>x</speak>", fmt="flac")
    assert "flac" in str(err.value)
    assert "wav" in str(err.value)
    assert "opus" in str(err.value)


def test_volume_zero_is_silent_with_the_same_timing(engine: Any) -> None:
    ssml = "<speak>Quiet please.</speak>"
    _, loud = decode(speak(engine, ssml, volume=50))
    _, mute = decode(speak(engine, ssml, volume=0))
    assert abs(len(loud) - len(mute)) < 0.02 * 16000
    assert loudness(mute) == 0
    assert loudness(loud) > 500
    _, louder = decode(speak(engine, '<speak volume="100">Quiet please.</speak>'))
    assert loudness(louder) > 1.5 * loudness(loud)


def test_plain_text_input_is_read_not_parsed(engine: Any) -> None:
    payload = {"input": "<b>1 < 2</b>", "response_format": "wav", "sample_rate": 16000}
    rate, samples = decode(engine.synthesize(payload))
    assert len(samples) / rate > 0.5


def test_bad_ssml_is_a_bad_request(engine: Any) -> None:
    with pytest.raises(BadRequestError, match="SSML text is not supported"):
        speak(engine, "<speak>unclosed")


def _tone(path: Path, seconds: float, rate: int = 16000) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = (
            struct.pack("<h", round(12000 * math.sin(2 * math.pi * 440 * i / rate)))
            for i in range(round(seconds * rate))
        )
        w.writeframes(b"".join(frames))


def test_sound_event_plays_a_local_wav_file(engine: Any, tmp_path: Path) -> None:
    clip = tmp_path / "beep.wav"
    _tone(clip, 1.0)
    base = duration(speak(engine, "<speak>Before.<break time='1s'/>After.</speak>"))
    with_clip = speak(engine, f'<speak>Before.<soundEvent src="{clip.as_uri()}"/>After.</speak>')
    assert abs(duration(with_clip) - base) < 0.05  # the 1 s tone took the 1 s pause's place
    rate, samples = decode(with_clip)
    assert longest_silence(samples, rate) < 0.5  # the tone is sound, not silence


def test_sound_event_from_the_web_is_a_short_silence_and_a_warning(
    engine: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ssmlkit.offline"):
        data = speak(engine, '<speak>A<soundEvent src="https://example.com/x.wav"/>B</speak>')
    rate, samples = decode(data)
    assert abs(longest_silence(samples, rate) - 0.5) < 0.1
    assert "example.com" in caplog.text


def test_unreadable_sound_event_file_is_silence(engine: Any, tmp_path: Path) -> None:
    bad = tmp_path / "not.wav"
    bad.write_bytes(b"not a wav")
    rate, samples = decode(speak(engine, f'<speak>A<soundEvent src="{bad}"/>B</speak>'))
    assert len(samples) / rate > 0.5


def test_cmu_phonemes_sound_like_the_word(engine: Any) -> None:
    word = duration(speak(engine, "<speak>sign</speak>"))
    phones = duration(
        speak(engine, '<speak><phoneme alphabet="cmu" ph="S AY N">x</phoneme></speak>')
    )
    assert abs(phones - word) < 0.25 * word


def test_pinyin_sounds_like_the_characters(engine: Any) -> None:
    hanzi = duration(speak(engine, "<speak>你好</speak>"))
    pinyin = duration(
        speak(engine, '<speak><phoneme alphabet="py" ph="ni3 hao3">你好</phoneme></speak>')
    )
    assert abs(pinyin - hanzi) < 0.25 * hanzi


def test_same_request_same_length(engine: Any) -> None:
    ssml = "<speak>Repeatable.</speak>"
    first, second = duration(speak(engine, ssml)), duration(speak(engine, ssml))
    assert abs(first - second) < 0.02


def test_hello_example_renders_offline(engine: Any, tmp_path: Path) -> None:
    from ssmlkit.rendering import render_with

    example = Path(__file__).parents[2] / "examples" / "hello.ssml"
    out = tmp_path / "hello.wav"
    render_with(engine, example, out, cache=False)
    rate, samples = decode(out.read_bytes())
    assert rate == 22050
    assert len(samples) / rate > 2


def test_a_missing_library_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from ssmlkit.offline import _espeak

    with pytest.raises(_espeak.EngineUnavailableError, match="cannot load"):
        _espeak.ESpeak("/nonexistent/libespeak-ng.so", "/nonexistent")
    monkeypatch.setitem(__import__("sys").modules, "espeakng_loader", None)
    with pytest.raises(_espeak.EngineUnavailableError, match="pip install espeakng-loader"):
        _espeak.locate()
    assert issubclass(_espeak.EngineUnavailableError, RenderError)

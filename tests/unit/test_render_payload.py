"""Request bodies and parameter validation."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmlkit.rendering.payload import SpeechParams, cache_key, canonical_json, format_for_path


def test_minimal_body():
    body = SpeechParams(voice="longanyang", response_format="wav", sample_rate=24000).payload(
        "<speak>x</speak>"
    )
    assert body == {
        "model": "tongyi/cosyvoice-v3-flash",
        "voice": "longanyang",
        "input": "<speak>x</speak>",
        "enable_ssml": True,
        "response_format": "wav",
        "sample_rate": 24000,
    }


def test_optional_fields_and_bit_rate_only_for_opus():
    params = SpeechParams(
        voice="v", response_format="opus", bit_rate=48, seed=3, volume=0, pitch=0.5, speed=2.0
    )
    body = params.payload("t")
    assert (body["bit_rate"], body["seed"], body["volume"], body["pitch"], body["speed"]) == (
        48,
        3,
        0,
        0.5,
        2.0,
    )
    assert "stream" not in body
    assert params.problems() == []
    assert "bit_rate" not in SpeechParams(voice="v", response_format="mp3").payload("t")
    assert SpeechParams(voice="v").payload("t", voice="w")["voice"] == "w"


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"response_format": "flac"}, "format"),
        ({"sample_rate": 44000}, "sample_rate"),
        ({"sample_rate": True}, "sample_rate"),
        ({"bit_rate": 5, "response_format": "opus"}, "bit_rate"),
        ({"bit_rate": 64}, "only applies"),
        ({"seed": 65536}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"volume": 101}, "volume"),
        ({"pitch": 2.01}, "pitch"),
        ({"speed": float("nan")}, "speed"),
        ({"speed": 0.49}, "speed"),
        ({"model": ""}, "model"),
        ({"voice": " "}, "voice"),
    ],
)
def test_problems(kwargs, word):
    problems = SpeechParams(**kwargs).problems()
    assert len(problems) == 1
    assert word in problems[0]


def test_all_problems_at_once():
    assert len(SpeechParams(seed=-1, volume=-1, pitch=9, speed=9).problems()) == 4


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "input"]), st.text(max_size=5)))
def test_canonical_json_is_order_independent(body):
    reordered = dict(reversed(list(body.items())))
    assert canonical_json(body) == canonical_json(reordered)
    assert json.loads(canonical_json(body)) == body
    assert cache_key(body) == cache_key(reordered)


def test_cache_key_depends_on_every_field_and_namespace():
    base = SpeechParams(voice="v").payload("x")
    keys = {
        cache_key(base),
        cache_key({**base, "seed": 1}),
        cache_key({**base, "input": "y"}),
        cache_key(base, namespace="n"),
    }
    assert len(keys) == 4


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.mp3", "mp3"),
        ("A.WAV", "wav"),
        ("x.pcm", "pcm"),
        ("b.opus", "opus"),
        ("c.ogg", "opus"),
        ("d.flac", None),
    ],
)
def test_format_for_path(name, fmt):
    assert format_for_path(name) == fmt

"""The engine registry and what engines declare (ssmlkit.rendering.engines, EngineTraits)."""

from __future__ import annotations

import doctest

from hypothesis import given
from hypothesis import strategies as st

import ssmlkit.offline.engine as offline_engine
from ssmlkit.engine import Engine, EngineTraits
from ssmlkit.model import Document, Speak, Text
from ssmlkit.offline import OfflineEngine
from ssmlkit.profiles.voices import VOICES, language_of
from ssmlkit.rendering import RenderClient
from ssmlkit.rendering.engines import make_engine, open_engine
from tests.e2e.fake_service import FakeService


def test_offline_engine_examples() -> None:
    assert doctest.testmod(offline_engine).failed == 0


def test_the_two_engines_declare_their_traits() -> None:
    offline = OfflineEngine()
    assert isinstance(offline, Engine)
    assert offline.traits.needs_voice is False
    assert offline.traits.max_concurrency == 1
    assert offline.traits.formats == ("wav", "pcm", "mp3", "opus")  # opus: through soundfile
    assert offline.traits.billed is False  # so its audio is not cached unless asked
    with RenderClient("http://127.0.0.1:9/v1", "k", concurrency=3) as client:
        assert isinstance(client, Engine)
        assert client.traits == EngineTraits(max_concurrency=3)


def test_make_engine_by_name() -> None:
    assert isinstance(make_engine("offline"), OfflineEngine)
    with make_engine("http", base_url="http://127.0.0.1:9/v1") as client:  # type: ignore[attr-defined]
        assert client.base_url == "http://127.0.0.1:9/v1"


def test_an_engine_object_passes_through_open_engine_unclosed() -> None:
    with FakeService(api_key="k") as svc, RenderClient(svc.base_url, "k") as client:
        with open_engine(client) as chosen:
            assert chosen is client
        # still open: the caller made it, the caller closes it
        body = {"model": "m", "voice": "v", "input": "<speak>x</speak>", "enable_ssml": True}
        assert client.synthesize({**body, "response_format": "wav", "sample_rate": 8000})


def _doc(text: str) -> Document:
    return Document((Speak(children=(Text(text),)),))


@given(st.text(alphabet=st.characters(categories=("Lu", "Ll"), max_codepoint=0x7A), min_size=1))
def test_latin_text_gets_an_english_voice(text: str) -> None:
    voice = offline_engine.voice_for_text(_doc(text))
    assert voice in VOICES
    assert language_of(voice) == "en"


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1))
def test_han_text_gets_a_mandarin_voice(text: str) -> None:
    assert language_of(offline_engine.voice_for_text(_doc(text))) == "cmn"


@given(st.text())
def test_any_text_gets_a_catalogue_voice(text: str) -> None:
    assert offline_engine.voice_for_text(_doc(text)) in VOICES

"""Every file in examples/ parses, is valid for the dialect, and every script runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ssmlkit.builder import document
from ssmlkit.model import Document, Phoneme, Speak
from ssmlkit.parse import parse
from ssmlkit.schema import validate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SSML_FILES = sorted(EXAMPLES.glob("*.ssml"))
# Scripts that build SSML and print it; the others (rendering) run in test_examples_run.py.
SCRIPTS = sorted(EXAMPLES.glob("build_*.py"))


def check_valid(text: str) -> Document:
    doc = parse(text)
    assert doc.speaks, "no <speak>"
    # document() re-runs every builder check on parsed nodes: ranges, pinyin counts, nesting...
    assert document(*doc.items) == doc
    assert [issue.message for issue in validate(doc)] == []
    return doc


def test_the_expected_examples_exist():
    names = {p.name for p in SSML_FILES} | {p.name for p in SCRIPTS}
    assert {
        "hello.ssml",
        "chinese_pinyin.ssml",
        "english_cmu_say_as.ssml",
        "multi_voice.ssml",
        "build_customer_service.py",
    } <= names


@pytest.mark.parametrize("path", SSML_FILES, ids=lambda p: p.name)
def test_ssml_example_is_valid(path):
    check_valid(path.read_text(encoding="utf-8"))


def test_pinyin_example_uses_pinyin():
    doc = parse((EXAMPLES / "chinese_pinyin.ssml").read_text(encoding="utf-8"))
    readings = [n for n, _ in doc.walk() if isinstance(n, Phoneme)]
    assert len(readings) >= 5
    assert {n.alphabet for n in readings} == {"py"}


def test_multi_voice_example_has_sibling_speaks_with_their_own_voices():
    doc = parse((EXAMPLES / "multi_voice.ssml").read_text(encoding="utf-8"))
    voices = [s.voice for s in doc.speaks]
    assert len(voices) >= 3
    assert None not in voices
    assert len(set(voices)) == len(voices)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_script_runs_and_prints_valid_ssml(path):
    done = subprocess.run([sys.executable, str(path)], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    doc = check_valid(done.stdout.decode("utf-8"))
    assert all(isinstance(s, Speak) for s in doc.speaks)


def test_customer_service_script_writes_a_file(tmp_path):
    out = tmp_path / "cs.ssml"
    script = EXAMPLES / "build_customer_service.py"
    done = subprocess.run(
        [sys.executable, str(script), "-o", str(out)], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout == b""
    doc = check_valid(out.read_text(encoding="utf-8"))
    assert len(doc.speaks) == 3
    assert "400-810-8888" in doc.text

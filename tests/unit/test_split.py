"""Examples for the splitter (issue 4) and the ``ssmlkit split`` command."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from ssmlkit.cli.split import split_command
from ssmlkit.errors import ParseError, SplitError
from ssmlkit.measure import measure
from ssmlkit.model import Break, Comment, Document, Speak, Sub, Text
from ssmlkit.parse import parse
from ssmlkit.serialize import serialize
from ssmlkit.splitter import BGM_RESTARTS, OUTSIDE_SPEAK, split, split_with_warnings


def texts(chunks: list[Document]) -> list[str]:
    return ["".join(s.text for s in c.speaks) for c in chunks]


def test_a_document_that_fits_comes_back_unchanged() -> None:
    doc = parse('<speak voice="a">你好</speak>\n<speak voice="b">hi</speak>')
    chunks = split(doc, max_chars=100)
    assert len(chunks) == 1
    assert chunks[0] is doc


def test_text_input_is_parsed() -> None:
    assert split("<speak>a b</speak>") == [parse("<speak>a b</speak>")]


def test_malformed_input_raises_parse_error() -> None:
    with pytest.raises(ParseError):
        split("<speak>unclosed")


@pytest.mark.parametrize(("max_chars", "target"), [(0, None), (10, 11), (10, 0)])
def test_bad_limits_are_refused(max_chars: int, target: int | None) -> None:
    with pytest.raises(ValueError, match="chars"):
        split("<speak>x</speak>", max_chars=max_chars, target_chars=target)


def test_sentence_end_beats_a_later_space() -> None:
    # Both a sentence end and word spaces fall in the window; the sentence end wins.
    src = "<speak>One two three. Four five six seven eight nine</speak>"
    chunks = split(src, max_chars=30)
    assert texts(chunks) == ["One two three. ", "Four five six seven eight nine"]


def test_break_beats_punctuation() -> None:
    src = '<speak>一二三，四五<break time="1s"/>六七，八九十。</speak>'
    chunks = split(src, max_chars=16)
    assert serialize(chunks[0]) == '<speak>一二三，四五<break time="1s"/></speak>'


def test_chinese_punctuation_and_closing_quotes_stay_left() -> None:
    src = "<speak>他说：“走吧！”我们就走了。然后天黑了。</speak>"
    chunks = split(src, max_chars=16)
    assert texts(chunks)[0] == "他说：“走吧！”"
    assert "".join(texts(chunks)) == "他说：“走吧！”我们就走了。然后天黑了。"


def test_long_han_run_is_cut_between_characters_into_the_fewest_chunks() -> None:
    text = "中" * 101  # 202 counted characters
    chunks = split(f"<speak>{text}</speak>", max_chars=50)
    assert len(chunks) == math.ceil(202 / 50)
    assert all(measure(c) <= 50 for c in chunks)
    assert "".join(texts(chunks)) == text


def test_a_number_stays_with_its_unit() -> None:
    src = "<speak>aaaa bbbb 5 kg cccc</speak>"
    for limit in range(9, 14):
        for chunk in texts(split(src, max_chars=limit)):
            assert not chunk.endswith("5 ")
            assert not chunk.startswith("kg")


def test_no_break_space_is_not_a_cut_point() -> None:
    src = "<speak>aaaaa 10\u00a0km bbbbb</speak>"
    assert texts(split(src, max_chars=11)) == ["aaaaa ", "10\u00a0km bbbbb"]


def test_emoji_sequences_are_never_cut() -> None:
    family = "👨\u200d👩\u200d👧"
    src = f"<speak>{family}{family}{family}</speak>"
    chunks = split(src, max_chars=5)
    assert texts(chunks) == [family, family, family]


def test_flags_stay_in_pairs_and_modifiers_stay_attached() -> None:
    src = "<speak>中🇨🇳🇺🇸中👍🏽中e\u0301中</speak>"
    for limit in range(4, 12):
        for chunk in texts(split(src, max_chars=limit)):
            assert not chunk.startswith(("\U0001f3fd", "\u0301"))
            assert sum(1 for ch in chunk if "\U0001f1e6" <= ch <= "\U0001f1ff") % 2 == 0


def test_a_latin_word_over_the_limit_is_an_error_with_its_position() -> None:
    src = "<speak>ok\nsome incomprehensibilities here</speak>"
    with pytest.raises(SplitError) as info:
        split(src, max_chars=10)
    assert info.value.size == len("incomprehensibilities")
    assert info.value.limit == 10
    assert info.value.span is not None
    assert (info.value.span.line, info.value.span.column) == (2, 6)


def test_an_element_over_the_limit_is_an_error_naming_it() -> None:
    src = '<speak>短句。\n  <sub alias="x">很长很长很长的内容</sub>。</speak>'
    with pytest.raises(SplitError, match="<sub>") as info:
        split(src, max_chars=10)
    assert info.value.span is not None
    assert (info.value.span.line, info.value.span.column) == (2, 3)


def test_elements_are_kept_whole_and_in_order() -> None:
    src = (
        '<speak>前<phoneme alphabet="py" ph="dian3">典</phoneme>后，'
        '<say-as interpret-as="digits">123</say-as>。<soundEvent src="https://a/b.wav?x=1&amp;y=2"/>'
        '再<sub alias="W3C">万维网</sub>。</speak>'
    )
    chunks = split(src, max_chars=8)
    joined = "".join(
        serialize(c.speaks[0]).removeprefix("<speak>").removesuffix("</speak>") for c in chunks
    )
    assert joined == src.removeprefix("<speak>").removesuffix("</speak>")


def test_entities_stay_escaped() -> None:
    src = "<speak>Tom &amp; Jerry. 1 &lt; 2 is true. A &gt; b</speak>"
    chunks = split(src, max_chars=14)
    out = [serialize(c) for c in chunks]
    assert "".join(out).count("&amp;") == 1
    assert "".join(out).count("&lt;") == 1
    assert all(parse(s) == c for s, c in zip(out, chunks, strict=True))


def test_every_chunk_carries_the_speak_attributes() -> None:
    attrs = (
        ' voice="longxiaochun_v2" rate="1.2" pitch="0.9" volume="80" effect="eq"'
        ' effectValue="1 1 1 1 1 1 1 1"'
    )
    chunks = split(f"<speak{attrs}>" + "第一句。" * 20 + "</speak>", max_chars=30)
    assert len(chunks) > 1
    for chunk in chunks:
        assert serialize(chunk).startswith(f"<speak{attrs}>")


def test_speaks_with_different_voices_never_share_a_chunk() -> None:
    src = (
        '<speak voice="a">一。</speak><speak voice="b">二。</speak><speak voice="a">三。'
        + "四" * 20
        + "</speak>"
    )
    chunks = split(src, max_chars=30)
    assert [c.speaks[0].voice for c in chunks] == ["a", "b", "a", "a"]


def test_small_neighbours_with_identical_attributes_share_a_chunk() -> None:
    src = (
        '<speak rate="1.1">一。</speak>\n<speak rate="1.1">二。</speak><speak rate="1.1">'
        + "三" * 20
        + "</speak>"
    )
    chunks = split(src, max_chars=30)
    assert texts(chunks)[0].startswith("一。二。")
    assert len(chunks[0].speaks) == 1


def test_speaks_that_would_glue_words_are_not_merged() -> None:
    src = "<speak>Hello</speak><speak>world</speak>"
    assert texts(split(src, max_chars=8)) == ["Hello", "world"]


def test_comments_stay_in_place() -> None:
    doc = Document(
        (
            Comment(" intro "),
            Speak(children=(Text("一二三。"), Comment("mid"), Text("四五六。七八九。"))),
        )
    )
    chunks = split(doc, max_chars=10)
    assert chunks[0].items[0] == Comment(" intro ")
    assert Comment("mid") in chunks[1].speaks[0].children


def test_target_chars_fills_toward_the_target() -> None:
    src = "<speak>" + "一句话。" * 50 + "</speak>"  # 350 counted characters
    chunks = split(src, max_chars=200, target_chars=70)
    assert len(chunks) == 5
    assert all(measure(c) <= 70 for c in chunks)


def test_target_may_be_exceeded_up_to_the_maximum_for_a_big_unit() -> None:
    src = "<speak>ab " + "x" * 30 + " cd</speak>"
    chunks = split(src, max_chars=40, target_chars=10)
    assert "x" * 30 in "".join(texts(chunks))
    assert all(measure(c) <= 40 for c in chunks)


def test_no_tiny_last_chunk() -> None:
    src = "<speak>" + "这是一句话。" * 11 + "</speak>"  # 121: a greedy split would leave 1
    chunks = split(src, max_chars=60)
    assert len(chunks) == 3
    assert min(measure(c) for c in chunks) >= 33


def test_bgm_warning_when_a_bgm_speak_is_cut() -> None:
    src = '<speak bgm="https://a/m.wav">' + "一二三。" * 10 + "</speak>"
    chunks, warnings = split_with_warnings(src, max_chars=30)
    assert len(chunks) > 1
    assert [w.code for w in warnings] == [BGM_RESTARTS]
    assert warnings[0].span is not None
    assert warnings[0].span.column == 1


def test_no_bgm_warning_when_cut_only_between_speaks() -> None:
    one = '<speak bgm="https://a/m.wav">' + "一" * 10 + "。</speak>"
    _, warnings = split_with_warnings(one + "\n" + one, max_chars=25)
    assert warnings == []


def test_text_outside_speak_is_wrapped_with_a_warning() -> None:
    chunks, warnings = split_with_warnings("<speak>一二三。</speak>四五六。", max_chars=8)
    assert texts(chunks) == ["一二三。", "四五六。"]
    assert chunks[1].speaks[0].attrs == ()
    assert [w.code for w in warnings] == [OUTSIDE_SPEAK]


def test_whitespace_at_a_cut_is_kept() -> None:
    src = "<speak>alpha beta\n\tgamma delta</speak>"
    chunks = split(src, max_chars=12)
    assert "".join(texts(chunks)) == "alpha beta\n\tgamma delta"


def test_built_documents_split_like_parsed_ones() -> None:
    built = Document(
        (
            Speak(
                children=(
                    Text("一二三。"),
                    Break(),
                    Sub(attrs=(("alias", "x"),), children=(Text("四"),)),
                    Text("五六。"),
                )
            ),
        )
    )
    assert split(built, max_chars=8) == split(serialize(built), max_chars=8)


def test_ten_thousand_sentences_split_fast_and_within_limit() -> None:
    src = "<speak>" + "这是一个很普通的句子，没有什么特别的。" * 10000 + "</speak>"
    chunks = split(src)
    assert all(measure(c) <= 20000 for c in chunks)
    assert len(chunks) <= math.ceil(measure(src) / 20000) + 1


# -- the command ---------------------------------------------------------------------------------


@pytest.fixture
def long_file(tmp_path):
    path = tmp_path / "in.ssml"
    path.write_text(
        '<speak voice="a" bgm="https://a/m.wav">' + "一二三。" * 10 + "</speak>", "utf-8"
    )
    return path


def test_cli_json(long_file) -> None:
    result = CliRunner().invoke(
        split_command, [str(long_file), "--max-chars", "30", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert len(payload["chunks"]) > 1
    for chunk in payload["chunks"]:
        assert chunk["chars"] == measure(chunk["ssml"]) <= 30
        assert chunk["ssml"].startswith('<speak voice="a"')
    assert BGM_RESTARTS in result.stderr


def test_cli_ssml_separates_chunks_by_blank_lines(long_file) -> None:
    result = CliRunner().invoke(split_command, [str(long_file), "--max-chars", "30"])
    assert result.exit_code == 0
    parts = result.stdout.strip().split("\n\n")
    assert len(parts) > 1
    assert all(parse(p).speaks for p in parts)


def test_cli_out_dir_writes_numbered_files_and_removes_stale_ones(long_file, tmp_path) -> None:
    out = tmp_path / "chunks"
    out.mkdir()
    (out / "chunk-0099.ssml").write_text("stale", "utf-8")
    (out / "notes.txt").write_text("keep", "utf-8")
    result = CliRunner().invoke(
        split_command, [str(long_file), "--max-chars", "30", "--out-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "notes.txt" in names
    assert "chunk-0099.ssml" not in names
    chunk_files = [n for n in names if n.startswith("chunk-")]
    assert chunk_files[0] == "chunk-0001.ssml"
    joined = "".join(parse((out / n).read_bytes()).speaks[0].text for n in chunk_files)
    assert joined == "一二三。" * 10


def test_cli_reports_split_errors_with_position(tmp_path) -> None:
    path = tmp_path / "big.ssml"
    path.write_text("<speak>\n" + "x" * 50 + "</speak>", "utf-8")
    result = CliRunner().invoke(split_command, [str(path), "--max-chars", "20"])
    assert result.exit_code == 1
    assert f"{path}:2:1:" in result.stderr


def test_cli_rejects_target_over_max(long_file) -> None:
    result = CliRunner().invoke(
        split_command, [str(long_file), "--max-chars", "10", "--target-chars", "20"]
    )
    assert result.exit_code == 2

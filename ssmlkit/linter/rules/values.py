"""Values rules (VA): attribute values of ``<speak>`` and ``<soundEvent>`` within the dialect's ranges.

The vendor documents the ranges (``rate``/``pitch`` 0.5-2, ``volume`` 0-100, seven effects, ...)
but not what the service does with a value outside them, so every such value is an error: what
passes the linter must not fail at the service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Edit, Fix, Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule, RuleOptions
from ssmlkit.model import Element, SoundEvent, Span, Speak
from ssmlkit.phonetics import closest
from ssmlkit.profiles import cosyvoice
from ssmlkit.profiles.values import DECIMAL as _DECIMAL
from ssmlkit.profiles.values import INTEGER as _INTEGER
from ssmlkit.profiles.values import MAX_FILTER_HZ, decimal_within, small_int

_W3C_RATE_WORDS = {"x-slow", "slow", "medium", "fast", "x-fast", "default"}
_W3C_PITCH_WORDS = {"x-low", "low", "medium", "high", "x-high", "default"}
_W3C_VOLUME_WORDS = {"silent", "x-soft", "soft", "medium", "loud", "x-loud", "default"}


def value_where(el: Element, attribute: str) -> Span | Element:
    """Where a finding about ``attribute``'s value points: the value inside its quotes if known."""
    return el.attr_span(attribute, value=True) or el.attr_span(attribute) or el


def value_is_raw(ctx: LintContext, el: Element, attribute: str) -> bool:
    """Whether the value of ``attribute`` is written without references (so offsets map 1:1)."""
    span = el.attr_span(attribute, value=True)
    return span is not None and ctx.raw(span) == (el.get(attribute) or "")


def _quote(value: str) -> str:
    return '"' + value + '"'


def _did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return f"; did you mean {quoted[0]}?"
    return f"; did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


def _trim_fix(el: Element, attribute: str, value: str, ctx: LintContext) -> Fix | None:
    """A safe fix removing whitespace around a value, when the trimmed value is written raw."""
    span = el.attr_span(attribute, value=True)
    if span is None or not value_is_raw(ctx, el, attribute) or value.strip() == value:
        return None
    return LintContext.replace(span, value.strip(), "remove the spaces around the value")


@register
class ProsodyMultiplierOutOfRange(Rule):
    """``<speak rate>`` or ``<speak pitch>`` is not a decimal multiplier in [0.5, 2].

    CosyVoice reads both as multipliers of the voice's normal speed and pitch: ``1`` is the
    default, ``0.5`` half, ``2`` double. The vendor's own examples still use the legacy NLS scale
    (integers -500 to 500, e.g. ``rate="200"``), which is not valid here: such values are called
    out as legacy. W3C keywords (``fast``) and percentages (``150%``) are not accepted either.

    Examples::

        pass: <speak rate="1.2" pitch="0.8">你好</speak>
        pass: <speak rate="2" pitch=".5">你好</speak>
        fail: <speak rate="200">你好</speak>  # 1:14
        fail: <speak rate="1" pitch="-100">你好</speak>  # 1:24
        fail: <speak rate="2.5">hi</speak>  # 1:14
        fail: <speak pitch="fast">hi</speak>  # 1:15
        fail: <speak rate=" 1.5">hi</speak>  # 1:14
        fix: <speak rate="1.5">hi</speak>
    """

    code = "VA001"
    name = "prosody-multiplier-out-of-range"
    summary = "speak rate/pitch must be a decimal multiplier 0.5-2 (default 1)"
    severity = Severity.ERROR
    targets = ("speak",)
    needs = Needs(attributes={"rate", "pitch"}, depends_on="start-tag")
    fix_safety = "safe"

    def visit(self, node: Speak, ctx: LintContext) -> None:
        for attribute, words in (("rate", _W3C_RATE_WORDS), ("pitch", _W3C_PITCH_WORDS)):
            value = node.get(attribute)
            if value is None or not value.strip():
                continue  # absent, or empty (VA010)
            message = _check_multiplier(attribute, value, words)
            if message is not None:
                ctx.report(
                    value_where(node, attribute),
                    message,
                    fix=_trim_fix(node, attribute, value, ctx)
                    if _check_multiplier(attribute, value.strip(), words) is None
                    else None,
                )


_NO_ATTRIBUTES: frozenset[str] = frozenset()


def _check_multiplier(attribute: str, value: str, words: set[str]) -> str | None:
    lo, hi = cosyvoice.RATE_RANGE if attribute == "rate" else cosyvoice.PITCH_RANGE
    # The usual value ("1.2") first, before any message is built.
    if _DECIMAL.fullmatch(value) is not None and decimal_within(value, lo, hi):
        return None
    tail = f"CosyVoice uses a multiplier {lo:g}-{hi:g}, default 1"
    shown = f"{attribute}={_quote(value)}"
    if value.strip() != value:
        return f"{shown} has spaces around the number; write {attribute}={_quote(value.strip())}"
    if not _DECIMAL.fullmatch(value):
        if value.lower() in words:
            return f"{shown} is a W3C SSML keyword, not supported by CosyVoice; {tail}"
        if value.endswith("%"):
            return (
                f"{shown} is a W3C SSML percentage, not supported by CosyVoice; {tail} (e.g. 1.5)"
            )
        return f"{shown} is not a decimal number; {tail}"
    if decimal_within(value, lo, hi):
        return None
    legacy_lo, legacy_hi = cosyvoice.LEGACY_PROSODY_RANGE
    if _INTEGER.fullmatch(value) and legacy_lo <= int(value) <= legacy_hi:
        return (
            f"{shown} looks like the legacy NLS scale ({legacy_lo}...{legacy_hi}); "
            f"{tail}: outside [{lo:g}, {hi:g}] the service may fail"
        )
    return f"{shown} is outside [{lo:g}, {hi:g}]; {tail}"


@register
class VolumeOutOfRange(Rule):
    """``<speak volume>`` is not an integer in [0, 100].

    The default is 50; 0 is silence. Decimals, W3C keywords (``loud``) and decibel values
    (``+6dB``) are not accepted.

    Examples::

        pass: <speak volume="80">你好</speak>
        pass: <speak volume="0">你好</speak>
        fail: <speak volume="150">你好</speak>  # 1:16
        fail: <speak volume="50.5">你好</speak>  # 1:16
        fail: <speak volume="loud">hi</speak>  # 1:16
    """

    code = "VA002"
    name = "volume-out-of-range"
    summary = "speak volume must be an integer 0-100 (default 50)"
    severity = Severity.ERROR
    targets = ("speak",)
    needs = Needs(attributes={"volume"}, depends_on="start-tag")

    def visit(self, node: Speak, ctx: LintContext) -> None:
        value = node.get("volume")
        if value is None or not value.strip():
            return
        message = _check_percent_integer("volume", value, cosyvoice.VOLUME_RANGE, "default 50")
        if message is not None:
            if value.lower() in _W3C_VOLUME_WORDS or value.lower().endswith("db"):
                message = f"volume={_quote(value)} is W3C SSML, not supported by CosyVoice; " + (
                    "use an integer 0-100 (default 50)"
                )
            ctx.report(value_where(node, "volume"), message)


def _check_percent_integer(
    attribute: str, value: str, bounds: tuple[int, int], note: str
) -> str | None:
    lo, hi = bounds
    # The usual case first, without building the message: a plain number of up to 12 digits is
    # what _INTEGER matches and small_int reads exactly.
    if len(value) <= 12 and value.isdigit() and value.isascii() and lo <= int(value) <= hi:
        return None
    shown = f"{attribute}={_quote(value)}"
    if not _INTEGER.fullmatch(value):
        return f"{shown} is not an integer; use a whole number {lo}-{hi} ({note})"
    if lo <= small_int(value) <= hi:
        return None
    return f"{shown} is outside [{lo}, {hi}]; use a whole number {lo}-{hi} ({note})"


@register
class UnknownEffect(Rule):
    """``<speak effect>`` is not one of the seven effects.

    The effects are ``robot``, ``lolita``, ``lowpass``, ``echo``, ``eq``, ``lpfilter`` and
    ``hpfilter`` (written in lower case; only one effect per ``<speak>``).

    Examples::

        pass: <speak effect="robot">你好</speak>
        fail: <speak effect="robt">你好</speak>  # 1:16
        fail: <speak effect="Echo">你好</speak>  # 1:16
        fail: <speak effect="robot echo">你好</speak>  # 1:16
    """

    code = "VA003"
    name = "unknown-effect"
    summary = "speak effect must be one of robot, lolita, lowpass, echo, eq, lpfilter, hpfilter"
    severity = Severity.ERROR
    targets = ("speak",)
    needs = Needs(attributes={"effect"}, depends_on="start-tag")

    def visit(self, node: Speak, ctx: LintContext) -> None:
        value = node.get("effect")
        if value is None or not value.strip() or value in cosyvoice.EFFECTS:
            return
        words = value.split()
        if len(words) > 1 and all(w in cosyvoice.EFFECTS for w in words):
            message = f"effect={_quote(value)}: a <speak> takes only one effect"
        else:
            low = value.strip().lower()
            hits = [low] if low in cosyvoice.EFFECTS else closest(low, cosyvoice.EFFECTS)
            message = (
                f"effect={_quote(value)} is not a CosyVoice effect"
                + (_did_you_mean(hits) if hits else "")
                + ("" if hits else "; use one of " + ", ".join(cosyvoice.EFFECTS))
            )
        ctx.report(value_where(node, "effect"), message)


@dataclass(init=False, repr=False, eq=False)
class EffectValueOptions(RuleOptions):
    """Options of :class:`InvalidEffectValue`.

    ``max-cutoff-hz`` is the largest ``lpfilter``/``hpfilter`` cutoff accepted. The service's
    bound is half the request's sample rate, which the linter does not know; the default allows
    the largest sample rate (48 kHz / 2). Set it to 11025 when you render at the default 22050 Hz.
    """

    max_cutoff_hz: int = MAX_FILTER_HZ


@register
class InvalidEffectValue(Rule):
    """``effectValue`` is missing or malformed for ``eq``, ``lpfilter`` or ``hpfilter``.

    ``eq`` takes exactly 8 integer gains in [-20, 20], separated by single spaces, for the bands
    40, 100, 200, 400, 800, 1600, 4000 and 12000 Hz (0 leaves a band unchanged).
    ``lpfilter`` and ``hpfilter`` take one integer cutoff frequency in Hz, above 0 and at most half
    the sample rate: the option ``max-cutoff-hz`` (default 24000, for 48 kHz) sets the bound.

    Examples::

        pass: <speak effect="eq" effectValue="1 -20 1 1 1 1 20 1">你好</speak>
        pass: <speak effect="lpfilter" effectValue="1200">你好</speak>
        fail: <speak effect="eq">你好</speak>  # 1:8
        fail: <speak effect="eq" effectValue="1 1 1 1 1 1 1">你好</speak>  # 1:33
        fail: <speak effect="eq" effectValue="1 1 1 1 1 1 1 30">你好</speak>  # 1:33
        fail: <speak effect="hpfilter" effectValue="0">你好</speak>  # 1:39
        fail: <speak effect="lpfilter" effectValue="1.5k">你好</speak>  # 1:39
        fail: <speak effect="eq" effectValue="1  1 1 1 1 1 1 1">你好</speak>  # 1:33
        fix: <speak effect="eq" effectValue="1 1 1 1 1 1 1 1">你好</speak>
    """

    code = "VA004"
    name = "invalid-effect-value"
    summary = "effectValue must be 8 gains -20..20 for eq, or a cutoff in Hz for lpfilter/hpfilter"
    severity = Severity.ERROR
    targets = ("speak",)
    needs = Needs(attributes={"effect"}, depends_on="start-tag")
    fix_safety = "safe"
    Options = EffectValueOptions

    def visit(self, node: Speak, ctx: LintContext) -> None:
        effect = node.get("effect")
        if effect not in cosyvoice.EFFECTS_WITH_VALUE:
            return
        value = node.get("effectValue")
        if value is None:
            what = (
                '8 gains in dB (e.g. effectValue="0 0 0 0 0 0 0 0")'
                if effect == "eq"
                else 'a cutoff frequency in Hz (e.g. effectValue="1200")'
            )
            ctx.report(
                node.attr_span("effect") or node,
                f"effect={_quote(effect)} needs an effectValue: {what}",
            )
            return
        if not value.strip():
            return  # empty (VA010)
        if effect == "eq":
            self._check_eq(node, value, ctx)
        else:
            self._check_cutoff(node, effect, value, ctx)

    def _check_eq(self, node: Speak, value: str, ctx: LintContext) -> None:
        gains = value.split()
        lo, hi = cosyvoice.EQ_GAIN_RANGE
        bands = len(cosyvoice.EQ_BANDS_HZ)
        where = value_where(node, "effectValue")
        bad = [g for g in gains if not _INTEGER.fullmatch(g)]
        if bad:
            ctx.report(
                where,
                f'effect="eq" gains must be integers {lo}..{hi}; {bad[0]!r} is not an integer',
            )
            return
        if len(gains) != bands:
            hz = ", ".join(str(b) for b in cosyvoice.EQ_BANDS_HZ)
            ctx.report(
                where,
                f'effect="eq" takes exactly {bands} gains (bands {hz} Hz), '
                f"but effectValue has {len(gains)}",
            )
            return
        out = [g for g in gains if not lo <= small_int(g) <= hi]
        if out:
            ctx.report(where, f'effect="eq" gain {out[0]} is outside [{lo}, {hi}] dB')
            return
        canonical = " ".join(gains)
        if canonical != value:
            span = node.attr_span("effectValue", value=True)
            fix = (
                LintContext.replace(span, canonical, "separate the gains with single spaces")
                if span is not None and value_is_raw(ctx, node, "effectValue")
                else None
            )
            ctx.report(
                where,
                'effect="eq" gains must be separated by single spaces, with none around them',
                fix=fix,
            )

    def _check_cutoff(self, node: Speak, effect: str, value: str, ctx: LintContext) -> None:
        top = self.options.max_cutoff_hz
        where = value_where(node, "effectValue")
        shown = f"effectValue={_quote(value)}"
        if not re.fullmatch(r"[0-9]+", value):
            ctx.report(
                where,
                f"{shown}: effect={_quote(effect)} takes one integer cutoff frequency in Hz "
                f"(1..{top})",
            )
            return
        hz = small_int(value)
        if hz <= 0:
            ctx.report(where, f"{shown}: the {effect} cutoff must be above 0 Hz")
        elif hz > top:
            ctx.report(
                where,
                f"{shown}: the {effect} cutoff must be at most half the sample rate "
                f"({top} Hz allowed; the default 22050 Hz rate allows 11025)",
            )


@register
class UnusedEffectValue(Rule):
    """``effectValue`` on a ``<speak>`` whose effect takes none (or that has no effect).

    Only ``eq``, ``lpfilter`` and ``hpfilter`` take an ``effectValue``. The fix removes the
    attribute; it is unsafe, because the intended effect may have been one that takes a value.

    Examples::

        pass: <speak effect="eq" effectValue="0 0 0 0 0 0 0 0">你好</speak>
        fail: <speak effect="robot" effectValue="1200">你好</speak>  # 1:23
        fix: <speak effect="robot">你好</speak>
        fail: <speak effectValue="1200">你好</speak>  # 1:8
    """

    code = "VA005"
    name = "unused-effect-value"
    summary = "effectValue is only taken by effect eq, lpfilter and hpfilter"
    severity = Severity.ERROR
    targets = ("speak",)
    needs = Needs(attributes={"effectValue"}, depends_on="start-tag")
    fix_safety = "unsafe"

    def visit(self, node: Speak, ctx: LintContext) -> None:
        if not node.has("effectValue"):
            return
        effect = node.get("effect")
        if effect in cosyvoice.EFFECTS_WITH_VALUE:
            return
        if effect is None:
            message = 'effectValue without effect: add effect="eq", "lpfilter" or "hpfilter"'
        elif effect in cosyvoice.EFFECTS:
            message = f"effect={_quote(effect)} takes no effectValue"
        else:
            return  # an unknown effect is VA003's finding
        ctx.report(
            node.attr_span("effectValue") or node,
            message,
            fix=_remove_attr(node, "effectValue", ctx),
        )


def _remove_attr(node: Element, attribute: str, ctx: LintContext) -> Fix | None:
    span = node.attr_span(attribute)
    if span is None:
        return None
    start = span.start
    while start > 0 and ctx.source[start - 1] in " \t\r\n":
        start -= 1
    return Fix(f"remove {attribute}", (Edit(start, span.end, ""),), "unsafe")


@register
class BgmVolumeWithoutBgm(Rule):
    """``backgroundMusicVolume`` on a ``<speak>`` without ``bgm``: it has nothing to act on.

    Examples::

        pass: <speak bgm="https://b.oss-cn-beijing.aliyuncs.com/m.wav" backgroundMusicVolume="30">你好</speak>
        fail: <speak backgroundMusicVolume="30">你好</speak>  # 1:8
    """

    code = "VA006"
    name = "bgm-volume-without-bgm"
    summary = "backgroundMusicVolume has no effect without bgm"
    severity = Severity.WARNING
    targets = ("speak",)
    # The attribute names alone decide: backgroundMusicVolume is there and bgm is not.
    needs = Needs(attributes={"backgroundMusicVolume"}, depends_on="shape")

    def visit(self, node: Speak, ctx: LintContext) -> None:
        if node.has("backgroundMusicVolume") and not node.has("bgm"):
            ctx.report(
                node.attr_span("backgroundMusicVolume") or node,
                "backgroundMusicVolume has no effect without bgm (the background music URL)",
            )


@register
class BgmVolumeOutOfRange(Rule):
    """``backgroundMusicVolume`` is not an integer in [0, 100].

    Model Studio gives no range; the project takes the one the vendor documents for the same
    attribute in its NLS product (integer 0-100, default 50).

    Examples::

        pass: <speak bgm="https://b.oss-cn-beijing.aliyuncs.com/m.wav" backgroundMusicVolume="100">你好</speak>
        fail: <speak bgm="https://b.oss-cn-beijing.aliyuncs.com/m.wav" backgroundMusicVolume="120">你好</speak>  # 1:81
        fail: <speak bgm="https://b.oss-cn-beijing.aliyuncs.com/m.wav" backgroundMusicVolume="0.5">你好</speak>  # 1:81
    """

    code = "VA007"
    name = "bgm-volume-out-of-range"
    summary = "backgroundMusicVolume must be an integer 0-100"
    severity = Severity.ERROR
    targets = ("speak",)
    needs = Needs(attributes={"backgroundMusicVolume"}, depends_on="start-tag")

    def visit(self, node: Speak, ctx: LintContext) -> None:
        value = node.get("backgroundMusicVolume")
        if value is None or not value.strip():
            return
        message = _check_percent_integer(
            "backgroundMusicVolume", value, cosyvoice.BGM_VOLUME_RANGE, "default 50"
        )
        if message is not None:
            ctx.report(value_where(node, "backgroundMusicVolume"), message)


def _audio_urls(node: Element) -> list[str]:
    if isinstance(node, Speak):
        return ["bgm"] if node.has("bgm") else []
    if isinstance(node, SoundEvent):
        return ["src"] if node.has("src") else []
    return []


def _host(url: str) -> str | None:
    """The host of an http(s) URL, or None when ``url`` is not one."""
    from urllib.parse import urlsplit  # only for a <soundEvent src>

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host


@register
class NonHttpAudioUrl(Rule):
    """``bgm`` or ``soundEvent src`` is not an ``http://`` or ``https://`` URL.

    The service downloads the WAV file itself, so it must be a public web address (Alibaba Cloud
    OSS with public-read access); local paths, ``file:``, ``data:`` and relative URLs cannot work.

    Examples::

        pass: <speak>马<soundEvent src="https://b.oss-cn-beijing.aliyuncs.com/horse.wav"/></speak>
        fail: <speak>马<soundEvent src="horse.wav"/></speak>  # 1:26
        fail: <speak bgm="file:///tmp/music.wav">你好</speak>  # 1:13
    """

    code = "VA008"
    name = "non-http-audio-url"
    summary = "bgm and soundEvent src must be http(s) URLs the service can download"
    severity = Severity.ERROR
    targets = ("speak", "soundEvent")
    needs = Needs(attributes={"bgm", "src"}, depends_on="start-tag")

    def visit(self, node: Element, ctx: LintContext) -> None:
        for attribute in _audio_urls(node):
            value = node.get(attribute) or ""
            if value.strip() and _host(value) is None:
                ctx.report(
                    value_where(node, attribute),
                    f"{attribute}={_quote(value)} is not an http(s) URL; the service downloads "
                    "the WAV file, so give a public http(s) URL (e.g. on Alibaba Cloud OSS)",
                )


_VENDOR_HOST_SUFFIXES = (".aliyuncs.com", ".alicdn.com")


@register
class AudioUrlNotOnOss(Rule):
    """``bgm`` or ``soundEvent src`` is not on Alibaba Cloud OSS.

    The vendor requires audio files on OSS with public-read access. Other hosts may work (the
    vendor's own example uses ``nls.alicdn.com``, which is accepted here) but are not
    documented; hosts ending in ``.aliyuncs.com`` or ``.alicdn.com`` pass.

    Examples::

        pass: <speak>马<soundEvent src="http://nls.alicdn.com/sound-event/horse-neigh.wav"/></speak>
        fail: <speak bgm="https://example.com/music.wav">你好</speak>  # 1:13
    """

    code = "VA009"
    name = "audio-url-not-on-oss"
    summary = "bgm and soundEvent src are documented on Alibaba Cloud OSS only"
    severity = Severity.INFO
    targets = ("speak", "soundEvent")
    needs = Needs(attributes={"bgm", "src"}, depends_on="start-tag")

    def visit(self, node: Element, ctx: LintContext) -> None:
        for attribute in _audio_urls(node):
            host = _host(node.get(attribute) or "")
            if host is None:
                continue  # VA008
            host = host.lower().rstrip(".")
            if not host.endswith(_VENDOR_HOST_SUFFIXES):
                ctx.report(
                    value_where(node, attribute),
                    f"{attribute} is on {host}, not on Alibaba Cloud OSS (*.aliyuncs.com); "
                    "the vendor documents only OSS files with public-read access",
                )


@register
class EmptyAttributeValue(Rule):
    """A dialect attribute with an empty (or blank) value, like ``rate=""`` or ``alias=" "``.

    Every attribute of the six elements needs a value; an empty one is at best ignored and at
    worst fails the request. Remove the attribute or give it a value.

    Examples::

        pass: <speak rate="1"><sub alias="网络协议">W3C</sub></speak>
        fail: <speak rate="">你好</speak>  # 1:8
        fail: <speak><sub alias=" ">W3C</sub></speak>  # 1:13
    """

    code = "VA010"
    name = "empty-attribute-value"
    summary = "A dialect attribute has an empty value"
    severity = Severity.ERROR
    targets = ("speak", "break", "sub", "phoneme", "say-as", "soundEvent")
    needs = Needs(depends_on="start-tag")

    def visit(self, node: Element, ctx: LintContext) -> None:
        known = None  # the element's attributes, looked up at the first empty value
        for attribute, value in node.attrs:
            if not value or value.isspace():  # not value.strip(), without making a copy
                if known is None:
                    known = cosyvoice.ELEMENT_ATTRIBUTES.get(node.name, _NO_ATTRIBUTES)
                if attribute in known:
                    self._report(node, attribute, ctx)

    @staticmethod
    def _report(node: Element, attribute: str, ctx: LintContext) -> None:
        ctx.report(
            node.attr_span(attribute) or node,
            f"{attribute} on <{node.name}> is empty; give it a value or remove it",
        )

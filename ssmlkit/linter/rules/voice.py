"""Voice rules (VO): ``<speak voice>`` against the system-voice catalogue and the target model.

The catalogue (:mod:`ssmlkit.profiles.voices`) lists each system voice with its model and whether
the vendor marks it SSML-supported. The target model is ``cosyvoice-v3-flash`` unless the rule
option ``model`` says otherwise (``[tool.ssmlkit.rules.VO004] model = "cosyvoice-v2"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Rule, RuleOptions, Shape, Visitor
from ssmlkit.linter.rules.values import SPEAK, multiplier_fine, volume_fine
from ssmlkit.model import Span, Speak
from ssmlkit.profiles import voices

__all__ = [
    "KnownVoiceOptions",
    "ModelOptions",
    "UnknownVoice",
    "VoiceModelMismatch",
    "VoiceSsmlUncertain",
    "VoiceWithoutSsml",
]


@dataclass(init=False, repr=False, eq=False)
class ModelOptions(RuleOptions):
    """``model``: the model the document is rendered with (a provider prefix is ignored)."""

    model: str = voices.V3_FLASH


@dataclass(init=False, repr=False, eq=False)
class KnownVoiceOptions(RuleOptions):
    """``voices``: ids of your cloned or designed voices, which the catalogue cannot know."""

    voices: tuple[str, ...] = ()


_UNSEEN: Any = object()


def _voice(node: Speak, ctx: LintContext) -> tuple[str, Span | Speak] | None:
    # Four rules ask for each <speak>: worked out once per node and run.
    key = ("voice", id(node))
    found: tuple[str, Span | Speak] | None = ctx.memo.get(key, _UNSEEN)
    if found is not _UNSEEN:
        return found
    value = node.get("voice")
    if value is None or not value.strip():
        found = None  # absent, or empty (VA010)
    else:
        found = value, node.attr_span("voice", value=True) or node
    ctx.memo[key] = found
    return found


#: Catalogue look-ups by voice id (and model): the catalogue is constant, ids recur. Bounded.
_ENTRIES: dict[tuple[str, str], voices.Voice | None] = {}
_MODELS: dict[str, tuple[str, ...]] = {}


def _entry(voice_id: str, model: str) -> voices.Voice | None:
    """The voice's entry for ``model`` if it has one there, else its first entry."""
    key = (voice_id, model)
    if key in _ENTRIES:
        return _ENTRIES[key]
    if len(_ENTRIES) >= 1024:
        _ENTRIES.clear()
    entry = _ENTRIES[key] = voices.get_voice(voice_id, model) or voices.get_voice(voice_id)
    return entry


def _models_of(voice_id: str) -> tuple[str, ...]:
    models = _MODELS.get(voice_id)
    if models is None:
        if len(_MODELS) >= 1024:
            _MODELS.clear()
        models = _MODELS[voice_id] = voices.models_of(voice_id)
    return models


def speak_visitor(shape: Shape, rules: Sequence[Rule]) -> Visitor | None:
    """One visit of a ``<speak>`` for the VO rules and for VA001 and VA002: each attribute is
    read once (``node.attrs[i][1]`` is what ``node.get(name)`` returns), each rule's question
    asked here, and a rule's ``visit`` run only when its answer could be a finding."""
    names = shape.attributes
    by_code = {rule.code: rule for rule in rules}
    unknown, no_ssml, uncertain, mismatch = (
        by_code.get(c) for c in ("VO001", "VO002", "VO003", "VO004")
    )
    multiplier, volume = by_code.get("VA001"), by_code.get("VA002")
    at = {name: names.index(name) for name in ("voice", "rate", "pitch", "volume") if name in names}
    i = at.get("voice", -1)
    rate, pitch, loudness = at.get("rate", -1), at.get("pitch", -1), at.get("volume", -1)
    target = None if mismatch is None else voices.normalize_model(mismatch.options.model)
    known, disputed = voices.VOICES, voices.SSML_FLAG_DISPUTED

    def visit_speak(node: Speak, ctx: LintContext) -> None:
        attrs = node.attrs
        if i >= 0:
            voice_id = attrs[i][1]
            if unknown is not None and voice_id not in known:
                ctx.rule = unknown
                unknown.visit(node, ctx)
            if no_ssml is not None:
                entry = _entry(voice_id, no_ssml.options.model)
                if entry is not None and entry.ssml is False:
                    ctx.rule = no_ssml
                    no_ssml.visit(node, ctx)
            if uncertain is not None:
                entry = _entry(voice_id, uncertain.options.model)
                if entry is not None and (
                    entry.ssml is None or (entry.ssml and voice_id in disputed)
                ):
                    ctx.rule = uncertain
                    uncertain.visit(node, ctx)
            if mismatch is not None:
                models = _models_of(voice_id)
                if models and target not in models:
                    ctx.rule = mismatch
                    mismatch.visit(node, ctx)
        if multiplier is not None and (
            (rate >= 0 and not multiplier_fine("rate", attrs[rate][1]))
            or (pitch >= 0 and not multiplier_fine("pitch", attrs[pitch][1]))
        ):
            ctx.rule = multiplier
            multiplier.visit(node, ctx)
        if volume is not None and loudness >= 0 and not volume_fine(attrs[loudness][1]):
            ctx.rule = volume
            volume.visit(node, ctx)

    return visit_speak


@register
class UnknownVoice(Rule):
    """``<speak voice>`` is not a known CosyVoice system voice.

    It may be a typo (the message suggests the nearest ids, e.g. a missing ``_v3``) or a cloned or
    designed voice, which the catalogue cannot know: list those in the option ``voices``. A
    wrong voice id fails the request with error 418.

    Examples::

        pass: <speak voice="longxiaochun_v3">你好</speak>
        fail: <speak voice="longxiaochun">你好</speak>  # 1:15
        fail: <speak voice="alloy">hello</speak>  # 1:15
    """

    code = "VO001"
    name = "unknown-voice"
    summary = "speak voice is not a known system voice"
    severity = Severity.WARNING
    targets = ("speak",)
    needs_attributes = frozenset({"voice"})
    family = SPEAK
    Options = KnownVoiceOptions

    def visit(self, node: Speak, ctx: LintContext) -> None:
        found = _voice(node, ctx)
        if found is None:
            return
        voice_id, where = found
        if voices.get_voice(voice_id) is not None or voice_id in self.options.voices:
            return
        hints = voices.suggest_voice(voice_id)
        hint = ""
        if hints:
            quoted = [f"'{h}'" for h in hints]
            hint = (
                "; did you mean "
                + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1])
                + "?"
            )
        ctx.report(
            where,
            f"voice '{voice_id}' is not a known CosyVoice system voice{hint} (for a cloned or "
            f"designed voice, add its id to the {self.code} option 'voices')",
        )


@register
class VoiceWithoutSsml(Rule):
    """``<speak voice>`` names a system voice that the vendor marks as not supporting SSML.

    The request fails with "SSML text is not supported at the moment!". Most English and other
    foreign-language ``cosyvoice-v2`` voices are such voices.

    Examples::

        pass: <speak voice="longanyang">你好</speak>
        fail: <speak voice="loongeva_v2">hello</speak>  # 1:15
    """

    code = "VO002"
    name = "voice-without-ssml"
    summary = "The voice does not support SSML"
    severity = Severity.ERROR
    targets = ("speak",)
    needs_attributes = frozenset({"voice"})
    family = SPEAK
    Options = ModelOptions

    def visit(self, node: Speak, ctx: LintContext) -> None:
        found = _voice(node, ctx)
        if found is None:
            return
        voice_id, where = found
        entry = _entry(voice_id, self.options.model)
        if entry is not None and entry.ssml is False:
            ctx.report(
                where,
                f"voice '{voice_id}' ({entry.model}) does not support SSML: the service answers "
                "'SSML text is not supported at the moment!'; choose a voice marked SSML-supported",
            )


@register
class VoiceSsmlUncertain(Rule):
    """``<speak voice>`` names a voice whose SSML support is not known for certain.

    Newer voices known only from unofficial lists have no authoritative SSML flag (warning); a
    few voices that the official list marks SSML-supported are marked unsupported elsewhere
    (info). Try the voice once; then ignore this rule for it.

    Examples::

        pass: <speak voice="longcheng_v3">你好</speak>
        fail: <speak voice="loongava_v3">hello</speak>  # 1:15
    """

    code = "VO003"
    name = "voice-ssml-support-uncertain"
    summary = "The voice's SSML support is uncertain"
    severity = Severity.WARNING
    targets = ("speak",)
    needs_attributes = frozenset({"voice"})
    family = SPEAK
    Options = ModelOptions

    def visit(self, node: Speak, ctx: LintContext) -> None:
        found = _voice(node, ctx)
        if found is None:
            return
        voice_id, where = found
        entry = _entry(voice_id, self.options.model)
        if entry is None:
            return
        if entry.ssml is None:
            ctx.report(
                where,
                f"voice '{voice_id}' appears only in unofficial voice lists, which do not say "
                "whether it supports SSML; if it does not, the request fails",
            )
        elif entry.ssml and voice_id in voices.SSML_FLAG_DISPUTED:
            ctx.report(
                where,
                f"voice '{voice_id}' is marked SSML-supported by the vendor's list but "
                "unsupported by an unofficial catalogue; check it once",
                severity=Severity.INFO if self.severity is type(self).severity else None,
            )


@register
class VoiceModelMismatch(Rule):
    """``<speak voice>`` is a system voice of another model than the one rendering the document.

    Each model accepts only its own voices: a ``cosyvoice-v2`` voice such as ``longcheng_v2``
    works only with ``cosyvoice-v2``, and a mismatch fails with error 418. The target model is
    ``cosyvoice-v3-flash``; set the option ``model`` when you render with another.

    Examples::

        pass: <speak voice="longcheng_v3">我是男声。</speak>
        fail: <speak voice="longcheng_v2">我是男声。</speak>  # 1:15
    """

    code = "VO004"
    name = "voice-model-mismatch"
    summary = "The voice belongs to another model than the target model"
    severity = Severity.WARNING
    targets = ("speak",)
    needs_attributes = frozenset({"voice"})
    family = SPEAK
    Options = ModelOptions
    _target: str | None = None

    def visit(self, node: Speak, ctx: LintContext) -> None:
        found = _voice(node, ctx)
        if found is None:
            return
        voice_id, where = found
        models = _models_of(voice_id)
        target = self._target
        if target is None:  # the option's model, normalised once
            target = self._target = voices.normalize_model(self.options.model)
        if not models or target in models:
            return
        owners = " and ".join(models)
        # Only the same voice in another generation is worth naming (longcheng_v2 → _v3).
        same = [v for v in voices.voices_for_model(target) if _stem(v) == _stem(voice_id)]
        hint = f"; the {target} voice of the same name is '{same[0]}'" if same else ""
        ctx.report(
            where,
            f"voice '{voice_id}' is a {owners} voice, but the target model is {target}: the "
            f"service fails with error 418 (set the {self.code} option 'model' if you render "
            f"with {models[0]}){hint}",
        )


def _stem(voice_id: str) -> str:
    base = voice_id.removesuffix("_v2").removesuffix("_v3")
    return "long" + base[5:] if base.startswith("loong") else base

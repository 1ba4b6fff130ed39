"""Voice rules (VO): ``<speak voice>`` against the system-voice catalogue and the target model.

The catalogue (:mod:`ssmlkit.profiles.voices`) lists each system voice with its model and whether
the vendor marks it SSML-supported. The target model is ``cosyvoice-v3-flash`` unless the rule
option ``model`` says otherwise (``[tool.ssmlkit.rules.VO004] model = "cosyvoice-v2"``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ssmlkit.linter.context import LintContext
from ssmlkit.linter.diagnostic import Severity
from ssmlkit.linter.registry import register
from ssmlkit.linter.rule import Needs, Rule, RuleOptions
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


def _voice_id(node: Speak) -> str | None:
    """The voice id, or None when absent or blank (VA010's); ``value.isspace()`` is
    ``not value.strip()`` for a non-empty value, without the copy."""
    value = node.get("voice")
    return None if not value or value.isspace() else value


def _where(node: Speak) -> Span | Speak:
    """Where a finding about the voice points: its value, else the element (worked out only to
    report: most voices are fine)."""
    return node.attr_span("voice", value=True) or node


def _entry(voice_id: str, model: str) -> voices.Voice | None:
    """The voice's entry for ``model`` if it has one there, else its first entry."""
    first = voices.VOICES.get(voice_id)
    if first is None:  # not a system voice of any model (a cloned voice, a typo): VO001's
        return None
    return voices.get_voice(voice_id, model) or first


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
    needs = Needs(attributes={"voice"}, depends_on="start-tag")
    Options = KnownVoiceOptions

    def visit(self, node: Speak, ctx: LintContext) -> None:
        voice_id = _voice_id(node)
        if voice_id is None or voice_id in voices.VOICES or voice_id in self.options.voices:
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
            _where(node),
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
    needs = Needs(attributes={"voice"}, depends_on="start-tag")
    Options = ModelOptions

    def visit(self, node: Speak, ctx: LintContext) -> None:
        voice_id = _voice_id(node)
        if voice_id is None:
            return
        entry = _entry(voice_id, self.options.model)
        if entry is not None and entry.ssml is False:
            ctx.report(
                _where(node),
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
    needs = Needs(attributes={"voice"}, depends_on="start-tag")
    Options = ModelOptions

    def visit(self, node: Speak, ctx: LintContext) -> None:
        voice_id = _voice_id(node)
        if voice_id is None:
            return
        entry = _entry(voice_id, self.options.model)
        if entry is None:
            return
        if entry.ssml is None:
            ctx.report(
                _where(node),
                f"voice '{voice_id}' appears only in unofficial voice lists, which do not say "
                "whether it supports SSML; if it does not, the request fails",
            )
        elif entry.ssml and voice_id in voices.SSML_FLAG_DISPUTED:
            ctx.report(
                _where(node),
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
    needs = Needs(attributes={"voice"}, depends_on="start-tag")
    Options = ModelOptions

    def visit(self, node: Speak, ctx: LintContext) -> None:
        voice_id = _voice_id(node)
        if voice_id is None or voice_id not in voices.VOICES:  # no model's: VO001's
            return
        models = voices.models_of(voice_id)
        target = voices.normalize_model(self.options.model)
        if not models or target in models:
            return
        owners = " and ".join(models)
        # Only the same voice in another generation is worth naming (longcheng_v2 → _v3).
        same = voices.namesakes(voice_id, target)
        hint = f"; the {target} voice of the same name is '{same[0]}'" if same else ""
        ctx.report(
            _where(node),
            f"voice '{voice_id}' is a {owners} voice, but the target model is {target}: the "
            f"service fails with error 418 (set the {self.code} option 'model' if you render "
            f"with {models[0]}){hint}",
        )

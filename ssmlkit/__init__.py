"""ssmlkit: write, check, split and speak SSML for Alibaba's CosyVoice.

Usage::

    import ssmlkit
    doc = ssmlkit.parse('<speak rate="1.1">你好<break time="500ms"/></speak>')
    ssmlkit.measure(doc)      # 4: what the service counts
    ssmlkit.serialize(doc)    # back to text
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ssmlkit._version import __version__
from ssmlkit.errors import (
    APIStatusError,
    AudioError,
    AuthenticationError,
    BadRequestError,
    BuildError,
    ConfigError,
    EngineUnavailableError,
    InputError,
    InputTooLargeError,
    ParseError,
    RateLimitError,
    RenderError,
    RenderTimeout,
    SchemaError,
    ServerError,
    SplitError,
    SSMLKitError,
    TransportError,
)
from ssmlkit.measure import measure
from ssmlkit.model import (
    Break,
    Comment,
    Document,
    Element,
    Phoneme,
    ProcessingInstruction,
    SayAs,
    SoundEvent,
    Span,
    Speak,
    Sub,
    Text,
    UnknownElement,
)
from ssmlkit.parse import parse, parse_file
from ssmlkit.serialize import serialize

if TYPE_CHECKING:
    from ssmlkit import builder
    from ssmlkit.annotation import AnnotateResult, PolyphoneDecision, annotate
    from ssmlkit.config import Config
    from ssmlkit.conversion import ConversionResult, convert
    from ssmlkit.linter.api import FixResult, fix, lint
    from ssmlkit.linter.diagnostic import Diagnostic, Severity
    from ssmlkit.linter.registry import register_rule
    from ssmlkit.linter.rule import Rule
    from ssmlkit.rendering import AsyncRenderClient, RenderClient, render
    from ssmlkit.schema import SchemaIssue, validate
    from ssmlkit.splitter import SplitWarning, split, split_with_warnings

# Loaded on first use, so that ``import ssmlkit`` (and ``ssmlkit lint``) stays fast.
_LAZY = {
    "builder": ("ssmlkit.builder", None),
    "AnnotateResult": ("ssmlkit.annotation", "AnnotateResult"),
    "PolyphoneDecision": ("ssmlkit.annotation", "PolyphoneDecision"),
    "annotate": ("ssmlkit.annotation", "annotate"),
    "AsyncRenderClient": ("ssmlkit.rendering", "AsyncRenderClient"),
    "Config": ("ssmlkit.config", "Config"),
    "ConversionResult": ("ssmlkit.conversion", "ConversionResult"),
    "convert": ("ssmlkit.conversion", "convert"),
    "RenderClient": ("ssmlkit.rendering", "RenderClient"),
    "render": ("ssmlkit.rendering", "render"),
    "Diagnostic": ("ssmlkit.linter.diagnostic", "Diagnostic"),
    "Rule": ("ssmlkit.linter.rule", "Rule"),
    "register_rule": ("ssmlkit.linter.registry", "register_rule"),
    "FixResult": ("ssmlkit.linter.api", "FixResult"),
    "SchemaIssue": ("ssmlkit.schema", "SchemaIssue"),
    "SplitWarning": ("ssmlkit.splitter", "SplitWarning"),
    "split": ("ssmlkit.splitter", "split"),
    "split_with_warnings": ("ssmlkit.splitter", "split_with_warnings"),
    "Severity": ("ssmlkit.linter.diagnostic", "Severity"),
    "fix": ("ssmlkit.linter.api", "fix"),
    "lint": ("ssmlkit.linter.api", "lint"),
    "validate": ("ssmlkit.schema", "validate"),
}


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'ssmlkit' has no attribute {name!r}")
    module = importlib.import_module(target[0])
    value = module if target[1] is None else getattr(module, target[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "APIStatusError",
    "AnnotateResult",
    "AsyncRenderClient",
    "AudioError",
    "AuthenticationError",
    "BadRequestError",
    "Break",
    "BuildError",
    "Comment",
    "Config",
    "ConfigError",
    "ConversionResult",
    "Diagnostic",
    "Document",
    "Element",
    "EngineUnavailableError",
    "FixResult",
    "InputError",
    "InputTooLargeError",
    "ParseError",
    "Phoneme",
    "PolyphoneDecision",
    "ProcessingInstruction",
    "RateLimitError",
    "RenderClient",
    "RenderError",
    "RenderTimeout",
    "Rule",
    "SSMLKitError",
    "SayAs",
    "SchemaError",
    "SchemaIssue",
    "ServerError",
    "Severity",
    "SoundEvent",
    "Span",
    "Speak",
    "SplitError",
    "SplitWarning",
    "Sub",
    "Text",
    "TransportError",
    "UnknownElement",
    "__version__",
    "annotate",
    "builder",
    "convert",
    "fix",
    "lint",
    "measure",
    "parse",
    "parse_file",
    "register_rule",
    "render",
    "serialize",
    "split",
    "split_with_warnings",
    "validate",
]

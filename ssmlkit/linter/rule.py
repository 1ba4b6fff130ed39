"""The rule contract: what a plugin author writes, and nothing else.

A rule is a small class that declares its metadata and implements :meth:`Rule.visit`::

    from ssmlkit import Rule, Severity, register_rule
    from ssmlkit.linter import Needs

    @register_rule
    class NoLongSub(Rule):
        '''A ``<sub alias>`` longer than 20 characters.

        Examples::

            pass: <speak><sub alias="short">W3C</sub></speak>
        '''

        code = "XY001"                     # unique: a prefix of your own, three digits
        name = "long-sub-alias"            # unique, kebab-case
        summary = "A sub alias over 20 characters"
        severity = Severity.WARNING
        targets = ("sub",)                 # the node kinds visit is called with
        needs = Needs(attributes={"alias"}, depends_on="start-tag")

        def visit(self, node, ctx):
            if len(node.get("alias") or "") > 20:
                ctx.report(node, "alias over 20 characters")

Kinds (``targets``) are the element names (``"speak"``, ``"break"``, ``"sub"``, ``"phoneme"``,
``"say-as"``, ``"soundEvent"``), ``"unknown"`` (any other element), ``"element"`` (every element),
``"text"``, ``"comment"``, ``"syntax"`` (each syntax problem the scanner found, as a
:class:`~ssmlkit._scan.SyntaxProblem`) and ``"document"`` (called once, after the walk, with the
:class:`~ssmlkit.model.Document`).

:class:`Needs` is data, not code: what a node must have for the rule to have anything to say, and
what alone decides whether it says something. The engine reads it to skip calls; how it does that
(shapes, memo tables, the C walk) is its own business and never the rule's.

``docs/rules.md`` ("Writing a rule") has the same with a worked example that the tests run.

The docstring carries examples that run as tests, one per line after ``Examples::``::

    pass: <speak><break time="500ms"/></speak>
    fail: <speak><break time="20s"/></speak>

A ``fail`` line may end with ``  # 1:14`` to say where the (first) finding must point, and a
``fix:`` line right after a ``fail`` line gives the text its fix must produce.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ssmlkit._records import Record, record
from ssmlkit.linter.diagnostic import FixSafety, Severity

if TYPE_CHECKING:
    from ssmlkit.linter.context import LintContext

__all__ = [
    "InactiveRuleWarning",
    "Needs",
    "NoOptions",
    "Rule",
    "RuleExample",
    "RuleOptions",
    "examples_of",
]

_set = object.__setattr__


class RuleOptions(Record):
    """Base of a rule's options: declare the fields with defaults, like a dataclass.

    Subclasses are decorated with the light ``@dataclass(init=False, repr=False, eq=False)``
    (which records the fields for the configuration loader without generating code: that costs
    ~1.5 ms a class at ``ssmlkit lint`` start-up); construction by keyword comes from here, and
    equality, hashing, ``repr`` and immutability from :class:`~ssmlkit._records.Record`::

        @dataclass(init=False, repr=False, eq=False)
        class ModelOptions(RuleOptions):
            model: str = "cosyvoice-v3-flash"
    """

    def __init__(self, **values: Any) -> None:
        declared = fields(self)  # type: ignore[arg-type]
        unknown = set(values) - {f.name for f in declared}
        if unknown:
            raise TypeError(f"{type(self).__qualname__}: unknown option(s) {sorted(unknown)}")
        for f in declared:
            _set(self, f.name, values.get(f.name, f.default))


@dataclass(init=False, repr=False, eq=False)
class NoOptions(RuleOptions):
    """Options of a rule that has none."""


#: What :attr:`Needs.depends_on` may say.
DependsOn = Literal["anything", "shape", "start-tag", "element"]
_DEPENDS_ON = ("anything", "shape", "start-tag", "element")


@record
class Needs(Record):
    """What a node must have for a rule to say anything about it: declarative data.

    Usage (as a rule's class attribute)::

        needs = Needs(attributes={"time"}, depends_on="start-tag")

    - ``attributes``: names of which an element must carry at least one (empty: no such need).
      A rule about ``<speak volume>`` has nothing to say about a ``<speak>`` without it.
    - ``parents``: the kinds of node the node must stand right inside (element names,
      ``"unknown"``, or ``"document"`` for the top level); empty: anywhere.
    - ``text_parents``: the same for a ``"text"`` target, where it differs from the rule's
      element targets (empty: ``parents`` holds for text too). A rule about what may stand
      inside an element may have something to say about text only inside an empty one.
    - ``children``: how many children (1 or 2) an element needs at least; 0: any number.
    - ``depends_on``: what alone decides *whether* :meth:`Rule.visit` reports anything for an
      element (given the rule's options and the configuration): ``"anything"`` (the default:
      its place, its ancestors, the document...), ``"shape"`` (its kind, its parent's kind,
      its attribute names, and whether it has none, one or more children: not the values),
      ``"start-tag"`` (its start tag as written: name, attributes, values and their spelling) or
      ``"element"`` (the element as written, start tag to end tag: attributes, text and
      children). Then an element written like one already found clean (for ``"shape"``: any
      element of a shape already found clean) is not visited again. Positions, messages and
      fixes may depend on anything.
    - ``problems``: the kinds of syntax problem (:attr:`SyntaxProblem.kind
      <ssmlkit._scan.SyntaxProblem.kind>`, such as ``"bare-ampersand"``) a ``"syntax"`` target is
      visited with (empty: every kind).
    - ``within_speak``: ``True`` when the node must stand inside a ``<speak>`` element (at any
      depth), ``False`` when it must stand outside every one, ``None`` (the default) for either.
    - ``chars``: characters of which a text node's text, or an element's attribute values (any of
      them), must contain at least one for the rule to say anything (empty: no such need). A rule
      about a literal ``>`` has nothing to say about text without one. Comments and processing
      instructions are visited whatever their content.

    A need must only exclude nodes :meth:`Rule.visit` says nothing about;
    ``tests/property/test_lint_speed_props.py`` compares the engine with the plain loop that calls
    every rule on every node of its targets.
    """

    attributes: frozenset[str] = field(default=frozenset(), kw_only=True)
    parents: frozenset[str] = field(default=frozenset(), kw_only=True)
    children: int = field(default=0, kw_only=True)
    depends_on: DependsOn = field(default="anything", kw_only=True)
    chars: str = field(default="", kw_only=True)
    within_speak: bool | None = field(default=None, kw_only=True)
    problems: frozenset[str] = field(default=frozenset(), kw_only=True)
    text_parents: frozenset[str] = field(default=frozenset(), kw_only=True)

    def __init__(
        self,
        *,
        attributes: Iterable[str] = (),
        parents: Iterable[str] = (),
        text_parents: Iterable[str] = (),
        children: int = 0,
        depends_on: DependsOn = "anything",
        chars: str = "",
        within_speak: bool | None = None,
        problems: Iterable[str] = (),
    ) -> None:
        if any(isinstance(names, str) for names in (attributes, parents, text_parents, problems)):
            raise TypeError(
                "Needs: attributes, parents, text_parents and problems are collections of names, "
                "not a str"
            )
        if not isinstance(chars, str):
            raise TypeError(f"Needs: chars is a str of characters, not {type(chars).__name__}")
        if within_speak not in (None, True, False):
            raise TypeError(f"Needs: within_speak is True, False or None, not {within_speak!r}")
        if depends_on not in _DEPENDS_ON:
            raise ValueError(f"Needs: depends_on must be one of {_DEPENDS_ON}, not {depends_on!r}")
        if children not in (0, 1, 2):
            raise ValueError(f"Needs: children must be 0, 1 or 2, not {children!r}")
        _set(self, "attributes", frozenset(attributes))
        _set(self, "parents", frozenset(parents))
        _set(self, "text_parents", frozenset(text_parents))
        _set(self, "children", children)
        _set(self, "depends_on", depends_on)
        _set(self, "chars", "".join(sorted(set(chars))))
        _set(self, "within_speak", within_speak)
        _set(self, "problems", frozenset(problems))

    def __repr__(self) -> str:
        # the sets sorted, so that the repr (shown in docs and errors) is the same every run
        chars = f", chars={self.chars!r}" if self.chars else ""
        if self.within_speak is not None:
            chars += f", within_speak={self.within_speak!r}"
        if self.problems:
            chars += f", problems={sorted(self.problems)!r}"
        if self.text_parents:
            chars += f", text_parents={sorted(self.text_parents)!r}"
        return (
            f"Needs(attributes={sorted(self.attributes)!r}, parents={sorted(self.parents)!r}, "
            f"children={self.children!r}, depends_on={self.depends_on!r}{chars})"
        )


def _pronounce_missing() -> str | None:
    from ssmlkit import pronounce

    return pronounce.unavailable_reason()


#: ssmlkit's optional extras that rules may name in :attr:`Rule.extra`, and how to tell whether
#: each is usable (None) or why not: asked once per rule plan, so cheap (nothing loaded).
_EXTRAS: dict[str, Callable[[], str | None]] = {"pronounce": _pronounce_missing}


class Rule:
    """Base class of lint rules: declare the class attributes below and write :meth:`visit`.

    Usage: see the module docstring; register the class with
    :func:`ssmlkit.register_rule`. ``code``, ``name``, ``summary``, ``severity`` and ``targets``
    are required; the rest have defaults.
    """

    #: Unique code: two to four capital letters and three digits (``"BR001"``).
    code: ClassVar[str]
    #: Unique kebab-case name of the flagged pattern (``"malformed-break-time"``).
    name: ClassVar[str]
    #: One line for the rule table.
    summary: ClassVar[str]
    #: The default severity (configuration may change it).
    severity: ClassVar[Severity]
    #: The node kinds :meth:`visit` is called with (see the module docstring).
    targets: ClassVar[tuple[str, ...]]
    #: What a node needs for the rule to have anything to say (see :class:`Needs`).
    needs: ClassVar[Needs] = Needs()
    #: Whether findings carry fixes: ``"none"``, ``"safe"`` or ``"unsafe"``.
    fix_safety: ClassVar[FixSafety] = "none"
    #: A frozen dataclass type whose fields (with defaults) are the rule's options.
    Options: ClassVar[type[Any]] = NoOptions
    #: An opt-in rule is not selected by ``"ALL"`` or by a prefix (``"PR"``, ``"PR0"``); only when
    #: ``select`` or ``extend-select`` names its exact code (``"PR009"``) or name
    #: (``"polyphone-without-hint"``). For rules that are right but noisy on most documents.
    opt_in: ClassVar[bool] = False
    #: The optional extra of ssmlkit's the rule needs (``"pronounce"`` for
    #: ``pip install 'ssmlkit[pronounce]'``), or None. ``docs/rules.md`` names it whatever is
    #: installed, and the default :meth:`inactive_reason` asks whether it is installed.
    extra: ClassVar[str | None] = None

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else self.Options()

    @classmethod
    def inactive_reason(cls) -> str | None:
        """Why the rule cannot run on this installation (e.g. an optional extra is missing), or None.

        Asked once per rule plan (not per node), so it may look around (``importlib.util.find_spec``)
        but must not load data. An inactive rule is left out of every plan: its ``visit`` is never
        called; ``ssmlkit rules`` shows the reason, and selecting it by code or name gives a note
        (``ssmlkit lint``) or an :class:`InactiveRuleWarning` (:func:`ssmlkit.lint`).

        The default answers for :attr:`extra`: a rule with ``extra = "pronounce"`` is inactive
        while :func:`ssmlkit.pronounce.unavailable_reason` says the extra is missing. A plugin
        that needs something else overrides this::

            @classmethod
            def inactive_reason(cls) -> str | None:
                from importlib.util import find_spec

                return None if find_spec("somepkg") else "needs somepkg: pip install somepkg"
        """
        if cls.extra is None:
            return None
        check = _EXTRAS.get(cls.extra)
        if check is None:
            return f"needs the [{cls.extra}] extra, which ssmlkit does not know"
        return check()

    def visit(self, node: Any, ctx: LintContext) -> None:
        """Check ``node`` (of one of ``targets``) and report findings through ``ctx.report``.

        Must not change ``node`` or the document: a rule that raises or changes the tree gets an
        ``internal-error`` finding instead of its own.
        """
        raise NotImplementedError


class InactiveRuleWarning(UserWarning):
    """:func:`ssmlkit.lint` was configured to run a rule by code or name, but the rule is inactive.

    Warned once per rule per process; the message names the rule and its
    :meth:`Rule.inactive_reason`. Silence it with
    ``warnings.filterwarnings("ignore", category=InactiveRuleWarning)``.
    """


@record
class RuleExample(Record):
    """One docstring example: ``kind`` is ``"pass"`` or ``"fail"``."""

    kind: str
    source: str
    position: tuple[int, int] | None = None
    fixed: str | None = None


def examples_of(rule: type[Rule]) -> Iterator[RuleExample]:
    """The pass/fail examples written in ``rule``'s docstring."""
    doc = rule.__doc__ or ""
    if "Examples::" not in doc:
        return
    lines = [ln.strip() for ln in doc.split("Examples::", 1)[1].splitlines()]
    pending: RuleExample | None = None
    for line in lines:
        if line.startswith("fix:") and pending is not None and pending.kind == "fail":
            pending = RuleExample(
                "fail", pending.source, pending.position, _unescape(line[4:].strip())
            )
            continue
        if pending is not None:
            yield pending
            pending = None
        if line.startswith(("pass:", "fail:")):
            kind, _, rest = line.partition(":")
            source = rest.strip()
            position = None
            if kind == "fail" and "  # " in source:
                source, _, where = source.rpartition("  # ")
                ln, _, col = where.strip().partition(":")
                position = (int(ln), int(col))
            pending = RuleExample(kind, _unescape(source), position)
    if pending is not None:
        yield pending


def _unescape(source: str) -> str:
    # Docstring examples are one line; \n and \t stand for line breaks and tabs.
    return source.replace("\\n", "\n").replace("\\t", "\t")

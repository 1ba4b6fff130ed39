"""The rule interface: each rule is a small class that declares its metadata explicitly.

A rule names the node kinds it wants in ``targets``; the engine walks the document once and calls
:meth:`Rule.visit` for each node of those kinds. Kinds are the element names (``"speak"``,
``"break"``, ``"sub"``, ``"phoneme"``, ``"say-as"``, ``"soundEvent"``), ``"unknown"`` (any other
element), ``"element"`` (every element), ``"text"``, ``"comment"``, ``"syntax"`` (each syntax
problem the scanner found, as a :class:`~ssmlkit._scan.SyntaxProblem`) and ``"document"`` (called
once, after the walk, with the :class:`~ssmlkit.model.Document`).

The docstring carries examples that run as tests, one per line after ``Examples::``::

    pass: <speak><break time="500ms"/></speak>
    fail: <speak><break time="20s"/></speak>

A ``fail`` line may end with ``  # 1:14`` to say where the (first) finding must point, and a
``fix:`` line right after a ``fail`` line gives the text its fix must produce.

Most visits find nothing, so a rule can tell the engine when not to call it at all:
:attr:`Rule.needs_attributes` and :meth:`Rule.wants` by the node's :class:`Shape` (asked once
per shape), :meth:`Rule.applies` once per run, and :attr:`Rule.family` to share one call per
node with related rules. None of them may change what is reported;
``tests/property/test_lint_speed_props.py`` compares the engine with the plain loop that calls
every rule on every node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ssmlkit._records import Record, record
from ssmlkit.linter.diagnostic import FixSafety, Severity
from ssmlkit.model import KNOWN_ELEMENTS

if TYPE_CHECKING:
    from ssmlkit.linter.context import LintContext

__all__ = [
    "Family",
    "NoOptions",
    "Rule",
    "RuleExample",
    "RuleOptions",
    "Shape",
    "Visitor",
    "dialect_tag",
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


#: What the engine calls for a node: ``visit`` or a function standing in for it (see
#: :meth:`Rule.visitor`).
Visitor = Callable[[Any, "LintContext"], None]


class Family:
    """Rules whose visits of one node one function can make together: see :attr:`Rule.family`.

    ``combine(shape, members)`` returns that function for the members (the family's rules that
    want nodes of ``shape``, at least one), or ``None`` to have them visited one by one. The
    function must report exactly what calling each member's ``visit`` would: it checks, in a few
    steps shared by all members, which of them could report, and for those sets ``ctx.rule`` to
    the member and calls its ``visit``. The order among members does not matter (findings are
    sorted; each rule's own findings keep their order).
    """

    __slots__ = ("combine", "name")

    def __init__(
        self, name: str, combine: Callable[[Shape, Sequence[Rule]], Visitor | None]
    ) -> None:
        self.name = name
        self.combine = combine

    def __repr__(self) -> str:
        return f"Family({self.name!r})"


class Shape(NamedTuple):
    """What the engine knows of a node before calling any rule on it; see :meth:`Rule.wants`.

    Documents repeat a few shapes over and over (a ``<break>`` with ``time`` inside ``<speak>``),
    so the engine asks each rule once per shape rather than calling it for every node.
    """

    #: The node's class (``Break``, ``Text``, ``UnknownElement``, ...).
    node_type: type
    #: The class of the element holding the node, or ``None`` at the top level.
    parent_type: type | None
    #: The node's attribute names in document order (``()`` for anything but an element).
    attributes: tuple[str, ...]
    #: How many children the node has, counted up to 2 (2 means "two or more").
    children: int


def dialect_tag(node_type: type | None) -> str | None:
    """The tag of ``node_type`` when it is one of the six dialect element classes, else ``None``.

    For :meth:`Rule.wants` overrides, which must answer ``True`` for types they do not know
    (unknown elements, whose name is only known per node; text; subclasses).
    """
    tag = getattr(node_type, "tag", None)
    return tag if isinstance(tag, str) and KNOWN_ELEMENTS.get(tag) is node_type else None


class Rule:
    """Base class of lint rules. Subclasses set every class attribute below and ``visit``."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity]
    targets: ClassVar[tuple[str, ...]]
    fix_safety: ClassVar[FixSafety] = "none"
    #: A frozen dataclass type whose fields (with defaults) are the rule's options.
    Options: ClassVar[type[Any]] = NoOptions
    #: For a rule that visits elements only: attribute names of which an element must carry at
    #: least one for ``visit`` to report anything (a rule about ``<speak volume>`` has nothing to
    #: say about a ``<speak>`` without it). The default :meth:`wants` skips other elements;
    #: empty means no such precondition.
    needs_attributes: ClassVar[frozenset[str]] = frozenset()
    #: The rules of one family that want the same node are visited by one function, which makes
    #: their first checks together and calls a member's ``visit`` only when it could report (see
    #: :class:`Family`): on the lint benchmark, a rule call that returns at once cost as much as
    #: the walk spends per node. A subclass that changes ``visit`` should set this to ``None``.
    family: ClassVar[Family | None] = None

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else self.Options()

    def visit(self, node: Any, ctx: LintContext) -> None:
        """Check ``node`` (of one of ``targets``) and report findings through ``ctx.report``."""
        raise NotImplementedError

    def wants(self, shape: Shape) -> bool:
        """Whether :meth:`visit` could report anything for a node of this ``shape``.

        The engine does not call ``visit`` for nodes of a shape this returns ``False`` for, so an
        override must only say ``False`` when ``visit`` would return without reporting for *every*
        node of that shape (whatever its attribute values, text or position): a precondition the
        rule already checks first, moved to where it costs nothing per node. The answer may depend
        on the rule's options but not on the document. Only element, text, comment and processing
        instruction nodes have shapes; ``"syntax"`` and ``"document"`` visits always happen.

        The default answers from :attr:`needs_attributes`.
        """
        needed = self.needs_attributes
        return not needed or not needed.isdisjoint(shape.attributes)

    def applies(self, ctx: LintContext) -> bool:
        """Whether :meth:`visit` could report anything at all in the run ``ctx`` belongs to.

        Asked once per run, after the input is read and before any visit (``ctx`` has the source,
        document and configuration, no ancestors yet); ``False`` skips every visit of the rule
        in this run. As with :meth:`wants`, only say ``False`` when no visit could report: a
        check of the whole document that is cheaper than the visits it saves. Rules that do not
        override this are not asked.
        """
        return True

    def visitor(self, shape: Shape) -> Visitor | None:
        """What the engine calls for nodes of ``shape``: ``visit``, or ``None`` to skip them.

        The default asks :meth:`wants`. A rule may override it to hand out a function specialised
        for the shape (a text-only or element-only half of ``visit``), which must report exactly
        what ``visit`` would; the engine's property tests compare the two.
        """
        return self.visit if self.wants(shape) else None


@record
class RuleExample(Record):
    """One docstring example: ``kind`` is ``"pass"`` or ``"fail"``."""

    kind: str
    source: str
    position: tuple[int, int] | None = None
    fixed: str | None = None

    def __init__(
        self,
        kind: str,
        source: str,
        position: tuple[int, int] | None = None,
        fixed: str | None = None,
    ) -> None:
        _set(self, "kind", kind)
        _set(self, "source", source)
        _set(self, "position", position)
        _set(self, "fixed", fixed)


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

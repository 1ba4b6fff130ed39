"""The one frozen base for records on ``ssmlkit lint``'s path: :class:`Record` and :func:`record`.

Usage::

    from dataclasses import field
    from ssmlkit._records import Record, record, setfield

    @record
    class Settings(Record):  # made once: the generic constructor
        name: str
        limit: int = 10

    @record
    class Mark(Record):  # made by the thousand: a direct constructor
        name: str
        offset: int = field(default=0, compare=False, repr=False)  # metadata: never compared

        def __init__(self, name: str, offset: int = 0) -> None:
            setfield(self, "name", name)  # a record refuses plain assignment
            setfield(self, "offset", offset)

Records that ``ssmlkit lint`` never imports are plain ``@dataclass(frozen=True, slots=True)``.
The others use this base: ``@dataclass(frozen=True)`` writes ``__init__``, ``__eq__``,
``__hash__``, ``__repr__`` and ``__setattr__`` as source code and compiles them, about 1.5 ms a
class at import, and start-up must stay within twice ``import lxml.etree``. A record declares its
fields as a dataclass does and takes every method from :class:`Record`, driven by the fields and
their flags: construction by position and keyword with defaults and factories, equality and
hashing over the ``compare`` fields (with records of the exact same class only), ``repr`` over the
``repr`` fields, frozen assignment and deletion, and pickling and copying through every field.
Records made per node or per finding (the parser's nodes, the linter's findings) write a direct
``__init__`` that sets the fields with :func:`setfield`: the generic one is several times slower.
:func:`record` is ``@dataclass`` with nothing generated, so ``dataclasses.fields``, ``replace``,
``asdict`` and ``is_dataclass`` work as on any dataclass.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

__all__ = ["Record", "record", "setfield"]

#: Sets a field of a record being built (``Record.__setattr__`` refuses every assignment).
setfield = object.__setattr__

_R = TypeVar("_R", bound="Record")


class _Layout:
    # A plain class: a NamedTuple here cost 0.7 ms of `ssmlkit lint` start-up.
    __slots__ = ("compared", "every", "fields", "positional", "shown")

    def __init__(self, every: tuple[Field[Any], ...]) -> None:
        self.fields = every
        self.every = tuple(f.name for f in every)  # pickling saves these, in declaration order
        self.compared = tuple(f.name for f in every if f.compare)  # ``==`` and ``hash``
        self.shown = tuple(f.name for f in every if f.repr)  # ``repr``
        self.positional = tuple(f.name for f in every if not f.kw_only)  # generic __init__


# Read from dataclasses.fields on a class's first comparison, hash, repr or pickle, not when the
# class is made: most records are never compared or shown in a run of ``ssmlkit lint``.
_LAYOUTS: dict[type, _Layout] = {}


def _layout(cls: type) -> _Layout:
    layout = _LAYOUTS.get(cls)
    if layout is None:
        layout = _Layout(fields(cls))
        _LAYOUTS[cls] = layout
    return layout


class _GenericSignature:
    """``inspect.signature`` of a record that takes the generic constructor: what a generated
    ``__init__`` would show (``name: str, limit: int = 10``), built on first use. ``None`` (so
    ``inspect`` reads the ``__init__``) for a record that writes its own constructor.
    """

    def __get__(self, obj: object, owner: type) -> Any:
        if obj is not None or getattr(owner, "__init__", None) is not Record.__init__:
            return None
        import inspect  # already imported by dataclasses; here only for the name

        positional: list[inspect.Parameter] = []
        keyword: list[inspect.Parameter] = []
        for f in fields(owner):
            default: Any = f.default
            if f.default_factory is not MISSING:
                default = _FactoryDefault()
            if default is MISSING:
                default = inspect.Parameter.empty
            kind = (
                inspect.Parameter.KEYWORD_ONLY
                if f.kw_only
                else inspect.Parameter.POSITIONAL_OR_KEYWORD
            )
            param = inspect.Parameter(f.name, kind, default=default, annotation=f.type)
            (keyword if f.kw_only else positional).append(param)
        return inspect.Signature([*positional, *keyword], return_annotation=None)


class _FactoryDefault:
    """The default of a field filled by a factory, shown as a dataclass signature shows it."""

    def __repr__(self) -> str:
        return "<factory>"


class Record:
    """Frozen, compared by value, hashed, shown and pickled through its dataclass fields.

    A subclass is a dataclass without generated methods: decorated with :func:`record` (or, for
    a class that keeps a ``__dict__``, ``@dataclass(init=False, repr=False, eq=False)``).
    """

    __slots__ = ()
    __signature__: Any = _GenericSignature()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set every field from ``args`` (in field order) and ``kwargs``, else its default.

        The generic constructor, as a generated dataclass ``__init__`` would behave, for records
        made a few times a run; records made by the thousand write a direct one.
        """
        layout = _layout(self.__class__)
        name = type(self).__qualname__
        if len(args) > len(layout.positional):
            raise TypeError(f"{name}() takes {len(layout.positional)} positional arguments")
        values = dict(zip(layout.positional, args, strict=False))
        for key, value in kwargs.items():
            if key in values or key not in layout.every:
                what = "multiple values for" if key in values else "an unexpected keyword"
                raise TypeError(f"{name}() got {what} argument {key!r}")
            values[key] = value
        for f in layout.fields:
            if f.name in values:
                setfield(self, f.name, values[f.name])
            elif f.default is not MISSING:
                setfield(self, f.name, f.default)
            elif f.default_factory is not MISSING:
                setfield(self, f.name, f.default_factory())
            else:
                raise TypeError(f"{name}() missing required argument {f.name!r}")

    def _key(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in _layout(self.__class__).compared])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Record)
            return self._key() == other._key()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join([f"{n}={getattr(self, n)!r}" for n in _layout(self.__class__).shown])
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        return [getattr(self, name) for name in _layout(self.__class__).every]

    def __setstate__(self, state: list[Any]) -> None:
        for name, value in zip(_layout(self.__class__).every, state, strict=True):
            setfield(self, name, value)


@dataclass_transform(eq_default=False, frozen_default=True, field_specifiers=(field, Field))
def record(cls: type[_R]) -> type[_R]:
    """Make ``cls`` (a :class:`Record` subclass with annotated fields) a slotted dataclass record.

    ``@record`` above ``class Mark(Record): ...`` records the fields (``dataclasses.fields``
    works) and gives the class ``__slots__`` for them, without generating any method: the class
    takes :class:`Record`'s generic ``__init__`` or writes a faster one; subclasses that add no
    field need no decorator, only ``__slots__ = ()``. Type checkers see a frozen dataclass
    (``dataclass_transform``), constructor signature included.
    """
    return dataclass(init=False, repr=False, eq=False, slots=True)(cls)

"""Frozen dataclasses made for a fraction of the start-up cost: the subset the records use.

`dataclasses.dataclass` compiles six or more methods a class and imports `inspect`
(with `ast`, `dis` and `tokenize`); for the records a warm `ldn list` builds, that was
most of its own start-up. Here a frozen class gets one compiled ``__init__`` and shares
the rest (equality, hashing, repr, the refusal to change, pickling), written to behave
as the standard library's do for ``frozen=True`` (with or without ``slots=True``) and
``field(default=, default_factory=, compare=, repr=)``. The modules that use it name
`dataclasses.dataclass` for type checkers, so mypy reads the records exactly as before,
and `dataclasses.fields`, `replace` and `asdict` still work on them (the fields are
made, by `dataclasses` itself, the first time something asks for them).
tests/unit/test_frozen.py checks each record class against a twin made by `dataclasses`.
"""

from __future__ import annotations

import reprlib
from collections import namedtuple
from operator import attrgetter

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_MISSING: Any = object()
#: The stand-in default of a field with a `default_factory` (as `dataclasses` does).
_FACTORY: Any = object()
_set = object.__setattr__


class Field:
    """A field's options, as `dataclasses.field` takes them."""

    __slots__ = ("compare", "default", "default_factory", "repr")

    def __init__(self, default: Any, default_factory: Any, compare: bool, repr: bool) -> None:
        self.default, self.default_factory, self.compare, self.repr = default, default_factory, compare, repr


def field(*, default: Any = _MISSING, default_factory: Any = _MISSING, compare: bool = True, repr: bool = True) -> Any:
    """A field with a default, a default factory, or left out of equality or repr."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, compare, repr)


def dataclass(cls: type | None = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """`dataclasses.dataclass(frozen=True, slots=...)`, cheaply; only frozen classes are made here."""
    if not frozen:
        raise TypeError("ldn_evidence.frozen makes frozen classes only; use dataclasses for others")

    def make(cls: type) -> type:
        return _make(cls, slots)

    return make if cls is None else make(cls)


class _Fields:
    """`__dataclass_fields__`, made by `dataclasses` on first use and then kept on the class."""

    def __get__(self, instance: object, owner: type) -> dict[str, Any]:
        import dataclasses

        made: dict[str, Any] = {}
        for name, options in owner.__record_fields__:  # type: ignore[attr-defined]
            kept: Any = dataclasses.field(
                default=dataclasses.MISSING if options.default is _MISSING else options.default,
                default_factory=dataclasses.MISSING if options.default_factory is _MISSING else options.default_factory,
                compare=options.compare,
                repr=options.repr,
            )
            kept.name, kept.type = name, owner.__annotations__[name]
            kept._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # as `dataclasses` marks a field
            made[name] = kept
        type.__setattr__(owner, "__dataclass_fields__", made)
        return made


def _make(cls: type, slots: bool) -> type:
    namespace = dict(cls.__dict__)
    annotations: dict[str, Any] = namespace.get("__annotations__", {})
    fields: list[tuple[str, Field]] = []
    for name, annotation in annotations.items():
        if "ClassVar" in str(annotation) or "InitVar" in str(annotation):
            raise TypeError(f"{cls.__qualname__}.{name}: ClassVar and InitVar are not supported here")
        value = namespace.pop(name, _MISSING) if slots else namespace.get(name, _MISSING)
        options = value if isinstance(value, Field) else Field(value, _MISSING, True, True)
        if isinstance(value, Field) and not slots:  # the default, if any, stays a class attribute
            if options.default is _MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = options.default
        fields.append((name, options))
    if any(hasattr(base, "__record_fields__") or hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__qualname__}: a record inheriting fields is not supported here")
    names = tuple(name for name, _ in fields)
    compared = tuple(name for name, options in fields if options.compare)
    namespace.update(
        __record_fields__=tuple(fields),
        __record_repr__=tuple(name for name, options in fields if options.repr),
        __record_key__=staticmethod(_key(compared)),
        __init__=_init(cls, fields),
        __repr__=_repr,
        __eq__=_eq,
        __hash__=_hash,
        __setattr__=_setattr,
        __delattr__=_delattr,
        __match_args__=names,
        __dataclass_fields__=_Fields(),
    )
    if slots:
        namespace["__slots__"] = names
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        namespace.update(__getstate__=_getstate, __setstate__=_setstate)
        made: type = type(cls)(cls.__name__, cls.__bases__, namespace)
        made.__qualname__ = cls.__qualname__
        return made
    for key, value in namespace.items():
        if key not in cls.__dict__ or cls.__dict__[key] is not value:
            type.__setattr__(cls, key, value)
    for name in names:
        if isinstance(cls.__dict__.get(name), Field):
            type.__delattr__(cls, name)
    return cls


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values compared and hashed, always as a tuple (as `dataclasses` compares them)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda record: (one(record),)
    return lambda record: ()


def _init(cls: type, fields: list[tuple[str, Field]]) -> Callable[..., None]:
    """The class's ``__init__``, compiled as `dataclasses` writes it: positional or keyword, in order."""
    scope: dict[str, Any] = {"_set": _set, "_FACTORY": _FACTORY}
    parameters, body = [], []
    for name, options in fields:
        if options.default_factory is not _MISSING:
            scope[f"_factory_{name}"] = options.default_factory
            parameters.append(f"{name}=_FACTORY")
            body.append(f"    _set(self, {name!r}, _factory_{name}() if {name} is _FACTORY else {name})")
            continue
        if options.default is not _MISSING:
            scope[f"_default_{name}"] = options.default
            parameters.append(f"{name}=_default_{name}")
        elif any(o.default is not _MISSING or o.default_factory is not _MISSING for _, o in fields[: len(parameters)]):
            raise TypeError(f"non-default argument {name!r} follows default argument")
        else:
            parameters.append(name)
        body.append(f"    _set(self, {name!r}, {name})")
    if "__post_init__" in cls.__dict__:
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, scope)
    made: Callable[..., None] = scope["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    return made


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self.__record_key__(self) == other.__record_key__(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _setattr(self: Any, name: str, value: Any) -> None:
    import dataclasses

    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    import dataclasses

    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__match_args__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__match_args__, state, strict=True):
        _set(self, name, value)


# --- named tuples -----------------------------------------------------------------------
#
# `typing.NamedTuple` checks each field's annotation, and under `from __future__ import
# annotations` every annotation is a string, which it compiles into a `ForwardRef`: the four
# named tuples of `model` cost 13 M instructions that way (callgrind), more than the classes
# themselves. The class below makes the same `collections.namedtuple` class, with the same
# defaults, docstring, methods and properties, and keeps the annotations as written.


class _NamedTupleMeta(type):
    """`typing.NamedTupleMeta` (3.10 to 3.13) for a class that names only `NamedTuple` as its base."""

    def __new__(cls, typename: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        if bases != (NamedTuple,):
            raise TypeError("ldn_evidence.frozen.NamedTuple: a named tuple inherits from NamedTuple alone")
        annotations: dict[str, Any] = namespace.get("__annotations__", {})
        defaulted: list[str] = []
        for name in annotations:
            if name in namespace:
                defaulted.append(name)
            elif defaulted:
                plural = "s" if len(defaulted) > 1 else ""
                raise TypeError(
                    f"Non-default namedtuple field {name} cannot follow default field{plural} {', '.join(defaulted)}"
                )
        defaults = [namespace[name] for name in defaulted]
        made: Any = _namedtuple(typename, list(annotations), defaults=defaults, module=namespace["__module__"])
        made.__annotations__ = made.__new__.__annotations__ = dict(annotations)
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in made._fields:
                setattr(made, key, value)
        return made


#: `collections.namedtuple`, called with computed fields (which mypy's own reading of it refuses).
_namedtuple: Callable[..., Any] = namedtuple
#: As `typing`: what a named tuple's class body may not set, and what it keeps for itself.
_PROHIBITED = frozenset({
    "__new__", "__init__", "__slots__", "__getnewargs__",
    "_fields", "_field_defaults", "_make", "_replace", "_asdict", "_source",
})  # fmt: skip
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

#: `typing.NamedTuple` for the class syntax (`class Count(NamedTuple): ...`), made without
#: compiling the annotations. Modules name `typing.NamedTuple` for type checkers, as for `dataclass`.
NamedTuple: Any = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})

"""The records made by `ldn_evidence.frozen` behave as the standard library's dataclasses do.

Each module that uses it is loaded a second time with `frozen.dataclass` and `frozen.field`
swapped for `dataclasses`' own, and every record class is compared with its twin: fields,
defaults, the constructor's parameters, and, on the shipped catalogue's records, repr,
equality, hashing, refusing a change, pickling, `dataclasses.replace` and orjson's output.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import pickle
import sys
from types import ModuleType
from typing import Any

import orjson
import pytest

from ldn_evidence import frozen
from ldn_evidence.cache import load_cached

MODULES = (
    "ldn_evidence.model", "ldn_evidence.errors", "ldn_evidence.options", "ldn_evidence.commands",
    "ldn_evidence.results", "ldn_evidence.published", "ldn_evidence.grading.evidence", "ldn_evidence.export",
    "ldn_evidence.rules", "ldn_evidence.catalogue", "ldn_evidence.wider", "ldn_evidence.writers",
)  # fmt: skip


def _twin(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """`name` loaded again as another module, its records made by `dataclasses`."""
    monkeypatch.setattr(frozen, "dataclass", dataclasses.dataclass)
    monkeypatch.setattr(frozen, "field", dataclasses.field)
    original = sys.modules[name]
    spec = importlib.util.spec_from_file_location(name + "_twin", original.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = original.__package__
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def _records(module: ModuleType) -> dict[str, type]:
    return {
        name: value for name, value in vars(module).items()
        if isinstance(value, type) and value.__module__ == module.__name__ and "__record_fields__" in vars(value)
    }  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_each_record_class_matches_its_dataclass_twin(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module(name)
    ours = _records(module)
    assert ours, f"{name} makes no records with `frozen`"
    twin = _twin(name, monkeypatch)
    for class_name, cls in ours.items():
        other = getattr(twin, class_name)
        assert dataclasses.is_dataclass(cls) and dataclasses.is_dataclass(other)
        assert [(f.name, f.type, f.default, f.default_factory, f.compare, f.repr, f.init, f.hash)
                for f in dataclasses.fields(cls)] == \
               [(f.name, f.type, f.default, f.default_factory, f.compare, f.repr, f.init, f.hash)
                for f in dataclasses.fields(other)], class_name  # fmt: skip
        mine = inspect.signature(cls).parameters
        theirs = inspect.signature(other).parameters
        assert [(p.name, p.kind, p.default) for p in mine.values()] == [
            (p.name, p.kind, p.default) for p in theirs.values()
        ], class_name
        assert cls.__match_args__ == other.__match_args__  # type: ignore[attr-defined]
        assert hasattr(cls, "__slots__") == hasattr(other, "__slots__"), class_name
        if hasattr(cls, "__slots__"):
            assert cls.__slots__ == other.__slots__  # type: ignore[attr-defined]
        assert cls.__qualname__ == other.__qualname__ and cls.__doc__ == other.__doc__


def _values(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def _shipped() -> list[Any]:
    catalogue = load_cached(None, use_cache=False)
    found: list[Any] = [catalogue]
    for study in catalogue.studies:
        found += [study, *study.sources, *study.findings, *study.adverse_events]
        found += [value for value in (study.duration, study.dose) if value is not None]
    for publication in catalogue.publications:
        found += [publication, *publication.facts, *publication.discrepancies]
    found += [*catalogue.documents, *catalogue.cautions]
    return found


def test_the_shipped_records_behave_as_their_twins(monkeypatch: pytest.MonkeyPatch) -> None:
    twin = _twin("ldn_evidence.model", monkeypatch)
    seen: set[str] = set()
    records = _shipped()
    for record in records:
        kind = type(record).__name__
        seen.add(kind)
        other_cls = getattr(twin, kind)
        values = _values(record)
        mirror = other_cls(**values)
        again = type(record)(**values)
        assert repr(record) == repr(mirror)
        assert (record == again) is True and (record != again) is False
        assert hash(record) == hash(again) == hash(mirror)
        assert record.__eq__(mirror) is NotImplemented
        name = dataclasses.fields(record)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot assign to field '{name}'"):
            setattr(record, name, None)
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot delete field '{name}'"):
            delattr(record, name)
        assert pickle.loads(pickle.dumps(record)) == record
        assert dataclasses.replace(record) == record
        assert dataclasses.asdict(record) == dataclasses.asdict(mirror)
        if kind != "Catalogue":  # orjson writes a record as its fields, as it writes the twin
            assert orjson.dumps(record) == orjson.dumps(mirror)
    assert {"Study", "Source", "Finding", "Publication", "PublishedFact", "Catalogue", "Document"} <= seen


def test_fields_left_out_of_equality_are_left_out_of_the_hash_too() -> None:
    from ldn_evidence.model import Source, Study

    study = next(s for s in _shipped() if isinstance(s, Study))
    moved = dataclasses.replace(study, line=study.line + 1)
    assert moved == study and hash(moved) == hash(study) and moved.line != study.line
    assert Source("a", "b") != Source("a", "c") and Source("a", "b") != ("a", "b")


def test_it_refuses_what_it_does_not_make() -> None:
    with pytest.raises(TypeError, match="frozen classes only"):
        frozen.dataclass(frozen=False)
    with pytest.raises(ValueError, match="both default and default_factory"):
        frozen.field(default=1, default_factory=list)

    class Out:
        a: int = 0
        b: int

    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        frozen.dataclass(frozen=True)(Out)


def _tuples(module: ModuleType) -> dict[str, type]:
    return {
        name: value for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, tuple) and value.__module__ == module.__name__
    }  # fmt: skip


#: The modules whose named tuples `frozen.NamedTuple` makes, and those named tuples.
NAMED_TUPLES = {
    "ldn_evidence.model": {"Entry", "Count", "Period", "Values"},
    "ldn_evidence.files": {"Page"},
    "ldn_evidence.grading.evidence": {"Conduct", "Evidence", "StudyBias", "Found", "Judgement"},
}


def _model_tuples() -> list[Any]:
    from ldn_evidence import model

    studies = [s for s in _shipped() if isinstance(s, model.Study)]
    made: list[Any] = [model.Values()]
    for study in studies:
        made.append(model.Entry(study.id, study.condition, study.design, study.effect, study.year,
                                study.population, study.n, study.duration, study.dose, study.measured,
                                study.mention, study.seeds))  # fmt: skip
        if study.n is not None:
            made += [model.Count(study.n, "enrolled"), model.Count(study.n, "stated")]
        if study.duration is not None:
            made += [model.Period(study.duration, "treatment"), model.Period(study.duration, "stated")]
            made.append(model.Values(counts=(model.Count(1, "randomized"),), periods=(made[-1],), year=study.year))
    return made


def _page_tuples() -> list[Any]:
    from ldn_evidence.files import folder_beside, read_pages

    from conftest import SHIPPED

    catalogue = load_cached(None, use_cache=False)
    folder = folder_beside(SHIPPED.parent.parent / "seeds")
    return [page for p in catalogue.publications for page in read_pages(folder, p)[1] or ()]


def _grading_tuples() -> list[Any]:
    from ldn_evidence.grading import findings_table, published_conduct

    catalogue = load_cached(None, use_cache=False)
    made: list[Any] = list(published_conduct(catalogue).values())
    for outcome in findings_table(catalogue, catalogue.studies):
        for item in outcome.body:
            made += [item, *item.findings, *item.domains, *([item.bias] if item.bias else [])]
    return made


_MADE = {"ldn_evidence.model": _model_tuples, "ldn_evidence.files": _page_tuples,
         "ldn_evidence.grading.evidence": _grading_tuples}  # fmt: skip


@pytest.mark.parametrize("name", NAMED_TUPLES)
def test_each_named_tuple_matches_its_typing_twin(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import typing

    ours = _tuples(importlib.import_module(name))
    assert set(ours) == NAMED_TUPLES[name]
    monkeypatch.setattr(frozen, "NamedTuple", typing.NamedTuple)
    twin = _twin(name, monkeypatch)
    assert set(_tuples(twin)) == set(ours)
    for class_name, cls in ours.items():
        other = getattr(twin, class_name)
        assert type(cls) is type(other) is type and cls.__bases__ == other.__bases__ == (tuple,)
        assert cls._fields == other._fields and cls._field_defaults == other._field_defaults  # type: ignore[attr-defined]
        assert cls.__qualname__ == other.__qualname__ and cls.__doc__ == other.__doc__
        assert list(cls.__annotations__) == list(other.__annotations__), class_name
        # The same methods and properties (`typing` also keeps the function its class statement named).
        assert set(vars(cls)) == set(vars(other)) - {"__orig_bases__"}, class_name
        mine, theirs = inspect.signature(cls).parameters, inspect.signature(other).parameters
        assert [(p.name, p.kind, p.default) for p in mine.values()] == [
            (p.name, p.kind, p.default) for p in theirs.values()
        ], class_name

    made = _MADE[name]()
    assert {type(value).__name__ for value in made} == set(ours)
    for value in made:
        mirror = getattr(twin, type(value).__name__)(*value)
        assert repr(value) == repr(mirror) and str(value) == str(mirror)
        assert value == mirror and hash(value) == hash(mirror) and value._asdict() == mirror._asdict()
        assert pickle.loads(pickle.dumps(value)) == value and type(pickle.loads(pickle.dumps(value))) is type(value)
        assert value._replace() == value and type(value)._make(list(value)) == value
        for attribute, member in vars(type(value)).items():
            if isinstance(member, property):
                assert getattr(value, attribute) == getattr(mirror, attribute), attribute


def test_named_tuples_refuse_what_typing_refuses() -> None:
    with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow default field a"):

        class Late(frozen.NamedTuple):  # type: ignore[misc]
            a: int = 0
            b: int

    with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _asdict"):

        class Overwrites(frozen.NamedTuple):  # type: ignore[misc]
            a: int

            def _asdict(self) -> dict[str, Any]:
                return {}

    with pytest.raises(TypeError, match="inherits from NamedTuple alone"):

        class Mixed(frozen.NamedTuple, int):  # type: ignore[misc]
            a: int

"""A JSON Schema (draft 2020-12) of the catalogue file, generated from the model.

Fields, which of them are required (those without a default), their types and
their descriptions (the docstring under each field) all come from the
dataclasses in `model`, and the allowed values from its vocabularies, so the
schema cannot drift from what the loader accepts.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import json
import typing
from typing import Any

from . import model
from .loader import FIRST_YEAR, IDENTIFIERS, ISO_DATE, MAX_TEXT, SLUG

_VOCABULARIES: dict[str, dict[str, Any]] = {
    "condition": model.CONDITIONS,
    "design": model.DESIGNS,
    "effect": model.EFFECTS,
    "measure": model.MEASURES,
    "kind": model.DOCUMENT_KINDS,
    "topic": model.CAUTION_TOPICS,
    "page_kind": model.PAGE_KINDS,
    "field": model.FACT_FIELDS,
}
#: Bookkeeping and what the loader fills in: not part of the file.
_SKIP = frozenset({"line", "publication", "computed"})
#: (record type, field) -> the schema of a field that the generic rules above cannot tell.
_OVERRIDES: dict[tuple[Any, str], dict[str, Any]] = {
    (model.Discrepancy, "kind"): {"enum": list(model.DISCREPANCY_KINDS)},
    (model.PublishedFact, "value"): {"type": ["integer", "string", "null"]},
    (model.Publication, "study"): {
        "anyOf": [
            {"type": "string", "pattern": SLUG.pattern},
            {"type": "array", "items": {"type": "string", "pattern": SLUG.pattern}, "minItems": 1},
        ]
    },
    **{
        (model.Publication, name): {"type": ["string", "null"], "pattern": pattern.pattern}
        for name, (pattern, _) in IDENTIFIERS.items()
        if name != "registry"
    },
    (model.Publication, "registry"): {
        "type": "array",
        "items": {"type": "string", "pattern": IDENTIFIERS["registry"][0].pattern},
    },
}


def field_docs(cls: type) -> dict[str, str]:
    """The docstring written under each field of a dataclass."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[node.target.id] = " ".join(following.value.value.split())
    return docs


def _type_schema(name: str, hint: Any) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)) and type(None) in args:
        inner = _type_schema(name, next(a for a in args if a is not type(None)))
        if "enum" in inner:
            return {**inner, "enum": [*inner["enum"], None]}
        if "type" in inner:
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is tuple:
        item = args[0]
        items = _object_schema(item) if dataclasses.is_dataclass(item) else _type_schema(name, item)
        return {"type": "array", "items": items}
    if hint is model.Duration:
        return {
            "type": "string",
            "description": "A number and a unit of time, e.g. '8 weeks'.",
            "pattern": ecmascript_ignore_case(model._DURATION_RE),
        }
    if hint is model.Dose:
        return {
            "type": "string",
            "description": "An amount in mg, e.g. '4.5 mg nightly'.",
            "pattern": ecmascript_ignore_case(model._DOSE_RE),
        }
    if name in _VOCABULARIES:
        return {"enum": list(_VOCABULARIES[name])}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer", "minimum": FIRST_YEAR if name == "year" else 1}
    if hint is str:
        if name == "id":
            return {"type": "string", "pattern": SLUG.pattern}
        if name == "date":
            return {"type": "string", "pattern": ISO_DATE.pattern}
        return {"type": "string", "maxLength": MAX_TEXT}
    raise TypeError(f"no schema for {name}: {hint!r}")


def ecmascript_ignore_case(pattern: str) -> str:
    """A case-insensitive Python pattern as one ECMAScript reads the same way without flags.

    JSON Schema patterns are ECMAScript regular expressions with no flags (an
    inline `(?i)` is a syntax error there), so each letter outside an escape
    becomes a class of both its cases: `mg` -> `[mM][gG]`.
    """
    out = []
    escape = in_class = False
    hex_digits = 0  # of an \xHH or \uHHHH escape, kept as they are
    for at, char in enumerate(pattern):
        if hex_digits:
            out.append(char)
            hex_digits -= 1
            continue
        if escape:
            out.append(char)
            escape = False
            hex_digits = {"x": 2, "u": 4}.get(char, 0)
            continue
        if in_class and char.isalpha() and "-" in (pattern[at - 1], pattern[at + 1 : at + 2]):
            raise ValueError(f"a range of letters in a class is not supported: {pattern!r}")
        if char == "\\":
            out.append(char)
            escape = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char.isascii() and char.isalpha() and char.lower() != char.upper():
            both = char.lower() + char.upper()
            out.append(both if in_class else f"[{both}]")
        else:
            out.append(char)
    return "".join(out)


def _object_schema(cls: Any) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, vars(model))
    docs = field_docs(cls)
    properties = {}
    required = []
    for field in dataclasses.fields(cls):
        if field.name in _SKIP:
            continue
        schema = _OVERRIDES.get((cls, field.name)) or _type_schema(field.name, hints[field.name])
        if field.name in docs:
            schema = {"description": docs[field.name], **schema}
        properties[field.name] = schema
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            required.append(field.name)
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    if cls is model.Study or cls is model.Caution:
        out["properties"]["sources"]["minItems"] = 1
    if cls is model.Study:
        # Written beside `duration` in the file; the model keeps it inside the Duration.
        kind = {
            "description": " ".join(field_docs(model.Duration)["kind"].split()) + " Inferred when left out.",
            "enum": [*model.DURATION_KINDS, None],
        }
        ordered: dict[str, Any] = {}
        for name, value in properties.items():
            ordered[name] = value
            if name == "duration":
                ordered["duration_kind"] = kind
        out["properties"] = ordered
    return out


def catalogue_schema() -> dict[str, Any]:
    """The JSON Schema of a catalogue file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ldn-evidence catalogue",
        "description": (
            "Studies of low-dose naltrexone as source documents describe them, each value backed by a quote."
        ),
        "type": "object",
        "properties": {
            "documents": {"type": "array", "items": _object_schema(model.Document)},
            "cautions": {"type": "array", "items": _object_schema(model.Caution)},
            "studies": {"type": "array", "items": _object_schema(model.Study)},
            "publications": {"type": "array", "items": _object_schema(model.Publication)},
        },
        "required": ["studies"],
        "additionalProperties": False,
    }


def schema_text() -> str:
    """The schema as the indented JSON text that `ldn schema` prints."""
    return json.dumps(catalogue_schema(), indent=2, ensure_ascii=False) + "\n"

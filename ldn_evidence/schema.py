"""A JSON Schema (draft 2020-12) of the catalogue file, generated from the declared rules.

Fields, which of them are required, their kinds, vocabularies and patterns come
from `rules`, the declarations the loader's checker reads too, and their
descriptions from the docstring under each field of the model's records, so the
schema cannot drift from what the loader accepts.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import json
from typing import Any

from . import model
from .rules import MAX_TEXT, MODELS, RECORDS, SECTIONS, SLUG, Rule, articles_layer


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


def _nullable(schema: dict[str, Any], rule: Rule) -> dict[str, Any]:
    """The schema of a field that may also be null (when the rule says so and it is not required)."""
    if not rule.nullable or rule.required is True:
        return schema
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _string(pattern: str | None = None) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern} if pattern else {"type": "string", "maxLength": MAX_TEXT}


def _rule_schema(rule: Rule) -> dict[str, Any]:
    """The JSON Schema of one declared field."""
    pattern = rule.pattern.pattern if rule.pattern is not None else None
    kind = rule.kind
    if kind in ("text", "date", "identifier"):
        from .rules import ISO_DATE

        return _nullable(_string(ISO_DATE.pattern if kind == "date" else pattern), rule)
    if kind == "slug":
        return _nullable({"type": "string", "pattern": SLUG.pattern}, rule)
    if kind == "int":
        return _nullable({"type": "integer", "minimum": rule.low if rule.low is not None else 1}, rule)
    if kind == "flag":
        return {"type": "boolean"}
    if kind == "vocabulary":
        assert rule.vocabulary is not None
        return _nullable({"enum": list(rule.vocabulary)}, rule)
    if kind == "duration":
        return _nullable(
            {
                "type": "string",
                "description": "A number and a unit of time, e.g. '8 weeks'.",
                "pattern": ecmascript_ignore_case(model._DURATION_RE),
            },
            rule,
        )
    if kind == "dose":
        return _nullable(
            {
                "type": "string",
                "description": "An amount in mg, e.g. '4.5 mg nightly'.",
                "pattern": ecmascript_ignore_case(model._DOSE_RE),
            },
            rule,
        )
    if kind in ("texts", "identifiers"):
        return {"type": "array", "items": _string(pattern)}
    if kind == "counts":
        return {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2}
    if kind == "slugs":
        return {"type": "array", "items": {"type": "string", "pattern": SLUG.pattern}}
    if kind == "records":
        assert rule.record is not None
        return {"type": "array", "items": _object_schema(rule.record)}
    if kind == "study-ids":
        return {
            "anyOf": [
                {"type": "string", "pattern": SLUG.pattern},
                {"type": "array", "items": {"type": "string", "pattern": SLUG.pattern}, "minItems": 1},
            ]
        }
    if kind == "value":
        return {"type": ["integer", "string", "null"]}
    raise TypeError(f"no schema for {rule.name}: {kind!r}")


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


def _object_schema(record: str) -> dict[str, Any]:
    """The schema of one record, from its declared rules; descriptions from the model's field docstrings."""
    docs = field_docs(MODELS[record])
    if record == "study":
        docs["duration_kind"] = " ".join(field_docs(model.Duration)["kind"].split()) + " Inferred when left out."
    properties = {}
    for rule in RECORDS[record]:
        schema = _rule_schema(rule)
        if rule.name in docs:
            schema = {"description": docs[rule.name], **schema}
        properties[rule.name] = schema
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [rule.name for rule in RECORDS[record] if rule.required is True]
    if required:
        out["required"] = required
    if record == "caution":
        properties["sources"]["minItems"] = 1
    if record == "study":
        # A study an article retells has seed quotes and says what was found; one no article
        # retells (`sources: []`) leaves its articles' layer empty.
        retold = [rule.name for rule in RECORDS[record] if rule.required == "retold"]
        empty: dict[str, Any] = {name: {"type": "null"} for name in articles_layer()}
        empty |= {"investigators": {"maxItems": 0}, "findings": {"maxItems": 0}, "adverse_events": {"maxItems": 0}}
        empty["mention"] = {"const": False}
        out["allOf"] = [
            {"if": {"properties": {"sources": {"minItems": 1}}}, "then": {"required": retold}},
            {"if": {"required": retold[:1]}, "then": {"properties": {"sources": {"minItems": 1}}}},
            {"if": {"properties": {"sources": {"maxItems": 0}}}, "then": {"properties": empty}},
        ]
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
            section: {"type": "array", "items": _object_schema(record)} if many else _object_schema(record)
            for section, (record, many) in SECTIONS.items()
        },
        "required": ["studies"],
        "additionalProperties": False,
    }


def schema_text() -> str:
    """The schema as the indented JSON text that `ldn schema` prints."""
    return json.dumps(catalogue_schema(), indent=2, ensure_ascii=False) + "\n"

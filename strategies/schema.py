"""The object's JSON Schema and its OpenAPI transcription, both derived from the attrs models.

Two readers need the shape in a schema language: JSON Schema tools (validators,
hypothesis-jsonschema) and client generators such as openapi-generator. Writing either
document by hand would state the shape a second time and let it drift from the models, so
both come from one walk over the attrs classes. The walk runs in one of two dialects:

- normative: what the rulebook enforces, documented rules included (ranges, the audio
  formats, ``null`` where a description allows it); it accepts exactly what
  `strategies.codec.violations` accepts, for documents inside the portable subset;
- published: the object as OpenAPI 2.3.0 states it, quirks and all, so that generated
  clients can be compared with what real users generate from the real specification.

Run ``python -m strategies.schema [--openapi]`` to print either document.
"""

from __future__ import annotations

import argparse
import inspect
import json
import pathlib
import sys
import types
import typing
from typing import Any

import attrs

from strategies.model import (
    Absent,
    Documented,
    MaxResponseOutputTokens,
    MinItems,
    Named,
    Null,
    RealtimeSessionCreateResponse,
    Variants,
)
from strategies.revisions import DEFAULT, SPECS

if typing.TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["COMPONENT", "OPERATION_ID", "SESSIONS_PATH", "json_schema", "main", "openapi_document"]

Schema = dict[str, Any]
Path = tuple[str, ...]
Annotation = object
"""A type form of the model: a class, a union, ``Literal[...]``, ``Annotated[...]``."""

DRAFT = "https://json-schema.org/draft/2020-12/schema"
COMPONENT = "RealtimeSessionCreateResponse"
SESSIONS_PATH = "/realtime/sessions"
OPERATION_ID = "create-realtime-session"

_SCALARS: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


@attrs.frozen
class _Dialect:
    """What a walk writes beyond the plain types."""

    documented: bool
    """Write the constraints stated only in descriptions (`Documented` metadata)."""
    nullable: bool
    """Allow ``null`` where the model has `Null` in a member's union."""
    untyped_arrays: frozenset[Path] = frozenset()
    """Members whose array schema keeps ``items`` but leaves out ``type: array``."""


_NORMATIVE = _Dialect(documented=True, nullable=True)
_PUBLISHED = _Dialect(
    documented=False,
    nullable=False,
    # The published schema gives `modalities` (and 2026-05-13 `output_modalities`) its
    # `items` without `type: array` (rule modalities.type reads it as an array anyway);
    # kept, because generators see it.
    untyped_arrays=frozenset({("modalities",), ("output_modalities",)}),
)


def _describe(cls: type) -> str:
    """Return the summary line of a model class, in Markdown rather than reST."""
    doc = inspect.getdoc(cls) or ""
    return doc.split("\n\n", 1)[0].replace("\n", " ").replace("``", "`")


def _is_union(kind: Annotation) -> bool:
    return isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union


def _schema_of(  # noqa: PLR0911 - one return per kind of annotation, read as a table
    kind: Annotation, dialect: _Dialect, path: Path
) -> Schema:
    """Translate one annotation of the model into a schema fragment."""
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return _annotated(kind, dialect, path)
    if _is_union(kind):
        return _union(kind, dialect, path)
    if origin is typing.Literal:
        return _literal(kind)
    if origin is tuple:
        return _array(kind, dialect, path)
    if origin is dict:
        # Free JSON objects (a tool's `parameters`): any members, any values.
        return {"type": "object"}
    if kind is MaxResponseOutputTokens:
        # A wrapper only the model needs; on the wire it is its one value.
        return _schema_of(_members(MaxResponseOutputTokens)["value"], dialect, path)
    if isinstance(kind, type) and attrs.has(kind):
        return _object(kind, dialect, path)
    if isinstance(kind, type) and kind in _SCALARS:
        return {"type": _SCALARS[kind]}
    raise TypeError(f"no schema for the annotation {kind!r} at {'.'.join(path) or 'the top'}")


def _members(cls: type) -> dict[str, Any]:
    """Return the wire members of a model class with their resolved annotations."""
    fields = attrs.fields(attrs.resolve_types(cls))
    return {f.name: f.type for f in fields if f.name != "unknown"}


def _object(cls: type, dialect: _Dialect, path: Path) -> Schema:
    # No `additionalProperties`: members the model does not know are valid at every level
    # (the model keeps them in `unknown`). `required` where a revision requires members.
    properties = {
        name: _schema_of(kind, dialect, (*path, name)) for name, kind in _members(cls).items()
    }
    schema: Schema = {"type": "object", "description": _describe(cls), "properties": properties}
    required = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]
    return {**schema, "required": required} if required else schema


def _array(kind: Annotation, dialect: _Dialect, path: Path) -> Schema:
    item, ellipsis = typing.get_args(kind)
    if ellipsis is not Ellipsis:
        raise TypeError(f"only homogeneous tuples are arrays, not {kind!r}")
    items = _schema_of(item, dialect, path)
    return {"items": items} if path in dialect.untyped_arrays else {"type": "array", "items": items}


def _literal(kind: Annotation) -> Schema:
    values = list(typing.get_args(kind))
    for json_type, python_type in (("string", str), ("integer", int)):
        if all(type(v) is python_type for v in values):
            return {"type": json_type, "enum": values}
    raise TypeError(f"only string or integer literals are enums, not {kind!r}")


def _annotated(kind: Annotation, dialect: _Dialect, path: Path) -> Schema:
    base, *metadata = typing.get_args(kind)
    variants = next((m for m in metadata if isinstance(m, Variants)), None)
    if variants is not None:
        shapes = [_schema_of(a, dialect, path) for a in typing.get_args(base)]
        return {variants.keyword: shapes}
    schema = _schema_of(base, dialect, path)
    for minimum in (m for m in metadata if isinstance(m, MinItems)):
        schema["minItems"] = minimum.count
    for named in (m for m in metadata if isinstance(m, Named)):
        # An open string that names some values, as the publication writes it.
        schema = {"anyOf": [schema, {**schema, "enum": list(named.values)}]}
    if not dialect.documented:
        return schema
    for constraint in (m for m in metadata if isinstance(m, Documented)):
        schema.update(_constraints(constraint, integral=schema.get("type") == "integer"))
    return schema


def _constraints(constraint: Documented, *, integral: bool) -> Schema:
    """Translate a `Documented` constraint; its bounds are inclusive, as the rulebook reads them."""
    found: Schema = {}
    if constraint.enum:
        found["enum"] = list(constraint.enum)
    for keyword in ("minimum", "maximum"):
        bound = getattr(constraint, keyword)
        if bound is not None:
            found[keyword] = int(bound) if integral else bound
    return found


def _union(kind: Annotation, dialect: _Dialect, path: Path) -> Schema:
    args = typing.get_args(kind)
    # Absent is not a value: leaving the member out is what every member allows already.
    rest = [a for a in args if a not in (Absent, Null)]
    choices = [_schema_of(a, dialect, path) for a in rest]
    schema = choices[0] if len(choices) == 1 else {"oneOf": choices}
    return _or_null(schema) if Null in args and dialect.nullable else schema


def _or_null(schema: Schema) -> Schema:
    if isinstance(schema.get("type"), str) and "enum" not in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def json_schema(document: type = RealtimeSessionCreateResponse) -> Schema:
    """Return the JSON Schema (draft 2020-12) of the object as the rulebook reads it.

    Documented rules are included, so a document passes exactly when the reference
    accepts it (inside the portable subset: plain integers, no lone surrogates).
    *document* is the root model of a revision (by default the seed's).
    """
    body = _schema_of(document, _NORMATIVE, ())
    optional = "Every member not listed as required is optional"
    return {
        "$schema": DRAFT,
        "title": COMPONENT,
        "description": (
            f"{body.pop('description')} {optional} and members not listed"
            " here are allowed at every level. Includes the rules the published"
            " specification states only in prose (ranges, audio formats, null)."
        ),
        **body,
    }


def openapi_document(document: type = RealtimeSessionCreateResponse) -> Schema:
    """Return an OpenAPI 3.0.0 document that transcribes the object as published.

    Only the schema-level shape: no ranges, no audio-format enum, no null, and the
    published omission of ``type: array`` on `modalities`; this is the input real
    client generators get, so generated clients can be tested against the rulebook.
    """
    reference = {"$ref": f"#/components/schemas/{COMPONENT}"}
    operation = {
        "operationId": OPERATION_ID,
        "summary": "Create a Realtime session and an ephemeral key for client-side use.",
        "responses": {
            "200": {
                "description": "The session, with its ephemeral key.",
                "content": {"application/json": {"schema": reference}},
            }
        },
    }
    return {
        "openapi": "3.0.0",
        "info": {
            "title": "OpenAI API",
            "description": "Transcription of one object of the OpenAI API, derived from the"
            " models of realtime-conformance.",
            "version": "2.3.0",
        },
        "paths": {SESSIONS_PATH: {"post": operation}},
        "components": {"schemas": {COMPONENT: _schema_of(document, _PUBLISHED, ())}},
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print the JSON Schema, or with ``--openapi`` the OpenAPI document, as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m strategies.schema",
        description="Print the schema of RealtimeSessionCreateResponse derived from the models.",
    )
    parser.add_argument(
        "--openapi",
        action="store_true",
        help="print the OpenAPI 3.0 transcription of the published object instead",
    )
    parser.add_argument(
        "--spec",
        default=DEFAULT,
        choices=list(SPECS),
        help=f"the revision of the object (default {DEFAULT})",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write the document to FILE (for build steps, which have no shell redirection)",
    )
    options = parser.parse_args(argv)
    model = SPECS[options.spec].document
    document = openapi_document(model) if options.openapi else json_schema(model)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if options.output:
        output = pathlib.Path(options.output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

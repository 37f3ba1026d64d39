"""Checks request bodies against LINE's own OpenAPI document, plus the limits it documents only in prose.

The document (bot/line_openapi/messaging-api.yml, copied from line/line-openapi) types every message,
action and flex component as a `discriminator` over its `type` field, and every subtype inherits its
parent through `allOf`. JSON Schema has no discriminators, so this module adds one keyword that picks
the mapped subtype by the property's value, and points each subtype's `allOf` at a copy of its parent
without the discriminator (otherwise parent -> subtype -> parent would loop).

The fake LINE API (bot/fake_line.py) runs every request through `violations()`, so the test suite and
the simulator see a 400 wherever the real API would refuse a message. jsonschema is only needed here:
the production web never imports this module.
"""
from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from bot.line_limits import Violation, message_limit_violations

SPEC_PATH = Path(__file__).parent / "line_openapi" / "messaging-api.yml"
_ROOT = "urn:line-openapi"
_BASE = "__base"


# --- the OpenAPI document as JSON Schema ----------------------------------------------------------

def _rewrite_parent_refs(node: Any, discriminated: set[str]) -> Any:
    """Inside allOf, a $ref to a discriminated parent means "the parent's own fields", not "dispatch again"."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "allOf" and isinstance(value, list):
                out[key] = [_parent_ref(item, discriminated) for item in value]
            else:
                out[key] = _rewrite_parent_refs(value, discriminated)
        return out
    if isinstance(node, list):
        return [_rewrite_parent_refs(item, discriminated) for item in node]
    return node


def _parent_ref(item: Any, discriminated: set[str]) -> Any:
    ref = item.get("$ref") if isinstance(item, dict) else None
    if ref and ref.rsplit("/", 1)[-1] in discriminated:
        return {"$ref": ref + _BASE}
    return _rewrite_parent_refs(item, discriminated)


def _as_json_schema(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec["components"]["schemas"]
    discriminated = {name for name, schema in schemas.items() if "discriminator" in schema}
    out = {name: _rewrite_parent_refs(schema, discriminated) for name, schema in schemas.items()}
    for name in discriminated:
        base = copy.deepcopy(out[name])
        base.pop("discriminator")
        out[name + _BASE] = base
    return {"components": {"schemas": out}}


def _request_paths(spec: dict[str, Any]) -> list[tuple[str, re.Pattern[str], str]]:
    """(method, path pattern, schema name) for every operation whose JSON body the document types."""
    routes = []
    for template, operations in spec.get("paths", {}).items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            content = (operation.get("requestBody") or {}).get("content", {})
            ref = (content.get("application/json") or {}).get("schema", {}).get("$ref")
            if ref:
                routes.append((method.upper(), pattern, ref.rsplit("/", 1)[-1]))
    return routes


@dataclass(frozen=True)
class _Spec:
    validator_class: Any
    registry: Any
    routes: list[tuple[str, re.Pattern[str], str]]


def _discriminator(validator: Any, value: dict[str, Any], instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """The OpenAPI keyword jsonschema lacks: validate against the subtype the property names."""
    from jsonschema import ValidationError

    if not isinstance(instance, dict):
        return
    prop = value["propertyName"]
    mapping = value.get("mapping", {})
    if prop not in instance:
        yield ValidationError(f"'{prop}' is required; one of {sorted(mapping)}", validator="discriminator")
        return
    target = mapping.get(instance[prop]) if isinstance(instance[prop], str) else None
    if target is None:
        yield ValidationError(f"'{prop}' {instance[prop]!r} is not one of {sorted(mapping)}",
                              validator="discriminator", path=[prop])
        return
    yield from validator.descend(instance, {"$ref": target})


@functools.lru_cache(maxsize=4)
def _load(path: str = str(SPEC_PATH)) -> _Spec:
    """Parse the document once per process: it is 180 kB of YAML."""
    import yaml
    from jsonschema import Draft4Validator, validators
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe loader
    schema = _as_json_schema(spec)
    registry = Registry().with_resource(_ROOT, Resource(contents=schema, specification=DRAFT4))
    # OpenAPI 3.0 schema objects are a JSON Schema draft-4 dialect (exclusiveMaximum as a boolean, etc.).
    cls = validators.extend(Draft4Validator, {"discriminator": _discriminator})
    return _Spec(cls, registry, _request_paths(spec))


def schema_for(method: str, path: str, spec_path: str = str(SPEC_PATH)) -> str | None:
    """The name of the schema the document gives this request's body, if any."""
    for route_method, pattern, name in _load(spec_path).routes:
        if route_method == method.upper() and pattern.match(path):
            return name
    return None


def _property_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _leaf_errors(error: Any) -> Iterator[Any]:
    """The most specific causes: a failed discriminator branch reports its own errors, not a summary."""
    if error.context:
        for sub in error.context:
            yield from _leaf_errors(sub)
    else:
        yield error


def schema_violations(schema_name: str, body: Any, spec_path: str = str(SPEC_PATH)) -> list[Violation]:
    """Everything the OpenAPI document says is wrong with body as a `schema_name`."""
    spec = _load(spec_path)
    validator = spec.validator_class({"$ref": f"{_ROOT}#/components/schemas/{schema_name}"}, registry=spec.registry)
    found = []
    for error in validator.iter_errors(body):
        for leaf in _leaf_errors(error):
            found.append(Violation(_property_path(leaf.absolute_path), leaf.message))
    return sorted(set(found), key=lambda v: (v.property, v.message))


def violations(method: str, path: str, body: Any) -> list[Violation]:
    """What LINE would refuse in this request: the OpenAPI schema, then the documented limits."""
    name = schema_for(method, path)
    if name is None:
        return []
    found = schema_violations(name, body)
    if isinstance(body, dict) and isinstance(body.get("messages"), list):

        for i, message in enumerate(body["messages"]):
            found.extend(message_limit_violations(message, f"messages[{i}]"))
    return found


def error_body(found: list[Violation]) -> dict[str, Any]:
    """LINE's 400 answer: a summary and one detail per problem."""
    return {"message": f"The request body has {len(found)} error(s)", "details": [v.as_detail() for v in found]}


def describe(found: list[Violation]) -> str:
    return json.dumps([v.as_detail() for v in found], ensure_ascii=False)

"""A small JSON Schema validator for the keywords our schemas use (type, enum, const, pattern, required,
properties, additionalProperties, items, minItems, minLength, minimum, uniqueItems, $ref to $defs,
if/then/else). The jsonschema package does the same job but costs seconds to import on machines where its
optional format checkers are installed; these schemas need none of that. tests/test_schemacheck.py checks
that both agree on every schema and fixture."""
import re
from dataclasses import dataclass, field

_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


@dataclass
class SchemaError:
    validator: str
    validator_value: object
    instance: object
    absolute_path: list = field(default_factory=list)
    schema: dict = field(default_factory=dict)
    message: str = ""


class Validator:
    def __init__(self, schema):
        self.root = schema
        self._patterns = {}

    def _resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError(f"unsupported $ref {ref}")
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def _re(self, p):
        r = self._patterns.get(p)
        if r is None:
            r = self._patterns[p] = re.compile(p)
        return r

    def is_valid(self, instance, schema=None):
        return next(self._errors(instance, self.root if schema is None else schema, []), None) is None

    def iter_errors(self, instance):
        return self._errors(instance, self.root, [])

    def _errors(self, inst, s, path):
        if "$ref" in s:
            yield from self._errors(inst, self._resolve(s["$ref"]), path)
        if "type" in s:
            types = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(_TYPES[t](inst) for t in types):
                yield SchemaError("type", s["type"], inst, list(path), s, f"{inst!r} is not of type {s['type']}")
                return
        if "const" in s and inst != s["const"]:
            yield SchemaError("const", s["const"], inst, list(path), s, f"{s['const']!r} was expected")
        if "enum" in s and inst not in s["enum"]:
            yield SchemaError("enum", s["enum"], inst, list(path), s, f"{inst!r} is not one of {s['enum']}")
        if isinstance(inst, str):
            if "minLength" in s and len(inst) < s["minLength"]:
                yield SchemaError("minLength", s["minLength"], inst, list(path), s, f"{inst!r} is too short")
            if "pattern" in s and not self._re(s["pattern"]).search(inst):
                yield SchemaError("pattern", s["pattern"], inst, list(path), s, f"{inst!r} does not match {s['pattern']!r}")
        if isinstance(inst, (int, float)) and not isinstance(inst, bool) and "minimum" in s and inst < s["minimum"]:
            yield SchemaError("minimum", s["minimum"], inst, list(path), s, f"{inst} is less than {s['minimum']}")
        if isinstance(inst, dict):
            for k in s.get("required", []):
                if k not in inst:
                    yield SchemaError("required", s["required"], inst, list(path), s, f"{k!r} is a required property")
            props = s.get("properties", {})
            for k, v in inst.items():
                if k in props:
                    yield from self._errors(v, props[k], path + [k])
            if s.get("additionalProperties") is False:
                extra = [k for k in inst if k not in props]
                if extra:
                    yield SchemaError("additionalProperties", False, inst, list(path), s,
                                      f"Additional properties are not allowed ({', '.join(map(str, extra))})")
        if isinstance(inst, list):
            if "minItems" in s and len(inst) < s["minItems"]:
                yield SchemaError("minItems", s["minItems"], inst, list(path), s, f"{inst!r} is too short")
            if s.get("uniqueItems"):
                seen = []
                for v in inst:
                    if v in seen:
                        yield SchemaError("uniqueItems", True, inst, list(path), s, f"{inst!r} has non-unique elements")
                        break
                    seen.append(v)
            if "items" in s:
                for i, v in enumerate(inst):
                    yield from self._errors(v, s["items"], path + [i])
        if "if" in s:
            branch = s.get("then") if self.is_valid(inst, s["if"]) else s.get("else")
            if branch:
                yield from self._errors(inst, branch, path)

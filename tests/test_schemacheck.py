"""xuncha's small schema validator must agree with the jsonschema package on every schema and record."""
import json
from pathlib import Path

import pytest
import yaml

from xuncha.records import SCHEMA_DIR
from xuncha.schemacheck import Validator

jsonschema = pytest.importorskip("jsonschema")
REPO = Path(__file__).resolve().parents[1]
KIND_DIRS = {"regulation": "regulations", "checklist": "checklists", "finding": "findings", "method": "methods"}


def _pairs():
    for kind, folder in KIND_DIRS.items():
        for root in (REPO, REPO / "tests" / "data" / "corpus"):
            for p in sorted((root / folder).glob("*.yaml")):
                yield kind, p


def _mutations(data):
    """A few broken copies of a valid record: one per keyword our schemas use."""
    out = [dict(data, schema_version=2), dict(data, id=123), dict(data, unexpected="x")]
    for k in list(data)[:6]:
        d = dict(data)
        del d[k]
        out.append(d)
    if "basis" in data:
        out += [dict(data, basis=[]), dict(data, basis=["bad ref"]), dict(data, basis=["jilv-2023#111", "jilv-2023#111"])]
    if data.get("articles") and isinstance(data["articles"][0], dict):
        a = dict(data["articles"][0], number=0, digest="")
        out.append(dict(data, articles=[a] + data["articles"][1:]))
    return out


@pytest.mark.parametrize("kind", sorted(KIND_DIRS))
def test_schemas_are_valid_json_schema(kind):
    jsonschema.Draft202012Validator.check_schema(json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")))


def test_same_verdicts_and_same_error_places_as_jsonschema():
    checked = 0
    for kind, path in _pairs():
        schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
        ours, ref = Validator(schema), jsonschema.Draft202012Validator(schema)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for inst in [data] + _mutations(data):
            a = sorted((e.validator, tuple(map(str, e.absolute_path))) for e in ours.iter_errors(inst))
            b = sorted((e.validator, tuple(map(str, e.absolute_path))) for e in ref.iter_errors(inst))
            assert a == b, (path.name, a, b)
            checked += 1
    assert checked > 100


def test_overlay_schema_conditionals():
    schema = json.loads((SCHEMA_DIR / "overlay.schema.json").read_text(encoding="utf-8"))
    ours, ref = Validator(schema), jsonschema.Draft202012Validator(schema)
    for inst in ({}, {"schema_version": 1, "kind": "material", "id": "x", "source": {}},
                 {"schema_version": 1, "kind": "regulation_text", "id": "x", "source": {}}):
        assert sorted(e.validator for e in ours.iter_errors(inst)) == sorted(e.validator for e in ref.iter_errors(inst))

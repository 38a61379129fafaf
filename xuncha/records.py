"""Load record files and validate each against its kind's JSON schema.

Every problem is collected (never only the first) as a :class:`Problem` naming the file and the field."""
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .paths import KIND_DIRS

SCHEMA_DIR = Path(__file__).parent / "schemas"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64           # nesting levels; real records use fewer than 10
MAX_NODES = 1_000_000    # values after expanding YAML aliases (a "billion laughs" file has billions)
_JSON_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Problem:
    path: str          # file path relative to the root
    field: str         # dotted field path, '' for the whole file
    message: str       # Chinese, says what is wrong and what to do
    level: str = "error"  # error | warning

    def __str__(self):
        where = f"{self.path}#{self.field}" if self.field else self.path
        tag = "" if self.level == "error" else "（提示）"
        return f"{where}: {tag}{self.message}"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"键「{key_node.value if isinstance(key_node, yaml.ScalarNode) else '[…]'}」不是文本"
                "（YAML 会把数字、日期、yes/no/on/off 当作非文本）；请给键加引号",
                key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键「{key}」（同一层级只能出现一次）", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# An unquoted 2024-01-01 stays the text the schema expects (PyYAML would make it a date object).
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _flow_depth(text):
    """Deepest nesting of [ and { (counted roughly, ignoring quotes). libyaml's composer recurses once per
    level and crashes the whole process (segmentation fault) on tens of thousands of levels, so this is
    checked on the text before parsing."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    for m in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if m.group() in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def shape_problem(data):
    """(field, message) for data that is not plain JSON-like text/numbers/lists/mappings within bounds, or None.
    Walks the value tree without memo, so aliases are counted as often as they are expanded."""
    stack, nodes = [(data, [], 0)], 0
    while stack:
        node, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return "", f"文件内容展开后超过 {MAX_NODES:,} 个值（是否用 YAML 锚点和别名 &、* 反复引用？）；记录文件请直接写出内容"
        if depth > MAX_DEPTH:
            return ".".join(map(str, path[:8])) + "…", f"嵌套超过 {MAX_DEPTH} 层；记录文件不需要这么深的结构"
        if isinstance(node, dict):
            stack.extend((v, path + [k], depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, path + [i], depth + 1) for i, v in enumerate(node))
        elif not isinstance(node, _JSON_SCALARS):
            return ".".join(map(str, path)), f"不支持的 YAML 类型（{type(node).__name__}）；只能写文本、数字、true/false、列表和键值映射"
    return None


def display_path(rel):
    """A path that can always be printed: bytes of a file name that are not UTF-8 become U+FFFD."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_yaml(path, rel):
    """Parse one YAML file. Returns (data or None, [Problem])."""
    problems = []
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        return None, [Problem(rel, "", f"无法读取文件：{e.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(rel, "", f"文件过大（{len(raw) // 1024} KB），单个记录文件不应超过 {MAX_FILE_BYTES // 1024 // 1024} MB")]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(rel, "", "文件以 BOM 开头；已按 UTF-8 读取，建议另存为「UTF-8（无 BOM）」", "warning"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        return None, problems + [Problem(rel, "", f"不是 UTF-8 编码{guess}，第 {e.start} 字节无法解码；请用编辑器另存为 UTF-8")]
    if "\x00" in text:
        return None, problems + [Problem(rel, "", "文件含有 NUL 字符，可能是二进制文件；记录文件必须是 UTF-8 文本")]
    if not text.strip():
        return None, problems + [Problem(rel, "", "文件为空；请填写记录内容，或删除该文件")]
    if _flow_depth(text) > MAX_DEPTH:
        return None, problems + [Problem(rel, "", f"方括号或花括号嵌套超过 {MAX_DEPTH} 层；记录文件不需要这么深的结构，请检查文件是否损坏")]
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        pos = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "未知位置"
        what = e.problem or e.context or "无法解析"
        line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
        value = line.split(":", 1)[1].strip() if ":" in line else line.strip().lstrip("- ")
        if isinstance(e, yaml.constructor.ConstructorError) and "请" in what:
            hint = ""  # one of our own messages, already says what to do
        elif value[:1] in ("*", "&", "!", "%", "@", "`"):
            hint = f"以「{value[:1]}」开头的值（如脱敏的 ***）必须加引号，例如 '{value[:12]}…'"
        else:
            hint = "常见原因：缩进不一致、冒号后缺空格、引号未闭合"
        return None, problems + [Problem(rel, pos, f"YAML 格式错误：{what}" + (f"。{hint}" if hint else ""))]
    except yaml.YAMLError as e:
        return None, problems + [Problem(rel, "", f"YAML 格式错误：{e}")]
    except RecursionError:
        return None, problems + [Problem(rel, "", f"嵌套层数过多；记录文件不需要这么深的结构（上限 {MAX_DEPTH} 层）")]
    if data is None or not isinstance(data, dict):
        return None, problems + [Problem(rel, "", "文件内容应为一个键值映射（以「id: …」等字段开头）")]
    bad = shape_problem(data)
    if bad:
        return None, problems + [Problem(rel, *bad)]
    return data, problems


@lru_cache(maxsize=None)
def load_schema(kind):
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(kind):
    from .schemacheck import Validator
    return Validator(load_schema(kind))


_TYPE_CN = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "true/false", "array": "列表",
            "object": "键值映射", "null": "null（空）"}


def _type_name(v):
    if v is None:
        return "null"
    return {bool: "true/false", int: "整数", float: "数字", str: "文本", list: "列表", dict: "键值映射"}.get(type(v), type(v).__name__)


def field_path(data, path):
    """['articles', 3, 'digest'] -> 'articles[第113条].digest' (uses the element's number or id)."""
    out, node = "", data
    for p in path:
        if isinstance(p, int):
            el = node[p] if isinstance(node, list) and p < len(node) else None
            label = f"#{p + 1}"
            if isinstance(el, dict):
                if isinstance(el.get("number"), int):
                    label = f"第{el['number']}条" if "topic" in el and "title" not in el else f"第{el['number']}部分"
                elif isinstance(el.get("id"), str):
                    label = el["id"]
                elif isinstance(el.get("focus"), str):
                    label = el["focus"]
            out += f"[{label}]"
        else:
            out += ("." if out else "") + str(p)
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            node = None
    return out


def _short(v, n=40):
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else f"「{v}」"
    return s if len(s) <= n else s[: n - 1] + "…"


def translate(err, data):
    """One jsonschema error -> (field path, Chinese message)."""
    path = list(err.absolute_path)
    v, val, inst = err.validator, err.validator_value, err.instance
    if v == "required":
        missing = [k for k in val if isinstance(inst, dict) and k not in inst]
        return field_path(data, path + missing[:1]), "缺少必填字段；请补上该字段（见 xuncha/schemas 中的说明和示例）"
    if v == "additionalProperties":
        allowed = set(err.schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed] if isinstance(inst, dict) else []
        hint = "、".join(sorted(allowed)[:12])
        return field_path(data, path + extra[:1]), f"未知字段（拼写错误？）。允许的字段：{hint}"
    if v == "type":
        want = val if isinstance(val, list) else [val]
        return field_path(data, path), f"类型应为{'或'.join(_TYPE_CN.get(t, t) for t in want)}，实际是{_type_name(inst)} {_short(inst)}"
    if v == "enum":
        opts = "、".join(str(o) for o in val[:12])
        return field_path(data, path), f"取值 {_short(inst)} 不在允许范围内；应为：{opts}"
    if v == "pattern":
        ex = err.schema.get("examples", [])
        hint = f"，例如 {_short(ex[0])}" if ex else ""
        return field_path(data, path), f"格式不对：{_short(inst)}{hint}"
    if v == "minLength":
        return field_path(data, path), "不能为空" if not inst else f"太短（至少 {val} 个字）"
    if v == "minItems":
        return field_path(data, path), f"至少需要 {val} 项，现有 {len(inst)} 项"
    if v == "uniqueItems":
        return field_path(data, path), "列表中有重复项；请删去重复的"
    if v in ("minimum", "maximum"):
        return field_path(data, path), f"数值 {inst} 超出范围（{'最小' if v == 'minimum' else '最大'} {val}）"
    return field_path(data, path), f"不符合格式要求：{err.message}"


def validate_record(kind, data, rel):
    problems = []
    for err in sorted(validator(kind).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        fpath, msg = translate(err, data)
        problems.append(Problem(rel, fpath, msg))
    return problems


def load_kind(root, kind):
    """Load and validate every record of one kind. Returns ({id: record}, [Problem])."""
    root = Path(root)
    folder = root / KIND_DIRS[kind]
    records, problems = {}, []
    if not folder.is_dir():
        return records, problems
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        rel = display_path(path.relative_to(root).as_posix())
        if path.suffix not in (".yaml", ".yml"):
            problems.append(Problem(rel, "", "不是 .yaml 文件，已忽略；记录文件的扩展名应为 .yaml", "warning"))
            continue
        data, probs = read_yaml(path, rel)
        problems += probs
        if data is None:
            continue
        schema_problems = validate_record(kind, data, rel)
        problems += schema_problems
        rid = data.get("id")
        mismatch = isinstance(rid, str) and rid != path.stem
        if mismatch:
            problems.append(Problem(rel, "id", f"编号「{rid}」与文件名「{display_path(path.stem)}」不一致；请把文件改名为 {rid}.yaml 或改正编号"))
        if schema_problems or mismatch or not isinstance(rid, str):
            continue  # a misnamed copy does not take the ID from the file that rightly holds it
        if rid in records:
            problems.append(Problem(rel, "id", f"编号「{rid}」重复（已在 {records[rid]['_path']} 中使用）；编号必须唯一"))
            continue
        data["_path"] = rel
        records[rid] = data
    return records, problems

"""Read ``hlsp.yaml`` safely, remember where every value stands, check the schema.

``hlsp.yaml`` comes from a pull request, so it is untrusted input:

* files larger than :data:`MAX_BYTES` are refused before parsing;
* aliases (``*name``) are refused altogether, which makes "billion laughs"
  bombs impossible (the metadata never needs them);
* duplicate keys are refused with the line of the second one (PyYAML would
  silently keep the last);
* the top level must be a mapping; nesting deeper than :data:`MAX_DEPTH` is refused;
* dates stay text (``2026-11-01``), exactly as written, so that the JSON
  Schema sees what the scientist typed.

Every refusal is a :class:`YamlLoadError` carrying the 1-based line and
column, so a CI annotation lands on the offending line.  Positions of all
values are kept in :class:`YamlDocument` so that schema problems point at
their line too.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hlsp.errors import HlspError
from hlsp.profiles import validators_dir

if TYPE_CHECKING:
    import jsonschema

MAX_BYTES = 1024 * 1024  # hlsp.yaml larger than this is refused unread
MAX_DEPTH = 32

Path_ = tuple  # a path into the document: ("products", 0, "sha256")


class YamlLoadError(HlspError):
    """hlsp.yaml cannot be used at all; ``line``/``column`` are 1-based (or None)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(slots=True)
class YamlDocument:
    """Parsed YAML plus the (line, column) of every value and every mapping key."""

    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Where ``path`` stands; the nearest enclosing value when it is absent."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


# ------------------------------------------------------------------------ loading
class MetadataLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and keeps timestamps as text."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise YamlLoadError(
                f"aliases (*{event.anchor}) are not allowed in hlsp.yaml: write the value out in full",
                *_mark(event.start_mark),
            )
        return super().compose_node(parent, index)


MetadataLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))

MAX_INT_DIGITS = 4000  # below Python's int/str conversion limit (4300 digits)


def _construct_int(loader: MetadataLoader, node: ScalarNode) -> int:
    """YAML integers, refusing any too long to be a number anyone means (issue 17, item 7)."""
    digits = sum(ch.isalnum() for ch in node.value)
    value = None
    if digits <= MAX_INT_DIGITS:
        try:
            value = yaml.SafeLoader.construct_yaml_int(loader, node)
        except ValueError:
            value = None
    # (sexagesimal 1:30:... and 0x... forms can also grow past the limit once converted)
    if value is None or value.bit_length() > MAX_INT_DIGITS * 3.33:
        raise YamlLoadError(
            f"a number of {digits} digits is too long (at most {MAX_INT_DIGITS}): quote it if it is text",
            *_mark(node.start_mark),
        )
    return value


MetadataLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _mark(mark) -> tuple[int | None, int | None]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _read_limited(path: str | os.PathLike, max_bytes: int) -> bytes:
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise YamlLoadError(f"hlsp.yaml is {size} bytes; the limit is {max_bytes} bytes (metadata only, no data)")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise YamlLoadError(f"cannot read hlsp.yaml: {exc.strerror or exc}") from None
    if len(data) > max_bytes:  # grew while we looked
        raise YamlLoadError(f"hlsp.yaml is larger than the limit of {max_bytes} bytes")
    return data


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlLoadError("hlsp.yaml is not valid UTF-8 text (save it as UTF-8)", line, column) from None


def load_yaml_file(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Read and parse a metadata file (see the module docstring for the limits)."""
    return parse_yaml(_decode(_read_limited(path, max_bytes)))


def parse_yaml(text: str, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Parse metadata text into a :class:`YamlDocument`, or raise :class:`YamlLoadError`."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise YamlLoadError(f"hlsp.yaml is larger than the limit of {max_bytes} bytes")
    loader = MetadataLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlLoadError(
                "hlsp.yaml is empty: it must hold the collection's fields (run `hlsp init` for a template)", 1, 1
            )
        if not isinstance(node, MappingNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a single value"
            raise YamlLoadError(
                f"hlsp.yaml must be a mapping of fields (`key: value` lines), not {kind}", *_mark(node.start_mark)
            )
        doc = YamlDocument(None)
        _walk(loader, node, (), doc, 0)
        doc.data = loader.construct_document(node)
        return doc
    except YamlLoadError:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(f"hlsp.yaml is not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlLoadError(f"hlsp.yaml is nested too deeply (limit {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlLoadError:
    """A YAML syntax error, placed where its cause is.

    PyYAML notices an unclosed quote only where the quoted text finally ends
    badly, often many lines later; ``context_mark`` is where the quoted
    scalar (or the block) began.  The error names both lines and points at
    the first, and a quote left open on a line of its own is named.
    """
    what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
    problem, context = exc.problem_mark, exc.context_mark
    line, column = _mark(problem or context)
    quoted = "quoted scalar" in str(exc.context or "")
    if quoted and context is not None and problem is not None and context.line != problem.line:
        start = context.line + 1
        line, column = _mark(context)
        what += f" (noticed on line {problem.line + 1}, it starts on line {start})"
    quote = _unclosed_quote(text, (problem.line if problem is not None else len(text.splitlines())))
    if quote is not None and quote[0] != line:
        if "noticed on line" not in what and problem is not None:
            what += f" (noticed on line {problem.line + 1})"
        what += f"; line {quote[0]} opens a quote that is not closed on that line"
        line, column = quote
    return YamlLoadError(f"hlsp.yaml is not valid YAML: {what}", line, column)


def _unclosed_quote(text: str, last_line: int) -> tuple[int, int] | None:
    """(line, column) of the first line up to ``last_line`` (0-based) whose value opens a quote it does not close."""
    for n, raw in enumerate(text.splitlines()[: last_line + 1], 1):
        stripped = raw
        m = re.match(r"""^\s*(?:-\s+)?(?:[^\s:'"#][^:#]*:\s+)?(["'])""", stripped)
        if not m:
            continue
        q = m.group(1)
        rest = stripped[m.end() :]
        closed = rest.replace(q * 2, "") if q == "'" else re.sub(r"\\.", "", rest)
        if q not in closed:
            return n, m.end(1)
    return None


def _walk(loader: MetadataLoader, node: Node, path: Path_, doc: YamlDocument, depth: int) -> None:
    """Record positions, refuse duplicate and non-text keys and excessive depth."""
    if depth > MAX_DEPTH:
        raise YamlLoadError(f"hlsp.yaml is nested more than {MAX_DEPTH} levels deep", *_mark(node.start_mark))
    doc.positions[path] = _mark(node.start_mark)
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlLoadError("merge keys (<<) are not allowed in hlsp.yaml", *_mark(key_node.start_mark))
            if not isinstance(key_node, ScalarNode):
                raise YamlLoadError("a key must be a plain name, not a list or mapping", *_mark(key_node.start_mark))
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                raise YamlLoadError(f"key {key_node.value!r} must be text (quote it)", *_mark(key_node.start_mark))
            line, column = _mark(key_node.start_mark)
            if key in seen:
                raise YamlLoadError(
                    f"duplicate key {key!r} (first given on line {seen[key]}): give each field once", line, column
                )
            seen[key] = line
            doc.key_positions[path + (key,)] = (line, column)
            _walk(loader, value_node, path + (key,), doc, depth + 1)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _walk(loader, item, path + (i,), doc, depth + 1)


# -------------------------------------------------------------------------- schema
SCHEMA_FILE = "hlsp.schema.json"


@functools.lru_cache(maxsize=1)
def schema() -> dict:
    path = validators_dir() / "schemas" / SCHEMA_FILE
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise HlspError(f"cannot load the metadata schema {path}: {exc}") from None


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    # jsonschema is imported here, when an hlsp.yaml is validated: importing it
    # costs ~50-80 ms, which every `hlsp validate` of plain files would pay.
    import jsonschema

    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema(), format_checker=cls.FORMAT_CHECKER)


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One schema violation, in words a scientist understands."""

    message: str
    hint: str
    path: Path_  # where in the document (for the line number)
    key: bool = False  # True: point at the key rather than the value
    missing: str | None = None  # the required field that is missing (validator "required")
    misspelt: str | None = None  # the known field an unknown key is closest to


def schema_problems(data: Any) -> list[SchemaProblem]:
    """Every schema violation of ``data``, sorted by position in the document."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return _merge_misspelt([_explain(e) for e in errors])


def _merge_misspelt(problems: list[SchemaProblem]) -> list[SchemaProblem]:
    """One problem for a misspelt required field (``licence:``), not "unknown" plus "missing"."""
    missing = {(p.path, p.missing): p for p in problems if p.missing}
    out, dropped = [], set()
    for p in problems:
        if p.misspelt and (p.path[:-1], p.misspelt) in missing:
            dropped.add((p.path[:-1], p.misspelt))
            out.append(
                SchemaProblem(
                    f"{_where(p.path[:-1])}: `{p.path[-1]}` is not a field; the required field `{p.misspelt}` is "
                    f"missing: rename `{p.path[-1]}` to `{p.misspelt}`",
                    missing[(p.path[:-1], p.misspelt)].hint,
                    p.path,
                    key=True,
                )
            )
        else:
            out.append(p)
    return [p for p in out if not (p.missing and (p.path, p.missing) in dropped)]


def _where(path: Path_) -> str:
    if not path:
        return "hlsp.yaml"
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else (("." if out else "") + str(p))
    return out.replace(".[", "[")


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) < 60 else f"a text of {len(value)} characters"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "an empty value" if value is None else repr(value)


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping (key: value lines)",
    "boolean": "true or false",
    "null": "empty",
}


def _explain(e: jsonschema.ValidationError) -> SchemaProblem:
    path = tuple(e.absolute_path)
    where = _where(path)
    sub = e.schema if isinstance(e.schema, dict) else {}
    hint = sub.get("x-hint") or sub.get("description") or ""
    v = e.validator
    if v in ("oneOf", "anyOf") and "x-message" in sub:
        return SchemaProblem(f"{where}: {sub['x-message']}", hint, path)
    if v == "required":
        missing = [m for m in e.validator_value if not (isinstance(e.instance, dict) and m in e.instance)]
        name = missing[0] if missing else "?"
        prop = (sub.get("properties") or {}).get(name, {})
        return SchemaProblem(
            f"{where}: required field `{name}` is missing",
            prop.get("x-hint") or prop.get("description") or hint,
            path,
            missing=name,
        )
    if v == "additionalProperties":
        known = sorted((sub.get("properties") or {}).keys())
        patterns = list((sub.get("patternProperties") or {}).keys())
        extras = [k for k in e.instance if k not in known and not any(re.search(p, str(k)) for p in patterns)]
        name = extras[0] if extras else "?"
        import difflib  # only to suggest a name for a misspelt key

        close = difflib.get_close_matches(name, known, n=1)
        guess = f" (did you mean `{close[0]}`?)" if close else ""
        return SchemaProblem(
            f"{where}: unknown field `{name}`{guess}",
            "Known fields: " + ", ".join(known) + ". Put private notes under a key starting with `x-`.",
            path + (name,),
            key=True,
            misspelt=close[0] if close else None,
        )
    if v == "type":
        want = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in want)
        return SchemaProblem(f"{where} must be {words}, not {_describe_value(e.instance)}", hint, path)
    if v in ("enum", "const"):
        allowed = e.validator_value if v == "enum" else [e.validator_value]
        shown = ", ".join(repr(a) for a in allowed)
        return SchemaProblem(
            f"{where} must be {'one of ' if v == 'enum' else ''}{shown}, not {_describe_value(e.instance)}", hint, path
        )
    if v == "pattern":
        return SchemaProblem(f"{where}: {_describe_value(e.instance)} is not in the expected form", hint, path)
    if v == "format":
        return SchemaProblem(f"{where}: {_describe_value(e.instance)} is not a valid {e.validator_value}", hint, path)
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return SchemaProblem(f"{where}: {e.instance} is out of range ({e.message.split(' is ', 1)[-1]})", hint, path)
    if v in ("minItems", "minLength"):
        return SchemaProblem(f"{where} must not be empty", hint, path)
    if v in ("maxLength", "maxItems"):
        return SchemaProblem(f"{where} is too long (at most {e.validator_value})", hint, path)
    if v == "uniqueItems":
        return SchemaProblem(f"{where} lists a value twice", hint, path)
    return SchemaProblem(f"{where}: {e.message}", hint, path)


# --------------------------------------------------------------------------- ORCID
def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2 check digit of an ORCID iD ``0000-0002-1825-0097``."""
    digits = orcid.replace("-", "")
    if len(digits) != 16 or not digits[:15].isdigit():
        return False
    total = 0
    for ch in digits[:15]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return digits[15] == ("X" if check == 10 else str(check))


def iter_people(data: Any) -> Iterator[tuple[Path_, dict]]:
    """(path, person) for the lead and every team member that is a mapping."""
    if not isinstance(data, dict):
        return
    if isinstance(data.get("lead"), dict):
        yield ("lead",), data["lead"]
    if isinstance(data.get("team"), list):
        for i, person in enumerate(data["team"]):
            if isinstance(person, dict):
                yield ("team", i), person

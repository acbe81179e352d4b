"""hlsp.metadata: defensive YAML loading with positions, and schema messages."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest

from hlsp.metadata import MAX_BYTES, YamlLoadError, load_yaml_file, parse_yaml, schema, schema_problems

ROOT = Path(__file__).resolve().parent.parent
BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_schema_is_valid_2020_12():
    s = schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(s)


def test_positions_are_one_based_line_and_column():
    doc = parse_yaml("a: 1\nlist:\n  - x: 2\n    y: [3, 4]\n")
    assert doc.position(("a",)) == (1, 4)
    assert doc.position(("list", 0, "y", 1)) == (4, 12)
    assert doc.position(("list", 0, "y"), key=True) == (4, 5)
    assert doc.position(("list", 5, "nothing")) == doc.position(("list",))  # nearest enclosing


def test_dates_stay_text():
    assert parse_yaml("release_date: 2026-11-01\n").data == {"release_date": "2026-11-01"}


def test_billion_laughs_refused_fast():
    started = time.perf_counter()
    with pytest.raises(YamlLoadError, match=r"aliases \(\*a\) are not allowed") as info:
        parse_yaml(BILLION_LAUGHS)
    assert (info.value.line, info.value.column) == (2, 8)
    assert time.perf_counter() - started < 5  # a generous bound: expansion would never finish


def test_merge_key_refused():
    with pytest.raises(YamlLoadError, match="merge keys"):
        parse_yaml("base: {a: 1}\nother:\n  <<: {b: 2}\n")


@pytest.mark.parametrize(
    "text, message",
    [
        ("- a\n- b\n", "must be a mapping of fields (`key: value` lines), not a list"),
        ("just text\n", "not a single value"),
        ("", "hlsp.yaml is empty"),
        ("# only a comment\n", "hlsp.yaml is empty"),
        ("a: 1\n---\nb: 2\n", "not valid YAML"),
        ("a: [1, 2\n", "not valid YAML"),
        ("? [a, b]\n: 1\n", "a key must be a plain name"),
        ("1: one\n", "key '1' must be text"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "nested more than 32 levels"),
    ],
)
def test_unusable_documents(text, message):
    with pytest.raises(YamlLoadError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        parse_yaml(text)


def test_duplicate_keys_with_lines():
    with pytest.raises(YamlLoadError) as info:
        parse_yaml("lead:\n  name: A\n  email: a@b.org\n  name: B\n")
    assert "duplicate key 'name' (first given on line 2)" in str(info.value)
    assert (info.value.line, info.value.column) == (4, 3)


def test_huge_file_refused_before_parsing(tmp_path):
    big = tmp_path / "hlsp.yaml"
    big.write_bytes(b"a: [" + b"1," * (MAX_BYTES // 2) + b"1]\n")
    with pytest.raises(YamlLoadError, match=rf"bytes; the limit is {MAX_BYTES} bytes"):
        load_yaml_file(big)


def test_not_utf8_points_at_the_byte(tmp_path):
    p = tmp_path / "hlsp.yaml"
    p.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(YamlLoadError, match="not valid UTF-8") as info:
        load_yaml_file(p)
    assert (info.value.line, info.value.column) == (2, 7)


def test_schema_messages_for_scientists():
    data = {"proj_id": "Bad_ID", "version": "1.0", "lead": {"name": "A", "email": "nope"}, "products": [{}]}
    problems = {p.message: p for p in schema_problems(data)}
    assert "proj_id: the text 'Bad_ID' is not in the expected form" in problems
    assert "Lowercase letters" in problems["proj_id: the text 'Bad_ID' is not in the expected form"].hint
    assert "version: the text '1.0' is not in the expected form" in problems
    assert "lead: required field `orcid` is missing" in problems
    assert "lead.email: the text 'nope' is not in the expected form" in problems
    assert "hlsp.yaml: required field `title` is missing" in problems
    assert "products[1]: required field `size` is missing" in problems
    assert problems["products[1]: required field `size` is missing"].hint.startswith("Run `hlsp manifest")


def test_example_metadata_passes_schema():
    doc = load_yaml_file(ROOT / "contributions" / "example" / "hlsp.yaml")
    assert schema_problems(doc.data) == []
    json.dumps(doc.data)  # plain JSON types only


# ------------------------------------------------------------------ issue 12
def test_unclosed_quote_is_reported_at_its_line():
    from hlsp.metadata import YamlLoadError, parse_yaml

    text = (
        'proj_id: x\ntitle: "My survey\nversion: v1\n'
        + "".join(f"k{i}: {i}\n" for i in range(15))
        + 'abstract: "done"\n'
    )
    with pytest.raises(YamlLoadError) as info:
        parse_yaml(text)
    assert info.value.line == 2
    assert (
        "line 2 opens a quote that is not closed" in info.value.message and "noticed on line 19" in info.value.message
    )


def test_products_are_validated_when_hlsp_yaml_is_broken(tmp_path):
    import shutil

    from hlsp import validate

    root = tmp_path / "example"
    shutil.copytree(Path(__file__).resolve().parent.parent / "contributions" / "example", root)
    text = (root / "hlsp.yaml").read_text().replace('title: "Example', 'title: "Example\nbroken: "', 1)
    (root / "hlsp.yaml").write_text(text)
    report = validate([str(root)])
    assert [f.rule for f in report.files[0].findings] == ["MD001"]
    fits = sorted(r.path.rsplit("/", 1)[-1] for r in report.files[1:])
    assert fits == sorted(p.name for p in root.glob("*.fits"))  # each product still checked on its own

"""The validation run's artifact, read as hostile data.

The privileged follow-up job runs with a write token, so everything it reads
from the validation run's artifact is treated as hostile:
:func:`load_artifact` reads only ``report.json`` and ``review.json``, only
as regular files below a size limit, parses them as JSON (no NaN, no
duplicate keys, bounded nesting) and checks every field's type against
``validators/schemas/report.schema.json`` and :data:`REVIEW_SCHEMA`, with
integers that are really integers.  Anything else is refused with one line.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from hlsp.errors import HlspError
from hlsp.findings import Report
from hlsp.gh.changes import STATUSES
from hlsp.gh.check import REVIEW_FORMAT
from hlsp.profiles import validators_dir

MAX_STRING = 65_536  # a longer string anywhere in the artifact is refused
MAX_DEPTH = 16
LIMITS = {"report.json": 32 * 1024 * 1024, "review.json": 8 * 1024 * 1024}
_SHA = {"type": "string", "pattern": "^([0-9a-f]{40}|[0-9a-f]{64})$"}

REVIEW_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": f"review.json ({REVIEW_FORMAT}), written by hlsp.gh.check",
    "type": "object",
    "required": ["format", "base", "head", "maintenance", "outside", "contributions"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": REVIEW_FORMAT},
        "base": _SHA,
        "head": _SHA,
        "maintenance": {"type": "boolean"},
        "outside": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "contributions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "status", "old_id", "path", "files"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[^/\x00]+$", "not": {"enum": [".", ".."]}},
                    "status": {"enum": list(STATUSES)},
                    "old_id": {"type": ["string", "null"], "pattern": r"^[^/\x00]+$"},
                    "path": {"type": "string"},
                    "files": {
                        "type": "object",
                        "propertyNames": {"pattern": "^contributions/[^/]+/"},
                        "additionalProperties": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    },
                },
            },
        },
    },
}


@dataclass(slots=True)
class Artifact:
    """The validated content of a validation run's artifact."""

    report: Report
    review: dict[str, Any]

    @property
    def head(self) -> str:
        return self.review["head"]


def _strict_validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    """A 2020-12 validator where ``integer`` excludes 1.0 and ``true``."""
    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine("integer", lambda _checker, value: type(value) is int)
    return jsonschema.validators.extend(base, type_checker=checker)(schema)


@lru_cache(maxsize=1)
def _report_validator() -> jsonschema.protocols.Validator:
    path = validators_dir() / "schemas" / "report.schema.json"
    return _strict_validator(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _review_validator() -> jsonschema.protocols.Validator:
    return _strict_validator(REVIEW_SCHEMA)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a key appears twice in one object")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_sizes(value: Any, where: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise ValueError(f"{where}: a string of {len(value)} characters (limit {MAX_STRING})")
    if isinstance(value, dict):
        for k, v in value.items():
            _check_sizes(k, where, depth + 1)
            _check_sizes(v, f"{where}/{_short(k)}", depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_sizes(v, f"{where}/{i}", depth + 1)


def _short(key: str) -> str:
    text = re.sub(r"[^\w.\-]", "?", key)
    return text if len(text) <= 40 else text[:40] + "..."


def _read_json(folder: Path, name: str) -> Any:
    path = folder / name
    try:
        info = path.lstat()
    except OSError:
        raise HlspError(f"the artifact has no {name}") from None
    if not stat.S_ISREG(info.st_mode):
        raise HlspError(f"the artifact's {name} is not a regular file")
    if info.st_size > LIMITS[name]:
        raise HlspError(f"the artifact's {name} is {info.st_size} bytes (limit {LIMITS[name]})")
    raw = path.read_bytes()[: LIMITS[name] + 1]
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        _check_sizes(data, name)
    except UnicodeDecodeError:
        raise HlspError(f"the artifact's {name} is not UTF-8 text") from None
    except RecursionError:
        raise HlspError(f"the artifact's {name} is nested too deeply") from None
    except ValueError as exc:
        raise HlspError(f"the artifact's {name} is not acceptable JSON: {str(exc).splitlines()[0][:200]}") from None
    return data


def _schema_check(validator: jsonschema.protocols.Validator, data: Any, name: str) -> None:
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    where = "/".join(_short(str(p)) for p in error.absolute_path) or "(top level)"
    # The schema's keyword and value are ours; the offending value is never echoed.
    raise HlspError(
        f"the artifact's {name} is malformed at {where}: fails {error.validator!r} {json.dumps(error.validator_value)[:80]}"
    )


def load_artifact(folder: str | Path, head_sha: str | None = None) -> Artifact:
    """Read and check the artifact in ``folder``; HlspError (one line) if it is unusable.

    ``head_sha``, when given, must be the commit the artifact says it reviewed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise HlspError(f"{folder}: no such folder (was the artifact downloaded?)")
    report_data = _read_json(folder, "report.json")
    _schema_check(_report_validator(), report_data, "report.json")
    review = _read_json(folder, "review.json")
    _schema_check(_review_validator(), review, "review.json")
    for c in review["contributions"]:
        if c["path"] != f"contributions/{c['id']}" or any(not p.startswith(c["path"] + "/") for p in c["files"]):
            raise HlspError(
                "the artifact's review.json is inconsistent: a contribution's path or files do not match its id"
            )
    report = Report.from_dict(report_data)
    if report.summary.to_dict() != report_data["summary"]:
        raise HlspError("the artifact's report.json is inconsistent: its summary does not match its findings")
    if head_sha is not None and review["head"] != head_sha:
        raise HlspError(f"the artifact reviewed commit {review['head'][:12]}, not {head_sha[:12]}")
    return Artifact(report=report, review=review)

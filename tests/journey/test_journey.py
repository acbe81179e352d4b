"""The pull-request pipeline end to end: the real workflow files, run by act, offline.

Each scenario of issue 11 drives the events itself (act does not chain them),
then asserts on what the fake GitHub received (comments, statuses and their
text), on the artifact the validation run stored and on each job's result.
See tests/journey/act_support.py for the harness.
"""

from __future__ import annotations

import json
import re

import pytest

from act_support import Hub, Run
from hlsp.gh.report import MARKER

pytestmark = pytest.mark.journey

SPEC = "hlsp_example_hst_stis_ngc1234_g430l_v1_spec.fits"


def annotations(run: Run) -> list[tuple[str, dict, str]]:
    """(level, properties, message) of every annotation the workflow printed, as act parsed them."""
    found = []
    for line in run.log.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("command") in ("error", "warning", "notice"):
            found.append((entry["command"], entry.get("kvPairs") or {}, entry.get("arg", "")))
    return found


def comments(hub: Hub, number: int) -> list[str]:
    return [c["body"] for c in hub.fake.comments.get(number, [])]


def statuses(hub: Hub, sha: str) -> list[tuple[str, str]]:
    return [(s["state"], s["description"]) for s in hub.fake.statuses if s["sha"] == sha and s["context"] == "hlsp/validation"]


def test_1_first_fork_pull_request_with_a_new_valid_collection(hub: Hub):
    hub.branch("add-example")
    hub.add_example()
    head = hub.commit("Add the example HLSP")
    hub.open_pull_request(11, "add-example")  # no labels: act renders the empty list as null

    validate, run_id = hub.validate(11)
    assert validate.jobs == {"validate": "success"}, validate.tail()
    files = validate.artifact_files()
    assert {"report.json", "review.json", "comment.md"} <= set(files)
    review = json.loads(files["review.json"])
    assert review["head"] == head and [c["id"] for c in review["contributions"]] == ["example"]
    assert any(name.startswith("preview/") and name.endswith(".html") for name in files), sorted(files)
    assert not [a for a in annotations(validate) if a[0] == "error"]

    report = hub.report(run_id)
    assert report.jobs == {"report": "success"}, report.tail()
    [(state, description)] = statuses(hub, head)
    assert state == "success" and "error" not in description
    [body] = comments(hub, 11)
    assert MARKER in body and "example" in body
    assert f"/actions/runs/{run_id}" in body  # the full report is linked

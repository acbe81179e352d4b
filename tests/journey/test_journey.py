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
from pytest_httpserver import HTTPServer

from act_support import TOKEN, Hub, Kit, Run
from gh_support import FakeGitHub
from hlsp.gh.report import MARKER
from servers import need_system  # tests/conftest.py's, as servers.py imported it

pytestmark = pytest.mark.journey

# The fixtures live here, not in a tests/journey/conftest.py: a second module named
# "conftest" would shadow tests/conftest.py for the modules that import from it.


@pytest.fixture(scope="session")
def act_kit(tmp_path_factory) -> Kit:
    """act, the pinned actions and the wheelhouse; skips in a plain clone, fails under CI=true."""
    try:
        return Kit.build(tmp_path_factory.mktemp("act-kit"))
    except LookupError as exc:
        need_system(str(exc))


@pytest.fixture
def fake_github():
    """The fake GitHub REST API, on its own server on 127.0.0.1 (so scenarios can run side by side)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield FakeGitHub(server, token=TOKEN)
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture
def hub(act_kit, fake_github, tmp_path) -> Hub:
    return Hub(act_kit, tmp_path, fake_github)


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
    return [
        (s["state"], s["description"])
        for s in hub.fake.statuses
        if s["sha"] == sha and s["context"] == "hlsp/validation"
    ]


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


def break_products(collection) -> str:
    """A product without TELESCOP (KW001, so its sha256 no longer matches: CO006) and a typo in an ORCID (MD003)."""
    from astropy.io import fits

    with fits.open(collection / SPEC, mode="update") as hdul:
        del hdul[0].header["TELESCOP"]
    meta = collection / "hlsp.yaml"
    text = meta.read_text()
    good = re.search(r"orcid: (\d{4}-\d{4}-\d{4}-\d{3}[\dX])", text)[1]  # the lead's
    bad = good[:-1] + ("0" if good[-1] in "9X" else str(int(good[-1]) + 1))  # wrong check digit
    meta.write_text(text.replace(good, bad, 1))
    return bad


def line_of(path, text: str) -> str:
    return str(next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line))


def test_2_broken_products_then_3_a_push_that_fixes_them(hub: Hub):
    hub.branch("add-example")
    collection = hub.add_example()
    good_spec = (collection / SPEC).read_bytes()
    good_meta = (collection / "hlsp.yaml").read_text()
    bad_orcid = break_products(collection)
    hub.commit("Add the example HLSP (broken)")
    head = hub.open_pull_request(12, "add-example")

    # 2. red status, annotations on the exact files and hlsp.yaml lines, errors first in the comment
    validate, run_id = hub.validate(12)
    assert validate.jobs == {"validate": "failure"}, validate.tail()
    assert validate.steps[("validate", "Validate the changed contributions")] == "failure"
    assert validate.steps[("validate", "Upload the report artifact")] == "success"  # the artifact still goes up
    errors = {
        (a[1].get("file"), a[1].get("line"), a[1].get("title", "").split()[0])
        for a in annotations(validate)
        if a[0] == "error"
    }
    meta = collection / "hlsp.yaml"
    assert ("contributions/example/hlsp.yaml", line_of(meta, bad_orcid), "MD003") in errors
    assert ("contributions/example/hlsp.yaml", str(int(line_of(meta, f"path: {SPEC}")) + 2), "CO006") in errors
    assert (f"contributions/example/{SPEC}", None, "KW001") in errors
    report_json = json.loads(validate.artifact_files()["report.json"])
    assert report_json["summary"]["errors"] == 3

    report = hub.report(run_id)
    assert report.jobs == {"report": "success"}, report.tail()
    [(state, description)] = statuses(hub, head)
    assert state == "failure" and description.startswith("3 errors")
    [body] = comments(hub, 12)
    assert "validation failed" in body
    errors_at = body.index("### Errors")
    assert all(body.index(rule) > errors_at for rule in ("MD003", "CO006", "KW001"))
    assert "### Warnings" not in body or body.index("### Warnings") > errors_at
    first_comment_id = hub.fake.comments[12][0]["id"]

    # 3. a second push that fixes it: the same comment edited, the status green
    (collection / SPEC).write_bytes(good_spec)
    (collection / "hlsp.yaml").write_text(good_meta)
    hub.commit("Fix TELESCOP and the ORCID iD")
    fixed = hub.open_pull_request(12, "add-example")
    validate, run_id = hub.validate(12, action="synchronize")
    assert validate.jobs == {"validate": "success"}, validate.tail()
    report = hub.report(run_id)
    assert report.jobs == {"report": "success"}, report.tail()
    assert report.output("passed (was failed)")
    [(state, _)] = statuses(hub, fixed)
    assert state == "success"
    [comment] = hub.fake.comments[12]
    assert comment["id"] == first_comment_id and "validation passed" in comment["body"]
    assert "MD003" not in comment["body"] and fixed[:12] in comment["body"]
    assert ("PATCH", f"/api/v3/repos/archive/hlsp/issues/comments/{first_comment_id}") in hub.fake.requests
    assert statuses(hub, head) == [("failure", description)]  # the old head keeps its red status


def test_4_no_labels_and_files_outside_contributions(hub: Hub):
    hub.branch("add-example")
    hub.add_example()
    (hub.dev / "README.md").write_text((hub.dev / "README.md").read_text() + "\nA contributor's note.\n")
    hub.commit("Add the example HLSP and edit the README")
    head = hub.open_pull_request(13, "add-example")  # no labels: `null` in act

    validate, run_id = hub.validate(13)
    assert not validate.output("--labels must be a JSON list"), validate.tail()
    assert validate.jobs == {"validate": "failure"}
    assert ("error", "README.md", "GH001") in {
        (a[0], a[1].get("file"), a[1].get("title")) for a in annotations(validate)
    }
    hub.report(run_id)
    [(state, description)] = statuses(hub, head)
    assert state == "failure" and description.startswith("1 error")
    [body] = comments(hub, 13)
    assert "GH001" in body and "README.md" in body

    # with the maintenance label the same change is allowed
    hub.open_pull_request(13, "add-example", labels=("maintenance",))
    validate, run_id = hub.validate(13, action="labeled")
    assert validate.jobs == {"validate": "success"}, validate.tail()
    assert json.loads(validate.artifact_files()["review.json"])["maintenance"] is True
    hub.report(run_id)
    assert statuses(hub, head)[-1][0] == "success"


def test_5_a_pull_request_that_edits_validate_yml_to_hide_its_errors(hub: Hub):
    hub.branch("sneaky")
    hub.add_example()
    wf = hub.dev / ".github" / "workflows" / "validate.yml"
    text = wf.read_text()
    assert '--labels "$PR_LABELS"' in text and 'exit "$status"' in text
    # claim the maintenance label (no GH001 for the workflow edit) and never fail
    wf.write_text(
        text.replace('--labels "$PR_LABELS"', "--labels '[\"maintenance\"]'").replace('exit "$status"', "exit 0")
    )
    hub.commit("Add the example HLSP")
    head = hub.open_pull_request(14, "sneaky")

    validate, run_id = hub.validate(14)  # the pull request's own validate.yml runs, as on GitHub
    assert validate.jobs == {"validate": "success"}, validate.tail()
    assert json.loads(validate.artifact_files()["report.json"])["summary"]["errors"] == 0  # hidden
    report = hub.report(run_id)
    assert report.jobs == {"report": "success"}, report.tail()
    assert report.output("added 1 GH001 finding(s) the validation run did not report")
    [(state, description)] = statuses(hub, head)
    assert state == "failure" and description.startswith("1 error")
    [body] = comments(hub, 14)
    assert "GH001" in body and ".github/workflows/validate.yml" in body


def _rezip(src, dest, change) -> None:
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(item.filename, data))


def test_6_missing_or_tampered_artifact(hub: Hub, tmp_path):
    hub.branch("add-example")
    collection = hub.add_example()
    break_products(collection)
    hub.commit("Add the example HLSP (broken)")
    head = hub.open_pull_request(15, "add-example")
    validate, _ = hub.validate(15)
    assert validate.jobs == {"validate": "failure"}

    # a run that stored no artifact
    hub.fake.add_run(5001, head, conclusion="failure")
    report = hub.report(5001)
    assert report.jobs == {"report": "failure"}
    assert statuses(hub, head) == [("error", "the validation report was rejected; see the run log")]
    assert comments(hub, 15) == []

    # the artifact altered after upload: findings dropped, summary kept
    def drop_findings(name: str, data: bytes) -> bytes:
        if name != "report.json":
            return data
        doc = json.loads(data)
        for f in doc["files"]:
            f["findings"] = []
        return json.dumps(doc).encode()

    tampered = tmp_path / "tampered.zip"
    _rezip(validate.artifact_zip(), tampered, drop_findings)
    hub.fake.add_run(5002, head, conclusion="failure", artifact=tampered)
    report = hub.report(5002)
    assert report.jobs == {"report": "failure"}
    assert report.output("its summary does not match its findings")
    assert [s[0] for s in statuses(hub, head)] == ["error", "error"]
    assert comments(hub, 15) == []  # nothing posted from it


def test_10_more_errors_than_github_annotates(hub: Hub):
    hub.branch("big")
    collection = hub.add_example()
    meta = collection / "hlsp.yaml"
    missing = [f"hlsp_example_hst_acs_ngc{2000 + i}_f606w_v1_img.fits" for i in range(24)]
    meta.write_text(
        meta.read_text()
        + "".join(
            f"  - path: {name}\n    size: 2880\n    sha256: {'ab' * 32}\n    product_type: img\n" for name in missing
        )
    )
    hub.commit("Add the example HLSP with 24 products not uploaded")
    head = hub.open_pull_request(16, "big")

    validate, run_id = hub.validate(16)
    assert validate.jobs == {"validate": "failure"}
    report_json = json.loads(validate.artifact_files()["report.json"])
    total = report_json["summary"]["errors"]
    assert total >= 24
    errors = [a for a in annotations(validate) if a[0] == "error"]
    assert len(errors) == 10  # GitHub keeps 10 error annotations per step
    *first, more = errors
    assert all(a[1].get("file") == "contributions/example/hlsp.yaml" and a[1].get("line") for a in first)
    assert f"{total - 9} more findings ({total - 9} errors" in more[2]
    assert "the pull-request comment and this run's job summary" in more[2]

    hub.report(run_id)
    [(state, description)] = statuses(hub, head)
    assert state == "failure" and description.startswith(f"{total} errors")
    [body] = comments(hub, 16)
    plain = body.replace("\\", "")  # Markdown escapes (hlsp\_example\_...) removed
    for name in missing:  # every error still reaches the reviewer
        assert name in plain
    assert "did not fit" not in body
    # act empties $GITHUB_STEP_SUMMARY after each step, so the job summary (the same report,
    # with room for every finding) is checked in tests/gh/test_gh_check.py; the run page's copy:
    page = validate.artifact_files()["comment.md"].decode().replace("\\", "")
    assert all(name in page for name in missing)


def _reviewed_pull_request(hub: Hub, number: int, branch: str = "add-example") -> tuple[str, int]:
    """A fork pull request adding the example, validated and reported green; (head, validation run id)."""
    hub.branch(branch)
    hub.add_example()
    hub.commit("Add the example HLSP")
    head = hub.open_pull_request(number, branch)
    validate, run_id = hub.validate(number)
    assert validate.jobs == {"validate": "success"}, validate.tail()
    report = hub.report(run_id)
    assert report.jobs == {"report": "success"} and statuses(hub, head)[-1][0] == "success"
    hub.fake.add_review(number, head)  # a curator approves this head
    return head, run_id


def _archive(s3_server, postgres_server) -> tuple[str, str, dict, dict]:
    bucket = s3_server.new_bucket()
    catalog = postgres_server.new_database()
    variables = {"ARCHIVE_DEST": f"s3://{bucket}/staging", "ARCHIVE_S3_ENDPOINT": s3_server.endpoint}
    secrets = {
        "ARCHIVE_S3_ACCESS_KEY_ID": s3_server.access_key,
        "ARCHIVE_S3_SECRET_ACCESS_KEY": s3_server.secret_key,
        "ARCHIVE_CATALOG_URL": catalog,
    }
    return bucket, catalog, variables, secrets


def _stage(hub: Hub, before: str, after: str, variables: dict, secrets: dict) -> Run:
    return hub.act(
        "stage.yml", "push", hub.push_event(before, after), checkout=after, variables=variables, secrets=secrets
    )


def _keys(s3_server, bucket: str) -> list[str]:
    listing = s3_server.client().list_objects_v2(Bucket=bucket)
    return sorted(o["Key"] for o in listing.get("Contents", []))


def test_7_merge_then_stage_to_s3_and_postgres(hub: Hub, s3_server, postgres_server):
    import subprocess
    import sys

    head, _ = _reviewed_pull_request(hub, 17)
    before, after = hub.merge("add-example", "Merge pull request #17 from science-team/add-example")
    hub.fake.merge_pull(17, after)
    bucket, catalog, variables, secrets = _archive(s3_server, postgres_server)

    stage = _stage(hub, before, after, variables, secrets)
    assert stage.jobs == {"verify": "success", "stage": "success"}, stage.tail(80)
    assert stage.output(f"example: merge {after[:12]}, pull request #17")
    keys = _keys(s3_server, bucket)
    assert "staging/example/v1/READY" in keys and "staging/example/v1/manifest.json" in keys
    assert f"staging/example/v1/{SPEC}" in keys

    check = subprocess.run(
        [sys.executable, "-m", "hlsp", "ingest-check", f"s3://{bucket}/staging/example/v1", "--catalog", catalog],
        capture_output=True,
        text=True,
        env={**s3_server.env(), "PATH": "/usr/bin:/bin", "HOME": str(hub.folder)},
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith(f"ok: s3://{bucket}/staging/example/v1")
    manifest = json.loads(
        s3_server.client().get_object(Bucket=bucket, Key="staging/example/v1/manifest.json")["Body"].read()
    )
    assert after in json.dumps(manifest)  # the merged commit is recorded


def test_8a_force_push_after_the_approval_is_not_staged(hub: Hub, s3_server, postgres_server):
    """Also issue 17 item 10: the push after the approval is validated green, yet not staged."""
    from act_support import git

    head, _ = _reviewed_pull_request(hub, 18)  # validated, reported green, approved
    readme = hub.dev / "contributions" / "example" / "README.md"
    readme.write_text(readme.read_text() + "\nChanged after the review.\n")
    git(hub.dev, "commit", "-q", "--amend", "-a", "--no-edit")
    forced = hub.open_pull_request(18, "add-example", force=True)
    validate, run_id = hub.validate(18, action="synchronize")
    assert validate.jobs == {"validate": "success"}
    hub.report(run_id)
    assert statuses(hub, forced) == [("success", statuses(hub, head)[0][1])]  # green again, but never approved
    before, after = hub.merge("add-example")
    hub.fake.merge_pull(18, after)
    bucket, _, variables, secrets = _archive(s3_server, postgres_server)

    stage = _stage(hub, before, after, variables, secrets)
    assert stage.jobs.get("refused") == "failure", stage.tail(80)  # the run is red and says why
    assert "stage" not in stage.jobs or stage.jobs["stage"] != "success"
    assert stage.output(f"the approval is for {head[:12]}, not the merged head {forced[:12]}")
    assert _keys(s3_server, bucket) == []

    # once the new head is approved, running stage.yml again stages it
    hub.fake.add_review(18, forced)
    rerun = _stage(hub, before, after, variables, secrets)
    assert rerun.jobs == {"verify": "success", "stage": "success"}, rerun.tail(80)
    assert "staging/example/v1/READY" in _keys(s3_server, bucket)


def test_8b_merge_whose_content_differs_from_the_reviewed_head_is_not_staged(hub: Hub, s3_server, postgres_server):
    from act_support import git

    head, _ = _reviewed_pull_request(hub, 19)
    before = hub.head("main")
    git(hub.dev, "checkout", "-q", "main")
    git(hub.dev, "merge", "-q", "--no-ff", "--no-commit", "add-example")
    readme = hub.dev / "contributions" / "example" / "README.md"
    readme.write_text(readme.read_text() + "\nEdited while merging.\n")
    after = hub.commit("Merge pull request #19 (edited while merging)")
    git(hub.dev, "push", "-q", "origin", "main")
    hub.fake.merge_pull(19, after)
    bucket, _, variables, secrets = _archive(s3_server, postgres_server)

    stage = _stage(hub, before, after, variables, secrets)
    assert stage.jobs.get("refused") == "failure", stage.tail(80)  # the run is red and says why
    assert "stage" not in stage.jobs or stage.jobs["stage"] != "success"
    assert stage.output("differs from what was reviewed (changed: contributions/example/README.md)")
    assert _keys(s3_server, bucket) == []


def test_9_pages_build_job_produces_the_site_artifact(hub: Hub):
    import io
    import tarfile

    hub.branch("add-example")
    hub.add_example()
    hub.commit("Add the example HLSP")
    before, after = hub.merge("add-example")
    pages = hub.act("pages.yml", "push", hub.push_event(before, after), checkout=after, job="build")
    assert pages.jobs == {"build": "success"}, pages.tail(80)
    files = pages.artifact_files("github-pages")
    [tar_name] = list(files)
    with tarfile.open(fileobj=io.BytesIO(files[tar_name])) as tar:
        names = tar.getnames()
        index = (
            tar.extractfile(next(n for n in names if n.endswith("index.html") and n.count("/") <= 1)).read().decode()
        )
    assert any("example" in n and n.endswith(".html") for n in names), names
    assert "example" in index.lower()


def test_stretch_three_quick_merges_all_staged_after_a_cancelled_run(hub: Hub, s3_server, postgres_server):
    """Issue 17 item 1: GitHub cancels the pending stage run of the middle merge; the next run catches up."""
    merges = []
    for number, proj_id in ((31, "m31"), (32, "m32"), (33, "m33")):
        hub.branch(f"add-{proj_id}", "main")
        hub.add_collection(proj_id)
        head = hub.commit(f"Add {proj_id}")
        hub.open_pull_request(number, f"add-{proj_id}")
        validate, _ = hub.validate(number)
        assert validate.jobs == {"validate": "success"}, validate.tail()
        hub.fake.add_review(number, head)
        before, after = hub.merge(f"add-{proj_id}", f"Merge pull request #{number}")
        hub.fake.merge_pull(number, after)
        merges.append((before, after))
    bucket, catalog, variables, secrets = _archive(s3_server, postgres_server)

    # the run for the first merge stages m31 (GitHub records it as a success)
    first = _stage(hub, *merges[0], variables, secrets)
    assert first.jobs == {"verify": "success", "stage": "success"}, first.tail(80)
    hub.fake.add_run(9001, merges[0][1], event="push", workflow="stage.yml", branch="main")
    # the run for the second merge was pending and got cancelled by the third one's
    hub.fake.add_run(9002, merges[1][1], event="push", workflow="stage.yml", branch="main", conclusion="cancelled")
    third = _stage(hub, *merges[2], variables, secrets)
    assert third.jobs == {"verify": "success", "stage": "success"}, third.tail(80)
    assert third.output(f"merged since {merges[0][1][:12]} (the last successful stage.yml run): 2 contribution(s)")
    keys = _keys(s3_server, bucket)
    for proj_id in ("m31", "m32", "m33"):
        assert f"staging/{proj_id}/v1/READY" in keys, (proj_id, keys)

"""`hlsp validate contributions/<id>`: the whole collection, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from contribution_support import EXAMPLE, copy_example, edit, line_of

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"


def test_example_passes(run_cli):
    r = run_cli("validate", EXAMPLE, "--show-clean")
    assert r.code == 0, r
    assert f"{EXAMPLE}/hlsp.yaml: ok" in r.out
    assert "9 files checked: 0 errors, 0 warnings, 0 infos" in r.out


def test_github_annotations_point_at_the_yaml_line(tmp_path, run_cli):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "calibration_level: 3", "calibration_level: three")
    r = run_cli("validate", root, "--format", "github")
    assert r.code == 1
    line = line_of(root / "hlsp.yaml", "calibration_level")
    assert (
        f"::error file={root}/hlsp.yaml,line={line},col=20,title=MD002 line {line}::calibration_level must be one of 3, 4"
        in r.out
    )


def test_json_report_carries_line_and_column(tmp_path, run_cli):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "0000-0002-7182-8185", "0000-0002-7182-8186")
    r = run_cli("validate", root, "--format", "json")
    report = json.loads(r.out)
    (meta,) = [f for f in report["files"] if f["path"].endswith("hlsp.yaml")]
    (finding,) = meta["findings"]
    assert finding["rule"] == "MD003" and finding["line"] == line_of(root / "hlsp.yaml", "lead:")


def test_file_rules_get_the_collections_proj_id(tmp_path, run_cli):
    """The file-level run is told proj_id/version from hlsp.yaml (FN007 compares the file name)."""
    root = copy_example(tmp_path)
    other = IMG.replace("hlsp_example_", "hlsp_other_")
    (root / IMG).rename(root / other)
    edit(root / "hlsp.yaml", f"path: {IMG}", f"path: {other}")
    r = run_cli("validate", root, "--select", "FN007")
    assert r.code == 1
    assert f"{root}/{other}" in r.out and "differs from the collection's proj-id 'example'" in r.out


def test_select_applies_to_collection_rules(tmp_path, run_cli):
    root = copy_example(tmp_path)
    (root / IMG).unlink()
    r = run_cli("validate", root, "--ignore", "CO004")
    assert r.code == 0, r
    r = run_cli("validate", root, "--select", "collection")
    assert r.code == 1 and "CO004" in r.out


def test_contribution_and_plain_files_together(tmp_path, run_cli):
    root = copy_example(tmp_path)
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / IMG).write_bytes((EXAMPLE / IMG).read_bytes())
    r = run_cli("validate", loose / IMG, root, "--show-clean", "--format", "json")
    paths = [f["path"] for f in json.loads(r.out)["files"]]
    assert paths[0] == str(loose / IMG) and paths[1] == f"{root}/hlsp.yaml" and len(paths) == 10


def test_refused_hlsp_yaml_is_a_finding_not_a_traceback(tmp_path, run_cli):
    root = copy_example(tmp_path)
    (root / "hlsp.yaml").write_text("- just\n- a list\n")
    r = run_cli("validate", root)
    assert r.code == 1 and "Traceback" not in r.err
    assert "MD001 [line 1] hlsp.yaml must be a mapping of fields" in r.out


def test_hlsp_yaml_symlink_out_of_folder_not_read(tmp_path, run_cli):
    root = copy_example(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text((root / "hlsp.yaml").read_text())
    (root / "hlsp.yaml").unlink()
    (root / "hlsp.yaml").symlink_to(secret)
    r = run_cli("validate", root)
    assert r.code == 1
    assert "outside the collection folder" in r.out
    assert "proj_id" not in r.out  # nothing of the outside file was used


def test_jobs_give_the_same_results(tmp_path, run_cli):
    root = copy_example(tmp_path)
    (root / IMG).write_bytes((root / IMG).read_bytes()[:-2880])  # truncated: file-level and collection findings
    one = json.loads(run_cli("validate", root, "--format", "json").out)
    two = json.loads(run_cli("validate", root, "--format", "json", "--jobs", "2").out)
    assert one == two and one["summary"]["errors"] > 1


def test_folder_of_collections_checks_each_as_a_whole(run_cli, tmp_path):
    """`hlsp validate contributions/` runs the collection rules of every collection in it."""
    import shutil

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "contributions" / "example", tmp_path / "example")
    (tmp_path / "example" / "README.md").write_text("# nothing useful\n")  # breaks the README rule
    r = run_cli("validate", tmp_path, "--format", "json")
    data = json.loads(r.out)
    rules = {f["rule"] for entry in data["files"] for f in entry["findings"]}
    assert any(rule.startswith("CO") for rule in rules), rules
    assert r.code == 1
